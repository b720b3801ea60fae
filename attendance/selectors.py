"""Reads of the attendance app, always scoped to the viewer (``staff.permissions.scope``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from staff.models import Department, Role, Staff
from staff.permissions import role_of, scope
from windows.models import Post, Stationing

from .conf import conf
from .models import AttendanceDay, LeaveRequest, LeaveStatus, MakeupRequest, StepOut


def day_list_for_user(user: Any, *, day: date) -> QuerySet[AttendanceDay]:
    return (
        scope(AttendanceDay.objects.filter(date=day), user, department="department", person="staff")
        .select_related("staff", "department", "window")
        .order_by("department__code", "staff__name", "id")
    )


def day_counts_for_user(user: Any, *, day: date) -> dict[str, int]:
    rows = (
        scope(AttendanceDay.objects.filter(date=day), user, department="department", person="staff")
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def staff_get_for_user(user: Any, pk: int) -> Staff:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        scope(Staff.objects.select_related("department"), user, department="department", person=""),
        pk=pk,
    )


def person_month(staff: Staff, first: date, last: date) -> list[AttendanceDay]:
    return list(
        AttendanceDay.objects.filter(staff=staff, date__gte=first, date__lte=last)
        .select_related("window")
        .order_by("date")
    )


def _chief_of(user: Any) -> QuerySet:
    """The people stationed today at windows where ``user`` is the chief representative."""
    today = timezone.localdate()
    windows = Stationing.objects.current_on(today).filter(
        staff__user=user, post=Post.CHIEF_REPRESENTATIVE
    )
    return (
        Stationing.objects.current_on(today)
        .filter(window_id__in=windows.values("window_id"))
        .values("staff_id")
    )


def leave_list_for_user(user: Any) -> QuerySet[LeaveRequest]:
    """Leave in the user's scope; a window staff member also sees the leave of the people at
    the windows where they are the chief representative (they decide the chief's step)."""
    rows = scope(LeaveRequest.objects.all(), user, department="staff__department", person="staff")
    if role_of(user) == Role.STAFF:
        rows = LeaveRequest.objects.filter(Q(staff__user=user) | Q(staff_id__in=_chief_of(user)))
    return (
        rows.select_related("staff", "staff__department", "stand_in")
        .prefetch_related("approvals")
        .order_by("-start_date", "-id")
    )


def leave_get_for_user(user: Any, pk: int) -> LeaveRequest:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(leave_list_for_user(user), pk=pk)


def leave_waiting_for(user: Any) -> list[LeaveRequest]:
    """Pending leave whose next step this user may decide."""
    from .services.leave import chief_users, may_decide

    pending = list(leave_list_for_user(user).filter(status=LeaveStatus.PENDING)[:200])
    chiefs = chief_users([leave.staff_id for leave in pending])
    return [
        leave
        for leave in pending
        if leave.next_step and may_decide(user, leave, leave.next_step, chiefs)
    ]


def with_overdue(queryset: QuerySet[StepOut], now=None) -> QuerySet[StepOut]:
    """Annotate ``away`` and ``overdue`` (away longer than ``STEP_OUT_OVERDUE_MINUTES``),
    read live: an open record turns overdue while nobody writes anything."""
    now = now or timezone.now()
    limit = timedelta(minutes=conf("STEP_OUT_OVERDUE_MINUTES"))
    away = ExpressionWrapper(
        Coalesce(F("back_at"), Value(now)) - F("out_at"), output_field=DurationField()
    )
    return queryset.annotate(away=away).annotate(
        overdue=Case(
            When(away__gt=limit, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def step_out_list_for_user(user: Any, *, day: date | None = None) -> QuerySet[StepOut]:
    day = day or timezone.localdate()
    rows = scope(StepOut.objects.all(), user, department="staff__department", person="staff")
    rows = rows.filter(Q(out_at__date=day) | Q(back_at__isnull=True))
    return (
        with_overdue(rows).select_related("staff", "staff__department").order_by("-out_at", "-id")
    )


def step_out_get_for_user(user: Any, pk: int) -> StepOut:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        scope(
            StepOut.objects.select_related("staff"),
            user,
            department="staff__department",
            person="staff",
        ),
        pk=pk,
    )


def makeup_list_for_user(user: Any) -> QuerySet[MakeupRequest]:
    return (
        scope(MakeupRequest.objects.all(), user, department="staff__department", person="staff")
        .select_related("staff", "staff__department")
        .order_by("status", "-at", "-id")
    )


def department_list_for_user(user: Any) -> QuerySet[Department]:
    return scope(Department.objects.filter(active=True), user, department="pk").order_by("code")


def department_sheet(department: Department, days: list[date]) -> list[dict[str, Any]]:
    """One row per person with a day in the month: their status per day and the month's sums."""
    first, last = days[0], days[-1]
    rows: dict[int, dict[str, Any]] = {}
    for item in (
        AttendanceDay.objects.filter(department=department, date__gte=first, date__lte=last)
        .select_related("staff")
        .order_by("staff__staff_number", "date")
    ):
        row = rows.setdefault(
            item.staff_id,
            {
                "staff": item.staff,
                "days": {},
                "late": 0,
                "left_early": 0,
                "missing": 0,
                "absent_halves": 0,
                "on_leave": 0,
                "step_out_overdue": 0,
            },
        )
        row["days"][item.date] = item.status
        for field in ("late", "left_early", "missing", "absent_halves", "step_out_overdue"):
            row[field] += getattr(item, field)
        row["on_leave"] += item.status == "on_leave"
    for row in rows.values():
        row["cells"] = [row["days"].get(d) for d in days]
    return list(rows.values())
