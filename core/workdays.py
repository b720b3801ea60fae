"""The Chinese working-day calendar: statutory holidays and adjusted working weekends (调休)
from the maintained ``holidays`` library, overridable by the center.

The center's overrides come from the setting ``CENTER["WORKDAY_OVERRIDES"]``: a mapping of ISO
dates to ``True`` (a working day) or ``False`` (a day off), for adjustments announced before a
library release. Nothing here imports a domain app.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def _overrides() -> dict[date, bool]:
    raw = settings.CENTER.get("WORKDAY_OVERRIDES", {}) or {}
    return {(date.fromisoformat(k) if isinstance(k, str) else k): bool(v) for k, v in raw.items()}


def is_working_day(d: date) -> bool:
    """True when ``d`` is a working day at the center (adjusted weekends included)."""
    override = _overrides().get(d)
    if override is not None:
        return override
    return _china(d.year).is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The date ``n`` working days after ``d`` (before it when ``n`` is negative); ``d`` itself is
    not counted, so ``add_working_days(friday, 1)`` is the next working Monday."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = d
    overrides = _overrides()
    while remaining:
        current += timedelta(days=step)
        working = overrides.get(current)
        if working is None:
            working = _china(current.year).is_working_day(current)
        if working:
            remaining -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]; negative when ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a)
    overrides = _overrides()
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = _china(current.year).is_working_day(current)
        count += working
    return count
