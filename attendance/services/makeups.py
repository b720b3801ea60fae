"""Make-up punches (补卡): asked by the person within the allowed days, decided by the center,
refused once the person's month deductions are confirmed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm, can_use_department

from ..conf import conf
from ..models import (
    DeductionState,
    MakeupRequest,
    MonthDeduction,
    Punch,
    PunchMethod,
    RequestStatus,
)
from .common import may_act_for, require
from .days import person_days_refresh


def _check_month_open(staff_id: int, day: date) -> None:
    """No make-up punch once the month's attendance deductions of the person are confirmed: the
    month is settled, and a batch of make-ups at month end cannot rewrite it."""
    if MonthDeduction.objects.filter(
        staff_id=staff_id, month=day.replace(day=1), state=DeductionState.CONFIRMED
    ).exists():
        raise ValidationError(
            {
                "at": [
                    _(
                        "The attendance of %(month)s is settled (its deductions are confirmed): "
                        "a make-up punch can no longer change it."
                    )
                    % {"month": date_format(day, "YEAR_MONTH_FORMAT")}
                ]
            }
        )


@transaction.atomic
def makeup_request(*, actor: Any, staff: Staff, at: datetime, reason: str) -> MakeupRequest:
    """Ask for a forgotten punch: at most ``MAKEUP_CUTOFF_DAYS`` days after the day and
    ``MAKEUP_MAX_PER_MONTH`` a month (pending and approved ones count)."""
    require(actor, Perm.ATTENDANCE_REQUEST)
    if not may_act_for(actor, staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may ask for a make-up punch only for yourself."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    now = timezone.now()
    if at > now:
        raise ValidationError({"at": [_("The time cannot be in the future.")]})
    day = timezone.localtime(at).date()
    if (timezone.localdate() - day).days > conf("MAKEUP_CUTOFF_DAYS"):
        raise ValidationError(
            {
                "at": [
                    _("A make-up punch can be asked at most %(days)d days after the day.")
                    % {"days": conf("MAKEUP_CUTOFF_DAYS")}
                ]
            }
        )
    Staff.objects.select_for_update().filter(pk=staff.pk).first()
    _check_month_open(staff.pk, day)
    used = MakeupRequest.objects.filter(
        staff=staff,
        status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
        at__year=day.year,
        at__month=day.month,
    ).count()
    if used >= conf("MAKEUP_MAX_PER_MONTH"):
        raise ValidationError(
            {
                "at": [
                    _("At most %(count)d make-up punches a month.")
                    % {"count": conf("MAKEUP_MAX_PER_MONTH")}
                ]
            }
        )
    item = MakeupRequest(staff=staff, at=at, reason=reason.strip(), requested_by=actor)
    with audited(actor=actor, reason=_("Make-up punch requested")):
        item.save()
    return item


@transaction.atomic
def makeup_decide(
    *, actor: Any, request: MakeupRequest, approve: bool, note: str = ""
) -> MakeupRequest:
    """The center approves (the punch is recorded, the day re-derived) or refuses."""
    require(actor, Perm.ATTENDANCE_MANAGE)
    item = MakeupRequest.objects.select_for_update().select_related("staff").get(pk=request.pk)
    if not can_use_department(actor, item.staff.department_id):
        raise PermissionDenied(_("You are not allowed to do this."))
    if item.status != RequestStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason for refusing.")]})
    if approve:
        _check_month_open(item.staff_id, timezone.localtime(item.at).date())
    item.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.decision_note = (note or "").strip()
    with audited(actor=actor, reason=_("Make-up punch decision")):
        item.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            Punch.objects.create(
                staff=item.staff,
                at=item.at,
                method=PunchMethod.MAKEUP,
                source="makeup",
                record_id=str(item.pk),
                device="",
            )
    if approve:
        day = timezone.localtime(item.at).date()
        person_days_refresh(staff_id=item.staff_id, start=day, end=day)
    return item
