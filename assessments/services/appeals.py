"""Appeals against entries: the person submits within the deadline, the center decides, the
score is recomputed (even in a closed period — the decided appeal is the record), and so is every
quarter and year the month rolls up into (their totals, ranks and suggested grades; the
promotions flags read those grades)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited
from staff.permissions import Perm

from .. import notify
from ..conf import conf
from ..models import Appeal, AppealStatus, Entry, EntryStatus, PeriodKind, RuleKind
from ..workflow import check_appeal
from . import evidence as evidence_service
from .common import dec, require
from .scores import rollups_recompute, score_recompute, score_refresh


@transaction.atomic
def appeal_submit(
    *, actor: Any, entry: Entry, reason: str, files: list[Any] | None = None
) -> Appeal:
    """The person appeals their own deduction before its deadline. Raises PermissionDenied for
    anyone else, ValidationError when late, already appealed, or not a counting deduction."""
    require(actor, Perm.ASSESSMENT_APPEAL_SUBMIT)
    locked = Entry.objects.select_for_update(of=("self",)).select_related("staff").get(pk=entry.pk)
    if getattr(locked.staff, "user_id", None) != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person concerned may appeal an entry."))
    if locked.kind != RuleKind.DEDUCTION or locked.status != EntryStatus.ACTIVE:
        raise ValidationError(_("Only a deduction that counts can be appealed."))
    if Appeal.objects.filter(entry=locked).exists():
        raise ValidationError(_("This entry has already been appealed."))
    if timezone.localdate() > locked.appeal_deadline:
        raise ValidationError(
            _("The appeal deadline (%(date)s) has passed.")
            % {"date": locked.appeal_deadline.strftime("%Y-%m-%d")}
        )
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": [_("Please explain the reason for the appeal.")]})
    appeal = Appeal(
        entry=locked,
        staff=locked.staff,
        reason=reason,
        submitted_by=actor,
        points_before=locked.points,
    )
    with audited(actor=actor, reason=_("Appeal submitted")):
        appeal.save()
        evidence_service.attach(actor=actor, files=list(files or []), appeal=appeal)
    notify.appeal_submitted(appeal, locked)
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: Any,
    appeal: Appeal,
    outcome: str,
    note: str,
    points_after: Decimal | None = None,
) -> Appeal:
    """Uphold, reduce (to ``points_after``) or cancel the entry; joint-liability shares follow
    their entry; the period's scores are recomputed, closed or not."""
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    check_appeal(actor, locked.status, outcome)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Please give the reason for the decision.")]})
    entry = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("period", "staff__user")
        .get(pk=locked.entry_id)
    )
    if (
        conf("APPEAL_RECORDER_MAY_NOT_DECIDE")
        and entry.recorded_by_id is not None
        and entry.recorded_by_id == getattr(actor, "pk", None)
    ):
        raise ValidationError(
            _(
                "You recorded this deduction, so another member of the center must decide its "
                "appeal."
            )
        )
    if outcome == AppealStatus.REDUCED:
        if points_after is None:
            raise ValidationError({"points_after": [_("Give the reduced points.")]})
        points_after = dec(points_after)
        if not Decimal(0) < points_after < entry.points:
            raise ValidationError(
                {
                    "points_after": [
                        _("The reduced points must be above 0 and below %(p)s.")
                        % {"p": entry.points}
                    ]
                }
            )
    elif outcome == AppealStatus.CANCELLED:
        points_after = Decimal("0")
    else:
        points_after = entry.points
    with audited(
        actor=actor, reason=_("Appeal #%(id)s decided: %(note)s") % {"id": locked.pk, "note": note}
    ):
        if outcome == AppealStatus.REDUCED:
            entry.points = points_after
            entry.save(update_fields=["points"])
        elif outcome == AppealStatus.CANCELLED:
            entry.status = EntryStatus.CANCELLED
            entry.save(update_fields=["status"])
        for share in Entry.objects.select_for_update().filter(joint_parent=entry):
            if outcome == AppealStatus.REDUCED:
                share.points = dec(points_after * share.joint_share)
                share.save(update_fields=["points"])
            elif outcome == AppealStatus.CANCELLED:
                share.status = EntryStatus.CANCELLED
                share.save(update_fields=["status"])
        locked.status = outcome
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.points_after = points_after
        locked.save()
    events.emit(
        events.STAFF_EVENT,
        staff_ids=[entry.staff_id, *entry.joint_shares.values_list("staff_id", flat=True)],
    )
    if outcome != AppealStatus.UPHELD:
        period = entry.period
        if period.kind == PeriodKind.MONTH and not period.is_closed:
            # An open month: the people the entry and its joint shares count for, with their
            # totals (ranks are read live); a closed one is recomputed whole, ranks stored.
            people = [
                entry.staff_id,
                *Entry.objects.filter(joint_parent=entry).values_list("staff_id", flat=True),
            ]
            score_refresh(
                period=period,
                staff_ids=people,
                reason=_("Recomputed after appeal #%(id)s") % {"id": locked.pk},
            )
        else:
            score_recompute(actor=actor, period=period, appeal=locked)
        rollups_recompute(actor=actor, month=period, appeal=locked)
    notify.appeal_decided(locked, entry)
    return locked


@transaction.atomic
def appeal_withdraw(*, actor: Any, appeal: Appeal) -> Appeal:
    locked = (
        Appeal.objects.select_for_update(of=("self",)).select_related("staff").get(pk=appeal.pk)
    )
    if locked.staff.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person concerned may withdraw an appeal."))
    check_appeal(actor, locked.status, AppealStatus.WITHDRAWN)
    locked.status = AppealStatus.WITHDRAWN
    locked.decided_at = timezone.now()
    with audited(actor=actor, reason=_("Appeal withdrawn")):
        locked.save(update_fields=["status", "decided_at"])
    return locked
