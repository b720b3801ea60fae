"""Every write of joint management: visits, talks, follow-ups and their states, talk requests.

Each service checks the action permission and the department scope, validates, writes inside a
transaction with an audit entry naming the actor (and the reason, where there is one), and
announces the change after commit (``joint.events``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from notifications.services import notify
from staff.models import Department, Role, Staff
from staff.permissions import Perm, can_use_department, has_perm, role_of
from windows.models import Window

from .events import emit_on_commit
from .models import (
    Confidentiality,
    FollowUp,
    FollowUpState,
    Talk,
    TalkRequest,
    TalkRequestState,
    Visit,
)
from .permissions import notes_visible
from .reminders import TALK_REQUESTED, department_liaisons
from .suggestions import suggestion_refresh


def _require(actor: Any, perm: str) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_department(actor: Any, department_id: int) -> None:
    if not can_use_department(actor, department_id):
        raise PermissionDenied(_("You may only manage your own department's people."))


def _not_in_future(day: date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    department: Department,
    date: date,
    visitors: str,
    summary: str = "",
    windows: Iterable[Window] = (),
    visitor_users: Iterable[Any] = (),
) -> Visit:
    """Record a department's visit to its windows. Refuses another department's windows, a
    future date and an empty list of visitors; writes nothing then."""
    _require(actor, Perm.VISIT_EDIT)
    _require_department(actor, department.pk)
    windows = list(windows)
    visitor_users = list(visitor_users)
    _not_in_future(date)
    foreign = [w for w in windows if w.department_id != department.pk]
    if foreign:
        raise ValidationError(
            {
                "windows": _("%(windows)s do not belong to %(department)s.")
                % {"windows": "、".join(w.code for w in foreign), "department": department.name}
            }
        )
    visit = Visit(
        department=department,
        date=date,
        visitors=(visitors or "").strip(),
        summary=(summary or "").strip(),
        created_by=actor,
    )
    visit.full_clean()
    with audited(actor=actor):
        visit.save()
        visit.windows.set(windows)
        visit.visitor_users.set(visitor_users)
    return visit


@transaction.atomic
def talk_record(
    *,
    actor: Any,
    staff: Staff,
    date: date,
    talker_kind: str,
    talker_names: str,
    kind: str,
    topics: str = "",
    concerns: str = "",
    notes: str = "",
    level: str = Confidentiality.STANDARD,
) -> Talk:
    """Record a talk with a person of the actor's departments (the actor is its author). Settles
    the person's open talk request, if any, and removes the suggested talks it settles (those
    whose event is on or before its date), in the same transaction."""
    _require(actor, Perm.TALK_EDIT)
    _require_department(actor, staff.department_id)
    _not_in_future(date)
    talk = Talk(
        staff=staff,
        date=date,
        talker_kind=talker_kind,
        talker_names=(talker_names or "").strip(),
        kind=kind,
        topics=(topics or "").strip(),
        concerns=(concerns or "").strip(),
        notes=(notes or "").strip(),
        level=level,
        author=actor,
    )
    talk.full_clean()
    with audited(actor=actor):
        talk.save()
        for request in TalkRequest.objects.select_for_update().filter(
            staff=staff, state=TalkRequestState.OPEN
        ):
            request.state = TalkRequestState.DONE
            request.talk = talk
            request.save(update_fields=["state", "talk"])
    suggestion_refresh(staff_ids=[staff.pk])
    emit_on_commit("talk_recorded", talk_id=talk.pk, staff_id=staff.pk)
    return talk


@transaction.atomic
def follow_up_add(
    *,
    actor: Any,
    talk: Talk,
    description: str,
    owner: str,
    due_date: date,
    owner_user: Any = None,
) -> FollowUp:
    """Agree a follow-up in a talk whose notes the actor may read."""
    _require(actor, Perm.TALK_EDIT)
    if not notes_visible(actor, talk):
        raise PermissionDenied(_("You are not allowed to do this."))
    if due_date < talk.date:
        raise ValidationError({"due_date": _("The due date cannot be before the talk.")})
    follow_up = FollowUp(
        talk=talk,
        description=(description or "").strip(),
        owner=(owner or "").strip(),
        owner_user=owner_user,
        due_date=due_date,
    )
    follow_up.full_clean()
    with audited(actor=actor):
        follow_up.save()
    emit_on_commit("follow_up_changed", follow_up_id=follow_up.pk, state=follow_up.state)
    return follow_up


# (from, to) → roles allowed. Anything else is refused. Only the center reopens a resolved item.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (FollowUpState.OPEN, FollowUpState.IN_PROGRESS): frozenset({Role.CENTER_ADMIN, Role.LIAISON}),
    (FollowUpState.OPEN, FollowUpState.RESOLVED): frozenset({Role.CENTER_ADMIN, Role.LIAISON}),
    (FollowUpState.IN_PROGRESS, FollowUpState.RESOLVED): frozenset(
        {Role.CENTER_ADMIN, Role.LIAISON}
    ),
    (FollowUpState.IN_PROGRESS, FollowUpState.OPEN): frozenset({Role.CENTER_ADMIN, Role.LIAISON}),
    (FollowUpState.RESOLVED, FollowUpState.IN_PROGRESS): frozenset({Role.CENTER_ADMIN}),
}


def allowed_targets(actor: Any, follow_up: FollowUp) -> list[str]:
    """The states ``actor`` may move this follow-up to (for buttons); the service re-checks."""
    if not has_perm(actor, Perm.FOLLOW_UP_TRANSITION) or not notes_visible(actor, follow_up.talk):
        return []
    role = role_of(actor)
    return [
        to for (frm, to), roles in TRANSITIONS.items() if frm == follow_up.state and role in roles
    ]


@transaction.atomic
def follow_up_transition(*, actor: Any, follow_up: FollowUp, to: str, note: str = "") -> FollowUp:
    """Move a follow-up along the transition table. Locks the row and checks the state it is
    really in; resolving needs a note (the resolution). One audit entry per step, with the note
    as its reason. Raises PermissionDenied (role or talk not readable) or ValidationError."""
    _require(actor, Perm.FOLLOW_UP_TRANSITION)
    locked = FollowUp.objects.select_for_update().select_related("talk__staff").get(pk=follow_up.pk)
    if not notes_visible(actor, locked.talk):
        raise PermissionDenied(_("You are not allowed to do this."))
    if to not in FollowUpState.values:
        raise ValidationError({"state": _("Unknown state.")})
    roles = TRANSITIONS.get((locked.state, to))
    if roles is None:
        raise ValidationError(
            {
                "state": _("A follow-up cannot go from “%(from)s” to “%(to)s”.")
                % {"from": FollowUpState(locked.state).label, "to": FollowUpState(to).label}
            }
        )
    if role_of(actor) not in roles:
        raise PermissionDenied(_("Only the center may reopen a resolved follow-up."))
    note = (note or "").strip()
    if to == FollowUpState.RESOLVED and not note:
        raise ValidationError({"note": _("Say how the follow-up was resolved.")})
    locked.state = to
    if to == FollowUpState.RESOLVED:
        locked.resolution = note
        locked.resolved_on = timezone.localdate()
    else:
        locked.resolved_on = None
    with audited(actor=actor, reason=note):
        locked.save(update_fields=["state", "resolution", "resolved_on"])
    emit_on_commit("follow_up_changed", follow_up_id=locked.pk, state=to)
    return locked


@transaction.atomic
def talk_request_create(*, actor: Any, message: str = "") -> TalkRequest:
    """A window staff member asks their department for a talk (one open request at a time); it
    is on the department's suggested talks at once."""
    _require(actor, Perm.TALK_REQUEST)
    person = (
        Staff.objects.select_for_update().select_related("department").filter(user=actor).first()
    )
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a staff record."))
    if TalkRequest.objects.filter(staff=person, state=TalkRequestState.OPEN).exists():
        raise ValidationError(_("You have already asked for a talk."))
    request = TalkRequest(staff=person, message=(message or "").strip()[:2000])
    with audited(actor=actor):
        request.save()
    suggestion_refresh(staff_ids=[person.pk])
    notify(
        kind=TALK_REQUESTED.key,
        subject=(TalkRequest, request.pk),
        period="request",
        recipients=department_liaisons(person.department_id),
        params={
            "name": person.name,
            "department": person.department.name,
            "date": timezone.localdate(),
        },
        link=reverse("joint:department") + f"?department={person.department_id}",
    )
    emit_on_commit("talk_requested", request_id=request.pk, staff_id=person.pk)
    return request
