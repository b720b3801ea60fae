"""When the center works: a session that overlaps the working hours of a working day takes staff
away from the window; one that does not is "outside working hours" (the article's remedy)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from core.workdays import is_working_day


def working_hours() -> list[tuple[time, time]]:
    return [
        (time.fromisoformat(start), time.fromisoformat(end))
        for start, end in settings.CENTER["WORKING_HOURS"]
    ]


def overlaps_working_hours(starts_at: datetime, ends_at: datetime) -> bool:
    """True when [starts_at, ends_at) overlaps the center's working hours on a working day."""
    zone = timezone.get_current_timezone()
    start = timezone.localtime(starts_at, zone) if timezone.is_aware(starts_at) else starts_at
    end = timezone.localtime(ends_at, zone) if timezone.is_aware(ends_at) else ends_at
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    intervals = working_hours()
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            for open_at, close_at in intervals:
                lo = datetime.combine(day, open_at)
                hi = datetime.combine(day, close_at)
                if start < hi and lo < end:
                    return True
        day += timedelta(days=1)
    return False


def is_outside_hours(starts_at: datetime, ends_at: datetime) -> bool:
    return not overlaps_working_hours(starts_at, ends_at)
