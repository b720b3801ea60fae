"""The Chinese working-day calendar: the ``holidays`` library (statutory holidays and adjusted
working weekends, 调休) corrected by the center. Corrections come from two places, the first
winning: the :class:`core.models.WorkdayOverride` table (the center edits it in the admin) and the
setting ``CENTER["WORKDAY_OVERRIDES"]`` (ISO date → True for a working day, False for a day off;
for a deployment that wants them in configuration).

Three functions, enough for every deadline in the system::

    is_working_day(d)            -> bool
    add_working_days(d, n)       -> date   (n working days after d; d itself never counts)
    working_days_between(a, b)   -> int    (working days in (a, b], negative when b < a)

Overrides are read once per call for the span the call needs, so a loop over a long span costs
one query, not one per day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def _library_working_day(day: date) -> bool:
    return _calendar(day.year).is_working_day(day)


def _setting_overrides() -> dict[date, bool]:
    raw = settings.CENTER.get("WORKDAY_OVERRIDES", {}) or {}
    return {(date.fromisoformat(k) if isinstance(k, str) else k): bool(v) for k, v in raw.items()}


def _overrides(start: date, end: date) -> dict[date, bool]:
    from .models import WorkdayOverride

    if end < start:
        start, end = end, start
    merged = {d: v for d, v in _setting_overrides().items() if start <= d <= end}
    merged.update(
        WorkdayOverride.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", "is_working_day"
        )
    )
    return merged


def is_working_day(day: date) -> bool:
    """True when ``day`` is a working day at the center."""
    override = _overrides(day, day).get(day)
    return override if override is not None else _library_working_day(day)


def add_working_days(day: date, n: int) -> date:
    """The date ``n`` working days after ``day`` (before it when ``n`` is negative).

    ``add_working_days(d, 0)`` is ``d`` itself.
    """
    if n == 0:
        return day
    step = 1 if n > 0 else -1
    remaining = abs(n)
    # Long holidays are at most ~9 days in a row; 3x + 20 days always covers n working days.
    horizon = day + timedelta(days=step * (remaining * 3 + 20))
    overrides = _overrides(day, horizon)
    current = day
    while remaining:
        current += timedelta(days=step)
        if current == horizon:  # pathological override table: extend the window
            horizon = current + timedelta(days=step * (remaining * 3 + 20))
            overrides |= _overrides(current, horizon)
        working = overrides.get(current)
        if working is None:
            working = _library_working_day(current)
        if working:
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end < start``."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    overrides = _overrides(low, high)
    count = 0
    current = low
    while current < high:
        current += timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = _library_working_day(current)
        count += working
    return sign * count
