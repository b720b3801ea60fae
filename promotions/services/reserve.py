"""Reserve cadres and their rotation plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from notifications.services import notify
from staff.models import Staff
from staff.permissions import Perm, has_perm
from windows import services as window_services
from windows.models import (
    Post,
    Side,
    TransferKind,
    TransferState,
    Window,
    months_between,
)

from .. import reminders
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
    """Cancel a plan: the center any plan, the home department the plans it proposed (issue
    #16). Refused while the rotation's transfer request is open (withdraw it first)."""
    locked = (
        RotationPlan.objects.select_for_update(of=("self",))
        .select_related("staff", "transfer")
        .get(pk=plan.pk)
    )
    if not has_perm(actor, Perm.RESERVE_MANAGE):
        _home_side(actor, locked.staff.department_id)
        if locked.raised_by != Side.DEPARTMENT:
            raise PermissionDenied(_("Only the center changes the plans it made."))
    if locked.cancelled:
        raise WorkflowConflict(_("This rotation plan is already cancelled."))
    if locked.transfer_id and locked.transfer.is_open:
        raise ValidationError(
            _("Withdraw the rotation's transfer request (#%(number)d) first.")
            % {"number": locked.transfer_id}
        )
    locked.cancelled = True
    with audited(actor=actor, reason=(reason or "").strip() or _("Rotation plan cancelled")):
        locked.save(update_fields=["cancelled"])
    return locked


# --- the home department's rotations (issue #16) -----------------------------------------------


def _home_side(actor: Any, department_id: int) -> str:
    """The side proposing for ``department_id``: the department (its liaison) or the center."""
    require(actor, Perm.ROTATION_PROPOSE)
    side = window_services.side_of(actor, department_id)
    if side is None:
        raise PermissionDenied(_("You may only plan rotations for your own department's people."))
    return side


@transaction.atomic
def rotation_plan_propose(
    *,
    actor: Any,
    staff: Staff,
    window: Window | None,
    planned_start: date,
    planned_end: date | None,
    post: str = Post.STAFF,
    notes: str = "",
) -> RotationPlan:
    """The home department proposes that a reserve cadre of theirs go to one of its windows, at
    a post, for a period of at least ``ROTATION_MIN_MONTHS``; the center sees the plan on its
    reserve board (and is notified). One plan in force per person. Raises PermissionDenied
    (another department's person) or ValidationError; nothing is written when refused."""
    locked = Staff.objects.select_for_update().select_related("department").get(pk=staff.pk)
    side = _home_side(actor, locked.department_id)
    if not locked.is_reserve_cadre:
        raise ValidationError(
            _("Only a reserve cadre gets a rotation plan; the center marks reserve cadres.")
        )
    errors: dict[str, list[str]] = {}
    if window is None:
        errors["window"] = [_("Choose the window.")]
    elif window.department_id != locked.department_id:
        errors["window"] = [_("The window belongs to another department.")]
    elif not window.active:
        errors["window"] = [_("This window is closed.")]
    if post not in Post.values:
        errors["post"] = [_("Choose the post.")]
    months = 0
    if planned_start < timezone.localdate():
        errors["planned_start"] = [_("The rotation cannot start in the past.")]
    if planned_end is None or planned_end <= planned_start:
        errors["planned_end"] = [_("The rotation ends after it starts.")]
    else:
        months = months_between(planned_start, planned_end)
        least = int(settings.PROMOTIONS["ROTATION_MIN_MONTHS"])
        if months < least:
            errors["planned_end"] = [_("A rotation lasts at least %(n)d months.") % {"n": least}]
    if errors:
        raise ValidationError(errors)
    if RotationPlan.objects.filter(staff=locked, cancelled=False).exists():
        raise ValidationError(
            _("This person already has a rotation plan; cancel it before planning another.")
        )
    plan = RotationPlan(
        staff=locked,
        window=window,
        post=post,
        planned_start=planned_start,
        planned_end=planned_end,
        minimum_months=months,
        notes=(notes or "").strip(),
        raised_by=side,
        created_by=actor,
    )
    with audited(actor=actor, reason=_("Rotation proposed by the home department")):
        plan.save()
    if side == Side.DEPARTMENT:
        notify(
            kind=reminders.ROTATION_PROPOSED.key,
            subject=(RotationPlan, plan.pk),
            period="proposed",
            recipients=reminders.center_admins(),
            params={
                "name": locked.name,
                "department": locked.department.name,
                "window": window.code,
                "start": planned_start.isoformat(),
                "end": planned_end.isoformat(),
            },
            link=reverse("promotions:reserve_board"),
        )
    return plan


@transaction.atomic
def rotation_plan_start(
    *, actor: Any, plan: RotationPlan, early_justification: str = ""
) -> RotationPlan:
    """The rotation starts: raise its transfer request through the windows workflow (a request
    to station the person when they are at no window, a rotation from their current window
    otherwise), submitted for the center's vetting and approval like any other. Never writes a
    stationing: the person is at the window only when the center approves and the request takes
    effect. ``early_justification`` is what the transfer rules ask when the person leaves their
    current window before the minimum tenure. Raises PermissionDenied, ValidationError (the
    transfer's own refusals, by field) or WorkflowConflict (cancelled, already raised)."""
    locked = (
        RotationPlan.objects.select_for_update(of=("self",))
        .select_related("staff", "window", "transfer")
        .get(pk=plan.pk)
    )
    person = locked.staff
    _home_side(actor, person.department_id)
    if locked.cancelled:
        raise WorkflowConflict(_("This rotation plan is cancelled."))
    if locked.transfer_id and locked.transfer.state not in (
        TransferState.REJECTED,
        TransferState.WITHDRAWN,
    ):
        raise WorkflowConflict(
            _("This rotation already has its transfer request (#%(number)d).")
            % {"number": locked.transfer_id}
        )
    if locked.window is None:
        raise ValidationError(_("The plan names no window: plan the rotation again with one."))
    today = timezone.localdate()
    end = locked.planned_end.isoformat() if locked.planned_end else "—"
    fields: dict[str, Any] = {
        "effective_date": max(locked.planned_start, today),
        "incoming_post": locked.post,
        "reason": _("Reserve-cadre rotation to window %(window)s, %(start)s to %(end)s.")
        % {"window": locked.window.code, "start": locked.planned_start.isoformat(), "end": end},
    }
    current = person.stationings.open().select_related("window").first()
    if current is None:
        fields.update(kind=TransferKind.STATION, window=locked.window, incoming=person)
    elif current.window_id == locked.window_id:
        raise ValidationError(
            _("%(name)s is already stationed at window %(window)s.")
            % {"name": person.name, "window": locked.window.code}
        )
    else:
        fields.update(
            kind=TransferKind.ROTATE,
            window=current.window,
            to_window=locked.window,
            outgoing=person,
            early_justification=early_justification,
        )
    transfer = window_services.transfer_create(actor=actor, **fields)
    transfer = window_services.transfer_submit(actor=actor, transfer=transfer)
    locked.transfer = transfer
    with audited(
        actor=actor,
        reason=_("Rotation started: transfer request #%(number)d") % {"number": transfer.pk},
    ):
        locked.save(update_fields=["transfer"])
    return locked
