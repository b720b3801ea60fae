"""The monthly attendance sheet sent to the home department (issue #17): from
``SHEET_SEND_DAY`` (after the make-up cut-off, so the month is settled) to the end of the month,
each department with attendance days last month gets one notice per month, to its liaisons, with
the month's figures and the sheet as an xlsx attachment built at send time for the recipient.
Registered with the reminder sweeps (schedule ``monthly_report``): a missed day is caught up, a
rerun sends nothing twice (the notification key)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import XLSX_CONTENT_TYPE
from notifications.registry import (
    MONTHLY_REPORT,
    Due,
    Month,
    register_attachments,
    register_kind,
    register_sweep,
)
from staff.models import Department, Role
from staff.permissions import department_ids
from staff.reminders import Recipients

from .conf import conf
from .models import AttendanceDay
from .services.month import month_bounds
from .sheet import sheet_filename, sheet_xlsx

MONTHLY_SHEET_KIND = register_kind(
    key="attendance.monthly_sheet",
    label=_("Monthly attendance sheet"),
    title=_("Attendance sheet of %(department)s for %(month)s"),
    body=_(
        "The attendance of %(department)s at the center for %(month)s: %(people)s people, "
        "%(late)s late arrivals, %(left_early)s early departures, %(missing)s missing punches, "
        "%(absent)s half days absent, %(leave)s days on leave, %(step_out)s overdue returns from "
        "stepping out.\nThe monthly sheet is attached as a spreadsheet and on the attendance "
        "sheet page."
    ),
)


def sheet_month(today: date) -> date | None:
    """The first day of the month whose sheet is sent on ``today``: last month, from the send
    day on."""
    if today.day < conf("SHEET_SEND_DAY"):
        return None
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def department_figures(first: date, last: date) -> dict[int, dict[str, int]]:
    """Per department with days in the month: people and the month's sums. One grouped query."""
    rows = (
        AttendanceDay.objects.filter(date__gte=first, date__lte=last)
        .values("department_id")
        .annotate(
            people=Count("staff_id", distinct=True),
            late=Sum("late"),
            left_early=Sum("left_early"),
            missing=Sum("missing"),
            absent=Sum("absent_halves"),
            leave=Count("id", filter=Q(status="on_leave")),
            step_out=Sum("step_out_overdue"),
        )
        .order_by()
    )
    return {
        row.pop("department_id"): {key: value or 0 for key, value in row.items()} for row in rows
    }


@register_sweep("attendance.monthly_sheet", schedule=MONTHLY_REPORT)
def monthly_sheet_sweep(today: date) -> Iterator[Due]:
    first = sheet_month(today)
    if first is None:
        return
    _start, last = month_bounds(first)
    figures = department_figures(first, last)
    liaisons = Recipients().liaisons
    wanted = sorted(pk for pk in figures if liaisons.get(pk))
    departments = {
        pk: (code, name)
        for pk, code, name in Department.objects.filter(pk__in=wanted).values_list(
            "pk", "code", "name"
        )
    }
    base = reverse("attendance:sheet")
    month = f"{first:%Y-%m}"
    for pk in wanted:
        code, name = departments[pk]
        yield Due(
            kind=MONTHLY_SHEET_KIND.key,
            subject=(Department, pk),
            period=f"sheet-{month}",
            recipients=liaisons[pk],
            params={
                "department": name,
                "month": Month(first),
                **figures[pk],
            },
            link=f"{base}?department={code}&month={month}",
        )


@register_attachments(MONTHLY_SHEET_KIND.key)
def sheet_attachment(row: Any) -> Iterable[tuple[str, bytes, str]]:
    """The sheet, if the recipient may still see the department; nothing otherwise."""
    user = row.recipient
    if user.role not in (Role.LIAISON, Role.CENTER_ADMIN) and not user.is_superuser:
        return []
    allowed = department_ids(user)
    if allowed is not None and row.subject_id not in allowed:
        return []
    department = Department.objects.get(pk=row.subject_id)
    first = date.fromisoformat(row.period.removeprefix("sheet-") + "-01")
    return [(sheet_filename(department, first), sheet_xlsx(department, first), XLSX_CONTENT_TYPE)]
