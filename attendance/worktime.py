"""Working time: which schedule (the day's punches) applies to a person's window on a date.

A date's schedule is, first match wins: the window's exception row, the center's exception row,
the default schedule on a working day of the Chinese calendar (``core.workdays``, with its
adjusted working weekends and the center's overrides), nothing on a day off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from core.workdays import is_working_day

from .conf import conf
from .models import ExceptionKind, ScheduleException

DEFAULT_FOR_KIND = {ExceptionKind.EXTENDED: "extended", ExceptionKind.SERVICE_DAY: "weekend"}


@dataclass(frozen=True)
class Check:
    """One punch a schedule asks for."""

    code: str
    kind: str  # "in" or "out"
    at: time
    grace: int  # minutes


def schedule(name: str) -> tuple[Check, ...]:
    raw = conf("SCHEDULES")[name]
    return tuple(
        Check(
            code=item["code"],
            kind=item["kind"],
            at=time.fromisoformat(item["at"]),
            grace=int(item.get("grace", 0)),
        )
        for item in raw
    )


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at_on(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone())


class Calendar:
    """Schedules over a span, read with one query for the exceptions and one per day for the
    working-day calendar."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.exceptions: dict[tuple[date, int | None], ScheduleException] = {
            (e.date, e.window_id): e
            for e in ScheduleException.objects.filter(date__gte=start, date__lte=end)
        }
        self.working = {}
        day = start
        while day <= end:
            self.working[day] = is_working_day(day)
            day += timedelta(days=1)

    def days(self) -> list[date]:
        return list(self.working)

    def schedule_name(self, day: date, window_id: int | None) -> str | None:
        """The schedule's name on ``day`` at the window (None: no attendance that day)."""
        exception = self.exceptions.get((day, window_id)) if window_id else None
        exception = exception or self.exceptions.get((day, None))
        if exception is not None:
            if exception.kind == ExceptionKind.CLOSED:
                return None
            return exception.schedule or DEFAULT_FOR_KIND[exception.kind]
        return conf("DEFAULT_SCHEDULE") if self.working.get(day) else None

    def checks(self, day: date, window_id: int | None) -> tuple[Check, ...]:
        name = self.schedule_name(day, window_id)
        return schedule(name) if name else ()

    def plan(self, day: date, window_id: int | None) -> Plan | None:
        """The day's checks with their spans and halves, computed once per schedule and day."""
        name = self.schedule_name(day, window_id)
        if name is None:
            return None
        cache = self.__dict__.setdefault("_plans", {})
        key = (day, name)
        if key not in cache:
            checks = schedule(name)
            split = time.fromisoformat(conf("HALF_DAY_SPLIT"))
            cache[key] = Plan(
                checks=checks,
                spans=tuple(windows_of(checks, day)),
                halves=tuple("am" if c.at < split else "pm" for c in checks),
            )
        return cache[key]


@dataclass(frozen=True)
class Plan:
    checks: tuple[Check, ...]
    spans: tuple[tuple[datetime, datetime, datetime], ...]
    halves: tuple[str, ...]
    # the spans as POSIX timestamps: the derivation compares millions of punches with them, and
    # comparing floats costs a fraction of comparing aware datetimes
    stamps: tuple[tuple[float, float, float], ...] = field(init=False)
    labels: tuple[str, ...] = field(init=False)  # each check's time as shown, "08:30"

    def __post_init__(self) -> None:
        stamps = tuple(tuple(m.timestamp() for m in span) for span in self.spans)
        object.__setattr__(self, "stamps", stamps)
        labels = tuple(f"{c.at.hour:02d}:{c.at.minute:02d}" for c in self.checks)
        object.__setattr__(self, "labels", labels)


def windows_of(checks: tuple[Check, ...], day: date) -> list[tuple[datetime, datetime, datetime]]:
    """For each check: (its time, the first and the last moment a punch counts for it). A punch
    belongs to the check whose span holds it: spans meet half-way between two checks."""
    times = [at_on(day, c.at) for c in checks]
    spans = []
    for i, moment in enumerate(times):
        low = (
            moment - timedelta(minutes=conf("PUNCH_EARLY_MINUTES"))
            if i == 0
            else times[i - 1] + (moment - times[i - 1]) / 2
        )
        high = (
            moment + timedelta(minutes=conf("PUNCH_LATE_MINUTES"))
            if i == len(times) - 1
            else moment + (times[i + 1] - moment) / 2
        )
        spans.append((moment, low, high))
    return spans
