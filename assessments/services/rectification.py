"""The rectification workflow a bad rating opens (see ``workflow.RECTIFICATION_ACTIONS``): one
step at a time, logged and notified; notes; what counts as overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited

from .. import notify
from ..models import (
    RatingLevel,
    Rectification,
    RectificationLog,
    RectificationStatus,
)
from ..workflow import check_rectification
from . import rating_months


@transaction.atomic
def rectification_step(
    *, actor: Any, case: Rectification, action: str, note: str = "", satisfaction_after: str = ""
) -> Rectification:
    """Move a case one step (see ``workflow.RECTIFICATION_ACTIONS``), log it and notify.

    "appeal" records the rated side's reason (the center then confirms or invalidates), "start"
    needs the reply to the citizen, "respond" the home department's measures (a liaison of the
    case's department, or the center), "finish" the citizen's satisfaction after rectification.
    """
    locked = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("staff", "rating__staff", "rating__window")
        .get(pk=case.pk)
    )
    before = rating_months.snapshot(locked.rating, locked)
    person = (
        getattr(actor, "staff_profile", None) if getattr(actor, "is_authenticated", False) else None
    )
    from staff.models import Role
    from staff.permissions import can_use_department, role_of

    if role_of(actor) == Role.STAFF and (person is None or person.pk != locked.staff_id):
        raise PermissionDenied(_("Only the rated person may take this step."))
    if role_of(actor) == Role.LIAISON and not can_use_department(actor, locked.department_id):
        raise PermissionDenied(_("Only the rated window's home department may take this step."))
    target = check_rectification(actor, locked.status, action)
    note = (note or "").strip()
    if action in ("appeal", "invalidate", "cannot_fix") and not note:
        raise ValidationError({"note": [_("Please give a reason.")]})
    if action == "appeal" and locked.appeal_reason:
        raise ValidationError(_("This rating has already been appealed."))
    if action == "invalidate" and not locked.appeal_reason:
        raise ValidationError(_("A rating is invalidated only on an appeal."))
    if action == "start" and not note:
        raise ValidationError({"note": [_("Write the reply to the citizen.")]})
    if action == "respond" and not note:
        raise ValidationError({"note": [_("Describe the measures the department took.")]})
    if action == "finish":
        if satisfaction_after not in RatingLevel.values:
            raise ValidationError(
                {
                    "satisfaction_after": [
                        _("Record the citizen's satisfaction after rectification.")
                    ]
                }
            )
        locked.satisfaction_after = satisfaction_after
    now = timezone.now()
    if action == "appeal":
        locked.appeal_reason = note
    if action == "start":
        locked.reply = note
        locked.replied_at = now
    if action == "respond":
        locked.department_response = note
        locked.department_responded_at = now
        locked.department_responded_by = actor if getattr(actor, "pk", None) else None
    if target in (
        RectificationStatus.DONE,
        RectificationStatus.CANNOT_FIX,
        RectificationStatus.INVALID,
    ):
        locked.closed_at = now
    previous = locked.status
    locked.status = target
    with audited(actor=actor, reason=note):
        locked.save()
        log = RectificationLog.objects.create(
            case=locked,
            actor=actor if getattr(actor, "pk", None) else None,
            from_status=previous,
            to_status=target,
            note=note,
        )
        rating_months.apply(before=[before], after=[rating_months.snapshot(locked.rating, locked)])
    events.emit(events.STAFF_EVENT, staff_ids=[locked.staff_id])
    notify.rectification_changed(locked, log, action, actor)
    return locked


def overdue_q(today: date) -> Q:
    """Open cases past their deadline on ``today`` (the liaison home's overdue count)."""
    from ..models import OPEN_RECTIFICATION

    return Q(status__in=OPEN_RECTIFICATION, deadline__lt=today)
