"""Stepping out (离岗): registered by the person (refused while it would leave the window
empty), back again; overdue returns are flagged live."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm

from ..models import (
    StepOut,
)
from .common import may_act_for, require
from .cover import check_cover_for_step_out
from .days import person_days_refresh


@transaction.atomic
def step_out_register(
    *, actor: Any, staff: Staff, reason: str, destination: str, at: datetime | None = None
) -> StepOut:
    """Register leaving the post (the person, or the center for them)."""
    require(actor, Perm.ATTENDANCE_REQUEST)
    if not may_act_for(actor, staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may register stepping out only for yourself."))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if not (destination or "").strip():
        errors["destination"] = [_("Say where you are going.")]
    if errors:
        raise ValidationError(errors)
    Staff.objects.select_for_update().filter(pk=staff.pk).first()
    if StepOut.objects.filter(staff=staff, back_at__isnull=True).exists():
        raise ValidationError(_("You are already registered as out; register your return first."))
    check_cover_for_step_out(staff, at or timezone.now())
    item = StepOut(
        staff=staff,
        out_at=at or timezone.now(),
        reason=reason.strip()[:200],
        destination=destination.strip()[:200],
        registered_by=actor,
    )
    with audited(actor=actor, reason=_("Stepping out")):
        item.save()
    return item


@transaction.atomic
def step_out_back(*, actor: Any, step_out: StepOut, at: datetime | None = None) -> StepOut:
    item = StepOut.objects.select_for_update().select_related("staff").get(pk=step_out.pk)
    if not may_act_for(actor, item.staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may not change this record."))
    if item.back_at is not None:
        raise ValidationError(_("The return is already registered."))
    back = at or timezone.now()
    if back < item.out_at:
        raise ValidationError(_("The return cannot be before leaving."))
    item.back_at = back
    with audited(actor=actor, reason=_("Back from stepping out")):
        item.save(update_fields=["back_at"])
    day = timezone.localtime(item.out_at).date()
    person_days_refresh(staff_id=item.staff_id, start=day, end=day)
    return item
