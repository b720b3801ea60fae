"""The center returns a person to the home department for poor performance (退回): the stationing
ends with that reason (the promotions three-year bar reads it) and the department is asked to
station a replacement by a due date (:class:`~windows.models.ReplacementDemand`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited
from core.workdays import add_working_days
from staff.permissions import Perm, has_perm

from .. import notify, rules
from ..models import EndReason, ReplacementDemand, Stationing, TransferRequest
from .transfers import stationing_end


@transaction.atomic
def stationing_return(
    *, actor: Any, stationing: Stationing, reason: str, end_date: date | None = None
) -> ReplacementDemand:
    """End ``stationing`` on ``end_date`` (today by default) as returned for poor performance
    and demand a replacement from its department, due in ``REPLACEMENT_DEADLINE_WORKDAYS``
    working days. The center only; a written reason is required; refused while the person has
    an open transfer request (withdraw it first)."""
    if not has_perm(actor, Perm.STATIONING_RETURN):
        raise PermissionDenied(_("You are not allowed to do this."))
    today = timezone.localdate()
    end_date = end_date or today
    reason = (reason or "").strip()
    problem = rules.justification_problem(reason)
    if problem:
        raise ValidationError({"reason": [problem]})
    locked = (
        Stationing.objects.select_for_update(of=("self",))
        .select_related("staff", "window")
        .get(pk=stationing.pk)
    )
    if locked.end_date is not None:
        raise ValidationError(_("This stationing has ended."))
    if end_date > today:
        raise ValidationError({"end_date": [_("The date cannot be in the future.")]})
    if end_date < locked.start_date:
        raise ValidationError(
            {"end_date": [_("The date is before the person's stationing began.")]}
        )
    if TransferRequest.objects.open().filter(outgoing_id=locked.staff_id).exists():
        raise ValidationError(
            _("%(name)s has an open transfer request; withdraw or reject it first.")
            % {"name": locked.staff.name}
        )
    with audited(
        actor=actor,
        reason=_("Returned for poor performance: %(reason)s") % {"reason": reason},
    ):
        stationing_end(
            locked,
            end_date=end_date,
            end_reason=EndReason.RETURNED,
            is_early=rules.is_early(locked.start_date, end_date),
        )
        demand = ReplacementDemand(
            window=locked.window,
            department_id=locked.window.department_id,
            returned_stationing=locked,
            reason=reason,
            due_date=add_working_days(today, int(rules.center("REPLACEMENT_DEADLINE_WORKDAYS"))),
            raised_by=actor,
        )
        demand.full_clean()
        demand.save()
        notify.replacement_demanded(demand, actor)
    events.emit(events.STAFF_EVENT, staff_ids=[locked.staff_id])
    return demand
