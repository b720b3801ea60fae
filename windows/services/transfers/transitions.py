"""The transitions a side fires (submit, start vetting, approve, reject, withdraw) and the
center's vetting of the incoming person."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.workdays import add_working_days
from staff.permissions import Perm, has_perm

from ... import notify, rules
from ...models import Side, TransferKind, TransferRequest, Vetting, VettingDecision
from .apply import apply_locked
from .machine import (
    CENTER,
    NEEDS_INCOMING,
    S,
    TransferConflict,
    begin,
    consent,
    finish,
    lock,
    roles_of,
)
from .validation import set_override, validate


@transaction.atomic
def transfer_submit(*, actor: Any, transfer: TransferRequest) -> TransferRequest:
    """Send a draft to the other side. The raiser's submission is its side's consent. A
    replacement the center demands gets a deadline in working days."""
    locked = begin(transfer, "submit", actor)
    validate(locked, today=timezone.localdate(), actor=actor)
    consent(locked, locked.raised_by, actor)
    if locked.raised_by == Side.CENTER and locked.kind == TransferKind.REPLACE:
        locked.deadline = add_working_days(
            timezone.localdate(), int(rules.center("REPLACEMENT_DEADLINE_WORKDAYS"))
        )
    finish(locked, "submit", actor)
    return locked


@transaction.atomic
def transfer_start_vetting(*, actor: Any, transfer: TransferRequest) -> TransferRequest:
    locked = begin(transfer, "start_vetting", actor)
    if locked.kind not in NEEDS_INCOMING or locked.incoming_id is None:
        raise ValidationError(_("There is no incoming person to vet yet."))
    finish(locked, "start_vetting", actor)
    return locked


@transaction.atomic
def transfer_approve(
    *,
    actor: Any,
    transfer: TransferRequest,
    note: str = "",
    today: date | None = None,
    override_reason: str | None = None,
) -> TransferRequest:
    """The other side consents. Refused while the incoming person has not passed vetting, when a
    chief representative would be ineligible, or when an early transfer lacks the center's consent.
    The center approving may override the post and quota rules with ``override_reason``.
    A request dated today or earlier takes effect at once, in the same transaction."""
    today = today or timezone.localdate()
    locked = begin(transfer, "approve", actor)
    set_override(locked, actor, override_reason)
    validate(locked, today=today, actor=actor)
    if locked.kind in NEEDS_INCOMING:
        if locked.incoming_id is None:
            raise ValidationError(_("The department has not named the incoming person yet."))
        latest = (
            Vetting.objects.filter(transfer=locked, staff_id=locked.incoming_id)
            .order_by("-vetted_at", "-id")
            .first()
        )
        if locked.state != S.VETTING or latest is None or latest.decision != VettingDecision.PASS:
            raise ValidationError(
                _("%(name)s has not passed the center's vetting; the request cannot be approved.")
                % {"name": locked.incoming.name}
            )
    consent(locked, locked.counterparty, actor)
    if locked.is_early and locked.center_consent_at is None:
        raise ValidationError(_("An early transfer needs the center's explicit approval."))
    if locked.center_consent_at is None or locked.department_consent_at is None:
        raise ValidationError(_("Both the center and the department must consent."))
    locked.decision_note = (note or "").strip()
    finish(locked, "approve", actor, reason=note)
    if locked.effective_date <= today:
        apply_locked(locked, actor=actor)
    return locked


@transaction.atomic
def transfer_reject(*, actor: Any, transfer: TransferRequest, note: str) -> TransferRequest:
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    locked = begin(transfer, "reject", actor)
    locked.decision_note = note.strip()
    finish(locked, "reject", actor, reason=note)
    return locked


@transaction.atomic
def transfer_withdraw(*, actor: Any, transfer: TransferRequest, note: str = "") -> TransferRequest:
    locked = begin(transfer, "withdraw", actor)
    locked.decision_note = (note or "").strip()
    finish(locked, "withdraw", actor, reason=note)
    return locked


@transaction.atomic
def vetting_record(
    *,
    actor: Any,
    transfer: TransferRequest,
    political_ok: bool,
    ability_ok: bool,
    fitness_ok: bool,
    decision: str,
    political_notes: str = "",
    ability_notes: str = "",
    fitness_notes: str = "",
) -> Vetting:
    """Record the center's vetting of the incoming person. A failed vetting rejects the request
    (it blocks the stationing); a pass lets the other side approve."""
    if not has_perm(actor, Perm.VETTING_RECORD):
        raise PermissionDenied(_("You are not allowed to do this."))
    locked = lock(transfer.pk)
    if CENTER not in roles_of(locked, actor):
        raise PermissionDenied(_("Only the center vets incoming staff."))
    if locked.state != S.VETTING:
        raise TransferConflict(
            _("This request is %(state)s; vetting is recorded only while it is being vetted.")
            % {"state": locked.get_state_display()}
        )
    if decision == VettingDecision.PASS and not (political_ok and ability_ok and fitness_ok):
        raise ValidationError(
            {"decision": _("A vetting can only pass when all three dimensions pass.")}
        )
    if decision not in VettingDecision.values:
        raise ValidationError({"decision": _("Choose pass or fail.")})
    vetting = Vetting(
        transfer=locked,
        staff_id=locked.incoming_id,
        political_ok=political_ok,
        political_notes=(political_notes or "").strip(),
        ability_ok=ability_ok,
        ability_notes=(ability_notes or "").strip(),
        fitness_ok=fitness_ok,
        fitness_notes=(fitness_notes or "").strip(),
        decision=decision,
        vetted_by=actor,
    )
    vetting.full_clean()
    with audited(actor=actor, reason=_("Vetting recorded")):
        vetting.save()
    if decision == VettingDecision.FAIL:
        locked.decision_note = _("%(name)s failed the center's vetting.") % {
            "name": locked.incoming.name
        }
        finish(locked, "reject", actor, reason=locked.decision_note)
    else:
        notify.queue(locked, "vetted", actor)
    return vetting
