"""Month end: the attendance deductions proposed from the month's days and confirmed by the
center in one step through the assessments entry service; award vetoes; the monthly sheet."""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssessmentRule
from assessments.services.entries import entry_record
from core.audit import audited, log_bulk
from staff.permissions import Perm

from ..conf import conf
from ..models import AttendanceDay, DeductionKind, DeductionState, MonthDeduction
from .common import require

# the AttendanceDay field each kind of deduction counts
COUNTED = {
    DeductionKind.LATE: "late",
    DeductionKind.LEFT_EARLY: "left_early",
    DeductionKind.MISSING: "missing",
    DeductionKind.ABSENT: "absent_halves",
    DeductionKind.STEP_OUT: "step_out_overdue",
}


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=_calendar.monthrange(first.year, first.month)[1])


def month_counts(start: date, end: date, staff_ids: list[int] | None = None) -> dict[int, dict]:
    """Per person: the sums of each counted field over [start, end], and the department."""
    rows = AttendanceDay.objects.filter(date__gte=start, date__lte=end)
    if staff_ids is not None:
        rows = rows.filter(staff_id__in=staff_ids)
    sums = {kind: Sum(field) for kind, field in COUNTED.items()}
    result = {}
    for row in rows.values("staff_id", "staff__department_id").annotate(**sums).order_by():
        result[row["staff_id"]] = row
    return result


@transaction.atomic
def deductions_propose(*, actor: Any, month: date) -> dict[str, int]:
    """(Re)write the month's proposals from its days: one row per person and kind with a
    count. A proposal whose count changed is updated, one whose count fell to zero removed;
    confirmed rows are never touched, so nothing is counted twice. Returns what was written."""
    require(actor, Perm.ATTENDANCE_MANAGE)
    start, end = month_bounds(month)
    if end >= timezone.localdate():
        raise ValidationError(_("The month is not over yet."))
    counts = month_counts(start, end)
    stored = {(d.staff_id, d.kind): d for d in MonthDeduction.objects.filter(month=start)}
    created, updated, removed = [], [], []
    for staff_id, row in counts.items():
        for kind in COUNTED:
            quantity = row[kind] or 0
            current = stored.get((staff_id, kind))
            if current is None:
                if quantity:
                    created.append(
                        MonthDeduction(
                            staff_id=staff_id,
                            department_id=row["staff__department_id"],
                            month=start,
                            kind=kind,
                            quantity=quantity,
                        )
                    )
            elif current.state == DeductionState.PROPOSED:
                if not quantity:
                    removed.append(current.pk)
                elif current.quantity != quantity:
                    current.quantity = quantity
                    updated.append(current)
    for (staff_id, _kind), current in stored.items():
        if staff_id not in counts and current.state == DeductionState.PROPOSED:
            removed.append(current.pk)
    MonthDeduction.objects.bulk_create(created)
    MonthDeduction.objects.bulk_update(updated, ["quantity"])
    MonthDeduction.objects.filter(pk__in=removed).delete()
    written = len(created) + len(updated) + len(removed)
    if written:
        log_bulk(
            actor=actor,
            model=MonthDeduction,
            action="propose",
            count=written,
            reason=_("Attendance deductions proposed for %(month)s") % {"month": f"{start:%Y-%m}"},
        )
    return {"created": len(created), "updated": len(updated), "removed": len(removed)}


def _rules() -> dict[str, AssessmentRule]:
    codes = conf("DEDUCTION_RULES")
    rules = {r.code: r for r in AssessmentRule.objects.filter(code__in=codes.values())}
    missing = sorted(set(codes.values()) - set(rules))
    if missing:
        raise ValidationError(
            _("These assessment rules do not exist: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    return {kind: rules[code] for kind, code in codes.items()}


@transaction.atomic
def deductions_confirm(
    *, actor: Any, month: date, ids: list[int] | None = None
) -> list[MonthDeduction]:
    """Record every proposal of the month (or those of ``ids``) as an assessment entry under
    its rule (``DEDUCTION_RULES``), dated the month's last day, in one transaction: all or
    none. A confirmed proposal is never recorded again."""
    require(actor, Perm.ASSESSMENT_ENTRY_EDIT)
    require(actor, Perm.ATTENDANCE_MANAGE)
    start, end = month_bounds(month)
    if end >= timezone.localdate():
        raise ValidationError(_("The month is not over yet."))
    rules = _rules()
    pending = (
        MonthDeduction.objects.select_for_update()
        .filter(month=start, state=DeductionState.PROPOSED)
        .select_related("staff")
        .order_by("staff_id", "kind")
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    confirmed = []
    with audited(actor=actor, reason=_("Attendance deductions confirmed")):
        for item in pending:
            entry = entry_record(
                actor=actor,
                staff=item.staff,
                rule=rules[item.kind],
                date=end,
                quantity=item.quantity,
                notes=_("Attendance %(month)s: %(kind)s × %(count)d")
                % {
                    "month": f"{start:%Y-%m}",
                    "kind": DeductionKind(item.kind).label,
                    "count": item.quantity,
                },
            )
            item.entry = entry
            item.state = DeductionState.CONFIRMED
            item.save(update_fields=["entry", "state"])
            confirmed.append(item)
    return confirmed


# --- award vetoes ------------------------------------------------------------------------------


def award_vetoes(*, start: date, end: date, award: str = "service_star") -> dict[int, list[str]]:
    """The people barred from ``award`` over [start, end] by ``AWARD_VETOES`` (e.g. five late
    arrivals bar the service star), each with the reasons."""
    thresholds = conf("AWARD_VETOES").get(award, {})
    if not thresholds:
        return {}
    barred: dict[int, list[str]] = {}
    for staff_id, row in month_counts(start, end).items():
        for kind, limit in thresholds.items():
            count = row.get(kind) or 0
            if limit and count >= limit:
                barred.setdefault(staff_id, []).append(
                    _("%(kind)s: %(count)d (limit %(limit)d)")
                    % {"kind": DeductionKind(kind).label, "count": count, "limit": limit}
                )
    return barred


def period_vetoes(period: Any) -> dict[int, list[str]]:
    """The service-star veto over an assessment period (registered in ``assessments.vetoes``)."""
    return award_vetoes(start=period.start_date, end=period.end_date, award="service_star")


# --- the monthly sheet -------------------------------------------------------------------------

SYMBOLS = {
    "on_time": "√",
    "late": "迟",
    "left_early": "早",
    "missing_punch": "缺",
    "absent": "旷",
    "on_leave": "假",
    "on_duty": "公",
}


def month_days(month: date) -> list[date]:
    start, end = month_bounds(month)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
