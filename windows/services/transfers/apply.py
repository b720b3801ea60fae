"""A request taking effect: the old stationing closed (a chief's letters with it), the new one
opened, the window's replacement demand fulfilled, all in one transaction; and the daily task
that applies every approved request that is due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited

from ...models import ChiefAppointment, Post, ReplacementDemand, Stationing, TransferRequest, Window
from .machine import END_REASON, S, TransferConflict, begin, finish
from .validation import rule_violations, stationed_person


def apply_locked(locked: TransferRequest, *, actor: Any) -> None:
    """Close the old stationing and open the new one. Runs inside the caller's transaction."""
    if locked.state != S.APPROVED:
        raise TransferConflict(
            _("This request is already %(state)s.") % {"state": locked.get_state_display()}
        )
    reason = _("Transfer request #%(id)d took effect") % {"id": locked.pk}
    if locked.override_reason:
        reason += " · " + _("rule overridden by the center: %(why)s") % {
            "why": locked.override_reason
        }
    person = stationed_person(locked)
    if person is not None:
        # The window's row is the lock of its headcount and its chief: of two requests filling
        # the last place (or the chief's post) at once, the second sees the first's stationing.
        Window.objects.select_for_update().filter(pk=locked.target_window.pk).first()
        violations = rule_violations(locked)
        if violations:
            raise ValidationError(violations)
    try:
        with transaction.atomic(), audited(actor=actor, reason=reason):
            if locked.outgoing_stationing_id is not None:
                old = Stationing.objects.select_for_update().get(pk=locked.outgoing_stationing_id)
                if old.end_date is not None:
                    raise TransferConflict(
                        _("%(name)s's stationing was already closed; nothing was changed.")
                        % {"name": locked.outgoing.name}
                    )
                stationing_end(
                    old,
                    end_date=locked.effective_date,
                    end_reason=END_REASON[locked.kind],
                    is_early=locked.is_early,
                )
            if person is not None:
                new = Stationing(
                    staff=person,
                    window=locked.target_window,
                    post=locked.incoming_post,
                    start_date=locked.effective_date,
                )
                new.full_clean()
                new.save()
                locked.new_stationing = new
                fulfil_replacement_demand(locked)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "The stationing would overlap another stationing of the same person; nothing "
                "was changed."
            )
        ) from exc
    locked.applied_at = timezone.now()
    events.emit(events.STAFF_EVENT, staff_ids=[locked.outgoing_id, locked.incoming_id])
    finish(locked, "apply", actor, reason=reason)


@transaction.atomic
def transfer_apply(
    *, actor: Any, transfer: TransferRequest, today: date | None = None
) -> TransferRequest:
    """Let an approved request take effect: old stationing closed, new opened, all or nothing."""
    today = today or timezone.localdate()
    locked = begin(transfer, "apply", actor)
    if locked.effective_date > today:
        raise ValidationError(
            _("This request takes effect on %(date)s, not before.")
            % {"date": locked.effective_date.isoformat()}
        )
    apply_locked(locked, actor=actor)
    return locked


def transfer_apply_due(*, today: date | None = None, ids: list[int] | None = None) -> dict:
    """Apply every approved request dated ``today`` or earlier (the daily task). Each request in
    its own transaction; one that fails stays approved and is reported, the others go ahead.
    Safe to run twice: an applied request is no longer approved."""
    today = today or timezone.localdate()
    due = TransferRequest.objects.filter(state=S.APPROVED, effective_date__lte=today)
    if ids is not None:
        due = due.filter(pk__in=ids)
    applied, failed = [], {}
    for pk in due.order_by("effective_date", "id").values_list("pk", flat=True):
        try:
            transfer_apply(actor=None, transfer=TransferRequest(pk=pk), today=today)
            applied.append(pk)
        except (ValidationError, PermissionDenied) as exc:
            failed[pk] = "; ".join(getattr(exc, "messages", [str(exc)]))
    return {"applied": applied, "failed": failed}


def stationing_end(
    stationing: Stationing, *, end_date: date, end_reason: str, is_early: bool
) -> None:
    """Close a locked open stationing. A chief representative's letters end with it (valid
    until the day before), so the window is left explicitly without a chief
    (``selectors.windows_without_chief``) until a successor is appointed."""
    stationing.end_date = end_date
    stationing.end_reason = end_reason
    stationing.is_early_end = is_early
    stationing.full_clean()
    stationing.save()
    if stationing.post == Post.CHIEF_REPRESENTATIVE:
        last_day = max(end_date - timedelta(days=1), date.min)
        for letter in (
            ChiefAppointment.objects.select_for_update()
            .filter(stationing=stationing)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=last_day))
        ):
            letter.valid_until = max(last_day, letter.valid_from)
            letter.save(update_fields=["valid_until"])


def fulfil_replacement_demand(transfer: TransferRequest) -> None:
    """A stationing at a window where the center demanded a replacement fulfils the oldest open
    demand of that window."""
    demand = (
        ReplacementDemand.objects.select_for_update()
        .filter(window=transfer.target_window, fulfilled_at__isnull=True)
        .order_by("due_date", "id")
        .first()
    )
    if demand is not None:
        demand.fulfilled_by = transfer
        demand.fulfilled_at = timezone.now()
        demand.save(update_fields=["fulfilled_by", "fulfilled_at"])
