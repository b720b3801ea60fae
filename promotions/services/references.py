"""Performance-reference requests: HR asks, withdraws its own; the center answers."""

from __future__ import annotations

from datetime import date, timedelta
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
from staff.permissions import Perm

from .. import reminders
from ..evidence.pack import build_pack
from ..evidence.snapshots import freeze
from ..models import (
    Appraisal,
    ReferenceRequest,
    ReferenceState,
)
from .common import (
    WorkflowConflict,
    check_period,
    check_version,
    default_period,
    require,
)


def default_due_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=int(settings.PROMOTIONS["REFERENCE_DUE_DAYS"]))


@transaction.atomic
def reference_request_create(
    *,
    actor: Any,
    staff: Staff,
    purpose: str,
    message: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    due_date: date | None = None,
) -> ReferenceRequest:
    """HR asks the center about a person; notifies the center's administrators."""
    require(actor, Perm.REFERENCE_REQUEST)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say which post or purpose the reference is for.")})
    default_start, default_end = default_period()
    period_start, period_end = period_start or default_start, period_end or default_end
    check_period(period_start, period_end)
    due_date = due_date or default_due_date()
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    request = ReferenceRequest(
        staff=staff,
        purpose=purpose,
        message=(message or "").strip(),
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        requested_by=actor,
    )
    with audited(actor=actor, reason=_("Performance reference requested")):
        request.save()
    notify(
        kind=reminders.REFERENCE_REQUESTED.key,
        subject=(ReferenceRequest, request.pk),
        period="requested",
        recipients=reminders.center_admins(),
        params={
            "name": staff.name,
            "department": staff.department.name,
            "purpose": purpose,
            "requester": actor.get_full_name() or actor.get_username(),
            "date": due_date,
        },
        link=reverse("promotions:reference_detail", args=[request.pk]),
    )
    return request


def _lock_request(pk: int) -> ReferenceRequest:
    return (
        ReferenceRequest.objects.select_for_update(of=("self",))
        .select_related("staff__department", "requested_by")
        .get(pk=pk)
    )


def _open_or_conflict(locked: ReferenceRequest) -> None:
    if locked.state != ReferenceState.OPEN:
        raise WorkflowConflict(
            _(
                "This request is already %(state)s; nothing was changed. Someone may have acted "
                "on it at the same time; reload the page."
            )
            % {"state": locked.get_state_display()}
        )


@transaction.atomic
def reference_request_withdraw(
    *, actor: Any, request: ReferenceRequest, reason: str = ""
) -> ReferenceRequest:
    """HR withdraws its own open request (another HR user's request is refused)."""
    require(actor, Perm.REFERENCE_REQUEST)
    locked = _lock_request(request.pk)
    if locked.requested_by_id != actor.pk:
        raise PermissionDenied(_("You may only withdraw your own requests."))
    _open_or_conflict(locked)
    locked.state = ReferenceState.WITHDRAWN
    locked.version += 1
    with audited(actor=actor, reason=(reason or "").strip() or _("Request withdrawn")):
        locked.save(update_fields=["state", "version"])
    return locked


@transaction.atomic
def reference_request_answer(
    *,
    actor: Any,
    request: ReferenceRequest,
    appraisal: str,
    expected_version: int | None = None,
) -> ReferenceRequest:
    """The center answers: a written appraisal (kept as the person's :class:`Appraisal`, so it
    is in the pack) and the evidence pack for the requested period, frozen as a snapshot.
    Notifies the requester. Of two answers at once exactly one is kept."""
    require(actor, Perm.REFERENCE_ANSWER)
    text = (appraisal or "").strip()
    if not text:
        raise ValidationError({"appraisal": _("Write the center's appraisal.")})
    locked = _lock_request(request.pk)
    _open_or_conflict(locked)
    check_version(locked, expected_version)
    with audited(actor=actor, reason=_("Performance reference answered")):
        Appraisal.objects.create(
            staff=locked.staff,
            date=timezone.localdate(),
            text=text,
            reference_request=locked,
            written_by=actor,
        )
        content = build_pack(
            locked.staff, start=locked.period_start, end=locked.period_end, viewer=actor
        )
        locked.snapshot = freeze(
            staff=locked.staff,
            period_start=locked.period_start,
            period_end=locked.period_end,
            content=content,
            actor=actor,
        )
        locked.state = ReferenceState.ANSWERED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.version += 1
        locked.save()
    notify(
        kind=reminders.REFERENCE_ANSWERED.key,
        subject=(ReferenceRequest, locked.pk),
        period="answered",
        recipients=[locked.requested_by_id] if locked.requested_by.is_active else [],
        params={
            "name": locked.staff.name,
            "purpose": locked.purpose,
            "document": locked.snapshot.number,
        },
        link=reverse("promotions:reference_detail", args=[locked.pk]),
    )
    return locked
