"""The Chinese working-day calendar: the ``holidays`` library (public holidays and the adjusted
working weekends, 调休) plus the center's own overrides (``core.WorkdayOverride``).

Each public function reads the override table once per call, so loops over many days stay one
query.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def _library_working_day(day: date) -> bool:
    return _calendar(day.year).is_working_day(day)


def _overrides(start: date, end: date) -> dict[date, bool]:
    from .models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", "is_working_day"
        )
    )


def is_working_day(d: date) -> bool:
    """True when ``d`` is a working day at the center (override first, then the library)."""
    overrides = _overrides(d, d)
    if d in overrides:
        return overrides[d]
    return _library_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The date ``n`` working days after ``d`` (``d`` itself not counted; n=0 returns ``d``).

    Negative ``n`` counts backwards.
    """
    if n == 0:
        return d
    step = 1 if n > 0 else -1
    span = timedelta(days=abs(n) * 3 + 40)
    start, end = (d, d + span) if step > 0 else (d - span, d)
    overrides = _overrides(start, end)
    remaining = abs(n)
    current = d
    while remaining:
        current += timedelta(days=step)
        if not (start <= current <= end):
            # Very long spans: fetch the next window of overrides.
            start, end = (current, current + span) if step > 0 else (current - span, current)
            overrides = _overrides(start, end)
        working = overrides.get(current)
        if working is None:
            working = _library_working_day(current)
        if working:
            remaining -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]; negative when ``b`` is before ``a``."""
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    overrides = _overrides(a, b)
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = _library_working_day(current)
        count += working
    return count
