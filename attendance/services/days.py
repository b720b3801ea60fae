"""Each person's working day, derived from punches, leave and stepping out, kept as
``AttendanceDay`` rows. ``days_derive`` computes every day of a span and writes only what
differs from the stored rows: a rerun on the same data writes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from staff.models import Staff, StaffStatus
from windows.models import Stationing

from ..conf import conf
from ..models import (
    AttendanceDay,
    DayStatus,
    LeaveCategory,
    LeaveRequest,
    LeaveStatus,
    Punch,
    StepOut,
)
from ..worktime import Calendar, Check, Plan, at_on, windows_of, zone

CHUNK = 2000  # people per transaction
FIELDS = [
    "department",
    "window",
    "status",
    "late",
    "late_minutes",
    "left_early",
    "missing",
    "absent_halves",
    "step_out_overdue",
    "checks",
]


@dataclass
class DeriveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def leave_halves(leave: LeaveRequest, day: date) -> set[str]:
    """The halves of ``day`` the leave covers (its return, 销假, ends it early)."""
    end = leave.end_date
    end_half = leave.end_half
    if leave.returned_on is not None and leave.returned_on <= end:
        end, end_half = leave.returned_on - timedelta(days=1), "pm"
    if not leave.start_date <= day <= end:
        return set()
    halves = {"am", "pm"}
    if day == leave.start_date and leave.start_half == "pm":
        halves.discard("am")
    if day == end and end_half == "am":
        halves.discard("pm")
    return halves


def overdue_limit() -> timedelta:
    return timedelta(minutes=conf("STEP_OUT_OVERDUE_MINUTES"))


def evaluate(
    *,
    checks: tuple[Check, ...] = (),
    plan: Plan | None = None,
    day: date,
    punches: list[datetime],
    leaves: list[LeaveRequest],
    step_outs: list[StepOut],
    now: datetime,
) -> dict[str, Any] | None:
    """The day's fields for one person (None when the schedule asks for nothing). ``plan`` is
    the calendar's precomputed form of ``checks`` (``Calendar.plan``)."""
    if plan is None:
        if not checks:
            return None
        split = time.fromisoformat(conf("HALF_DAY_SPLIT"))
        plan = Plan(
            checks=checks,
            spans=tuple(windows_of(checks, day)),
            halves=tuple("am" if c.at < split else "pm" for c in checks),
        )
    checks = plan.checks
    last = len(checks) - 1
    on_leave: dict[str, str] = {}  # half -> category
    for leave in leaves:
        for half in leave_halves(leave, day):
            on_leave.setdefault(half, leave.category)
    results = []
    late = late_minutes = early = 0
    for index, (check, (moment, low, high)) in enumerate(zip(checks, plan.spans, strict=True)):
        inside = [p for p in punches if low <= p < high or (p == high and index == last)]
        half = plan.halves[index]
        punch = None
        if inside:
            punch = min(inside) if check.kind == "in" else max(inside)
        if half in on_leave:
            result = "duty" if on_leave[half] == LeaveCategory.PUBLIC_DUTY else "leave"
        elif punch is not None:
            if check.kind == "in":
                minutes = int((punch - moment).total_seconds() // 60)
                if minutes > check.grace:
                    result = "late"
                    late += 1
                    late_minutes += minutes
                else:
                    result = "ok"
            else:
                minutes = int((moment - punch).total_seconds() // 60)
                if minutes > check.grace:
                    result = "early"
                    early += 1
                else:
                    result = "ok"
        elif any(
            s.out_at <= moment and (s.back_at is None or s.back_at >= moment) for s in step_outs
        ):
            result = "out"
        elif high > now:
            result = "pending"
        else:
            result = "missing"
        results.append(
            {
                "code": check.code,
                "kind": check.kind,
                "at": check.at.strftime("%H:%M"),
                "punch": timezone.localtime(punch, zone()).strftime("%H:%M") if punch else None,
                "result": result,
            }
        )
    # A half whose every check (off leave) is missing is a half day's absence, not missing punches.
    absent_halves = 0
    missing = 0
    for half in ("am", "pm"):
        mine = [r for r, h in zip(results, plan.halves, strict=True) if h == half]
        counted = [r for r in mine if r["result"] not in ("leave", "duty")]
        if counted and all(r["result"] == "missing" for r in counted):
            absent_halves += 1
            for r in counted:
                r["result"] = "absent"
        else:
            missing += sum(1 for r in counted if r["result"] == "missing")
    limit = overdue_limit()
    overdue = sum(
        1
        for s in step_outs
        if (s.back_at or now) - s.out_at > limit and timezone.localtime(s.out_at).date() == day
    )
    kinds = [r["result"] for r in results]
    if all(k in ("leave", "duty") for k in kinds):
        status = DayStatus.ON_DUTY if "duty" in kinds else DayStatus.ON_LEAVE
    elif absent_halves and all(k in ("absent", "leave", "duty") for k in kinds):
        status = DayStatus.ABSENT
    elif missing or absent_halves:
        status = DayStatus.MISSING
    elif late:
        status = DayStatus.LATE
    elif early:
        status = DayStatus.LEFT_EARLY
    elif "leave" in kinds:
        status = DayStatus.ON_LEAVE
    elif "duty" in kinds:
        status = DayStatus.ON_DUTY
    else:
        status = DayStatus.ON_TIME
    return {
        "status": status,
        "late": late,
        "late_minutes": late_minutes,
        "left_early": early,
        "missing": missing,
        "absent_halves": absent_halves,
        "step_out_overdue": overdue,
        "checks": results,
    }


def days_derive(
    *,
    start: date,
    end: date,
    staff_ids: list[int] | None = None,
    now: datetime | None = None,
) -> DeriveResult:
    """Derive every scheduled day in [start, end] (not after today) of the people stationed at
    a window then (or of ``staff_ids``), and store what changed: new days, changed days, and
    days no longer scheduled removed. Safe to rerun; a rerun on unchanged data writes nothing."""
    now = now or timezone.now()
    end = min(end, timezone.localtime(now).date())
    result = DeriveResult()
    if end < start:
        return result
    calendar = Calendar(start, end)
    stationings = (
        Stationing.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .filter(staff__status=StaffStatus.ACTIVE)
        .values_list("staff_id", "window_id", "start_date", "end_date")
        .order_by("staff_id", "start_date")
    )
    if staff_ids is not None:
        stationings = stationings.filter(staff_id__in=staff_ids)
    by_person: dict[int, list[tuple]] = defaultdict(list)
    for staff_id, window_id, s_start, s_end in stationings:
        by_person[staff_id].append((window_id, s_start, s_end))
    people = sorted(set(by_person) | set(staff_ids or []))
    for offset in range(0, len(people), CHUNK):
        chunk = people[offset : offset + CHUNK]
        with transaction.atomic():
            _derive_chunk(chunk, by_person, calendar, start, end, now, result, staff_ids is None)
    return result


def _people(chunk: list[int], dense: bool, field: str = "staff_id") -> dict[str, Any]:
    """The filter for a chunk of people: for everyone (``dense``) an id range, an index range
    scan that is much cheaper than a list of thousands of ids; otherwise the ids."""
    if dense:
        return {f"{field}__gte": chunk[0], f"{field}__lte": chunk[-1]}
    return {f"{field}__in": chunk}


def _derive_chunk(chunk, by_person, calendar, start, end, now, result, dense) -> None:
    # With an id range the rows of people outside the chunk (not stationed) come too: the
    # loops below only look at the chunk's people, and ``gone`` only at their stored days.
    members = set(chunk)
    departments = dict(
        Staff.objects.filter(**_people(chunk, dense, "pk")).values_list("id", "department_id")
    )
    low = at_on(start, time(0))
    high = at_on(end + timedelta(days=1), time(0)) + timedelta(hours=6)
    punches: dict[int, list[datetime]] = defaultdict(list)
    for staff_id, moment in Punch.objects.filter(
        **_people(chunk, dense), at__gte=low - timedelta(hours=6), at__lt=high
    ).values_list("staff_id", "at"):
        punches[staff_id].append(moment)
    leaves: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        **_people(chunk, dense),
        status__in=[LeaveStatus.APPROVED, LeaveStatus.RETURNED],
        start_date__lte=end,
        end_date__gte=start,
    ):
        leaves[leave.staff_id].append(leave)
    outs: dict[int, list[StepOut]] = defaultdict(list)
    for item in StepOut.objects.filter(**_people(chunk, dense), out_at__gte=low, out_at__lt=high):
        outs[item.staff_id].append(item)
    stored = {
        (d.staff_id, d.date): d
        for d in AttendanceDay.objects.filter(
            **_people(chunk, dense), date__gte=start, date__lte=end
        )
        if d.staff_id in members
    }
    creates, updates = [], []
    keep = set()
    for staff_id in chunk:
        for day in calendar.days():
            window_id = next(
                (
                    w
                    for w, s_start, s_end in by_person.get(staff_id, ())
                    if s_start <= day and (s_end is None or s_end > day)
                ),
                None,
            )
            if window_id is None or staff_id not in departments:
                continue
            plan = calendar.plan(day, window_id)
            if plan is None:
                continue
            fields = evaluate(
                plan=plan,
                day=day,
                punches=punches.get(staff_id, []),
                leaves=leaves.get(staff_id, []),
                step_outs=outs.get(staff_id, []),
                now=now,
            )
            if fields is None:
                continue
            fields["department_id"] = departments[staff_id]
            fields["window_id"] = window_id
            keep.add((staff_id, day))
            row = stored.get((staff_id, day))
            if row is None:
                creates.append(AttendanceDay(staff_id=staff_id, date=day, **fields))
                continue
            changed = False
            for name, value in fields.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
            if changed:
                updates.append(row)
            else:
                result.unchanged += 1
    gone = [row.pk for key, row in stored.items() if key not in keep]
    if creates:
        AttendanceDay.objects.bulk_create(creates, batch_size=2000)
    if updates:
        AttendanceDay.objects.bulk_update(updates, FIELDS, batch_size=2000)
    if gone:
        AttendanceDay.objects.filter(pk__in=gone).delete()
    result.created += len(creates)
    result.updated += len(updates)
    result.deleted += len(gone)


def person_days_refresh(*, staff_id: int, start: date, end: date) -> DeriveResult:
    """Re-derive one person's days after a change to their punches, leave or stepping out
    (called inside the changing service's transaction)."""
    today = timezone.localdate()
    if start > today:
        return DeriveResult()
    return days_derive(start=start, end=min(end, today), staff_ids=[staff_id])
