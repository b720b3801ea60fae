"""Reserve cadres and their rotation plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm
from windows.models import Window

from ..models import (
    RotationPlan,
)
from .common import WorkflowConflict, require


@transaction.atomic
def reserve_mark(*, actor: Any, staff: Staff, reserve: bool, reason: str = "") -> Staff:
    """Mark or unmark a person as a reserve cadre (后备干部)."""
    require(actor, Perm.RESERVE_MANAGE)
    locked = Staff.objects.select_for_update().get(pk=staff.pk)
    if locked.is_reserve_cadre == reserve:
        return locked
    locked.is_reserve_cadre = reserve
    default = _("Marked as a reserve cadre") if reserve else _("No longer a reserve cadre")
    with audited(actor=actor, reason=(reason or "").strip() or default):
        locked.save(update_fields=["is_reserve_cadre", "updated_at"])
    return locked


@transaction.atomic
def rotation_plan_create(
    *,
    actor: Any,
    staff: Staff,
    planned_start: date,
    window: Window | None = None,
    minimum_months: int | None = None,
    notes: str = "",
) -> RotationPlan:
    """Plan a reserve cadre's rotation to a window (``ROTATION_MIN_MONTHS`` by default). One
    plan in force per person: cancel the old one first."""
    require(actor, Perm.RESERVE_MANAGE)
    locked = Staff.objects.select_for_update().get(pk=staff.pk)
    if not locked.is_reserve_cadre:
        raise ValidationError(
            _("Only a reserve cadre gets a rotation plan; mark the person first.")
        )
    if RotationPlan.objects.filter(staff=locked, cancelled=False).exists():
        raise ValidationError(
            _("This person already has a rotation plan; cancel it before planning another.")
        )
    months = minimum_months or int(settings.PROMOTIONS["ROTATION_MIN_MONTHS"])
    if months < 1:
        raise ValidationError({"minimum_months": _("At least one month.")})
    plan = RotationPlan(
        staff=locked,
        window=window,
        planned_start=planned_start,
        minimum_months=months,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    with audited(actor=actor, reason=_("Rotation planned")):
        plan.save()
    return plan


@transaction.atomic
def rotation_plan_cancel(*, actor: Any, plan: RotationPlan, reason: str = "") -> RotationPlan:
    require(actor, Perm.RESERVE_MANAGE)
    locked = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.cancelled:
        raise WorkflowConflict(_("This rotation plan is already cancelled."))
    locked.cancelled = True
    with audited(actor=actor, reason=(reason or "").strip() or _("Rotation plan cancelled")):
        locked.save(update_fields=["cancelled"])
    return locked
