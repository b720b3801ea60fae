"""One person's working day from the schedule's checks, their punches, leave and stepping out:
the status and counts an ``AttendanceDay`` row keeps. Pure: it reads nothing from the database
(``days_derive`` in ``days`` loads the punches, leave and stepping out, and writes the rows)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from ..conf import conf
from ..models import (
    DayStatus,
    LeaveCategory,
    LeaveRequest,
    StepOut,
)
from ..worktime import Plan, zone


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
    plan: Plan,
    day: date,
    punches: list[float],
    leaves: list[LeaveRequest],
    step_outs: list[StepOut],
    now: datetime,
    limit: timedelta | None = None,
) -> dict[str, Any]:
    """The day's fields for one person. ``plan`` is the calendar's precomputed checks of the
    day (``Calendar.plan``, None on a day the schedule asks for nothing); ``punches`` are the
    person's punches as POSIX timestamps in time order (of the day or of a longer span: each
    check finds its own by bisection, so a month's list costs no more per day than a day's,
    and floats compare far faster than aware datetimes); ``limit`` is
    :func:`overdue_limit` (read once by a caller deriving many days)."""
    checks = plan.checks
    last = len(checks) - 1
    now_stamp = now.timestamp()
    on_leave: dict[str, str] = {}  # half -> category
    for leave in leaves:
        for half in leave_halves(leave, day):
            on_leave.setdefault(half, leave.category)
    tz = zone()
    results = []
    late = late_minutes = early = 0
    for index, check in enumerate(checks):
        moment, low, high = plan.stamps[index]
        first = bisect_left(punches, low)
        stop = bisect_right(punches, high) if index == last else bisect_left(punches, high)
        half = plan.halves[index]
        punch = None
        if stop > first:
            punch = punches[first] if check.kind == "in" else punches[stop - 1]
        if half in on_leave:
            result = "duty" if on_leave[half] == LeaveCategory.PUBLIC_DUTY else "leave"
        elif punch is not None:
            if check.kind == "in":
                minutes = int((punch - moment) // 60)
                if minutes > check.grace:
                    result = "late"
                    late += 1
                    late_minutes += minutes
                else:
                    result = "ok"
            else:
                minutes = int((moment - punch) // 60)
                if minutes > check.grace:
                    result = "early"
                    early += 1
                else:
                    result = "ok"
        elif step_outs and any(
            s.out_at <= plan.spans[index][0]
            and (s.back_at is None or s.back_at >= plan.spans[index][0])
            for s in step_outs
        ):
            result = "out"
        elif high > now_stamp:
            result = "pending"
        else:
            result = "missing"
        if punch is not None:
            local = datetime.fromtimestamp(punch, tz)
            shown = f"{local.hour:02d}:{local.minute:02d}"
        else:
            shown = None
        results.append(
            {
                "code": check.code,
                "kind": check.kind,
                "at": plan.labels[index],
                "punch": shown,
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
    overdue = 0
    if step_outs:
        limit = limit if limit is not None else overdue_limit()
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
