"""Every write of the promotion workflow: recommendations, performance-reference requests, reserve
cadres and their rotation plans.

Recommendations are a state machine with an explicit table (:data:`TRANSITIONS`)::

    draft ─submit─▶ submitted ─adopt──▶ adopted
                        └──────decline─▶ not adopted

Every transition locks the row, re-checks its state (and the version the user saw, when given)
under the lock, so of two people acting at once exactly one wins and the other gets
:class:`WorkflowConflict`; then it writes with one audit entry and notifies in the same
transaction (notification rows commit with the change; e-mail goes after commit). A refused
transition raises before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from notifications.services import notify
from staff.models import Role, Staff
from staff.permissions import Perm, has_perm, role_of
from windows.models import Window

from . import eligibility, reminders
from .evidence import build_pack, default_period
from .models import (
    Addressee,
    Appraisal,
    Recommendation,
    RecommendationKind,
    RecommendationState,
    ReferenceRequest,
    ReferenceState,
    RotationPlan,
)
from .snapshots import freeze

R = RecommendationState


class WorkflowConflict(ValidationError):
    """The row changed (or is in another state) since the user looked; nothing was applied."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: Any


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({R.DRAFT}), R.SUBMITTED, frozenset({Role.CENTER_ADMIN}), gettext_lazy("Submit")
    ),
    "adopt": Transition(
        frozenset({R.SUBMITTED}),
        R.ADOPTED,
        frozenset({Role.HR, Role.CENTER_ADMIN}),
        gettext_lazy("Record as adopted"),
    ),
    "decline": Transition(
        frozenset({R.SUBMITTED}),
        R.NOT_ADOPTED,
        frozenset({Role.HR, Role.CENTER_ADMIN}),
        gettext_lazy("Record as not adopted"),
    ),
}
TRANSITION_PERMS = {
    "submit": Perm.RECOMMENDATION_EDIT,
    "adopt": Perm.RECOMMENDATION_DECIDE,
    "decline": Perm.RECOMMENDATION_DECIDE,
}
EDIT_FIELDS = ("kind", "addressed_to", "rationale", "period_start", "period_end")


def _require(actor: Any, perm: str) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _check_period(start: date, end: date) -> None:
    if start is None or end is None:
        raise ValidationError({"period_end": _("Give the evidence period.")})
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if end > timezone.localdate():
        raise ValidationError({"period_end": _("The evidence period cannot end in the future.")})


def _pack(staff: Staff, start: date, end: date, viewer: Any) -> dict:
    return build_pack(staff, start=start, end=end, viewer=viewer)


def allowed_actions(actor: Any, recommendation: Recommendation) -> list[str]:
    """The transitions ``actor`` may fire now (for buttons); the service re-checks."""
    role = role_of(actor)
    return [
        name
        for name, rule in TRANSITIONS.items()
        if recommendation.state in rule.sources
        and role in rule.roles
        and has_perm(actor, TRANSITION_PERMS[name])
    ]


# --- recommendations ---------------------------------------------------------------------------


def _clean_recommendation(rec: Recommendation) -> None:
    rec.rationale = (rec.rationale or "").strip()
    if not rec.rationale:
        raise ValidationError({"rationale": _("Give the reasons for the recommendation.")})
    if rec.kind not in RecommendationKind.values:
        raise ValidationError({"kind": _("Choose what the person is recommended for.")})
    if rec.addressed_to not in Addressee.values:
        raise ValidationError(
            {"addressed_to": _("Choose whom the recommendation is addressed to.")}
        )
    _check_period(rec.period_start, rec.period_end)


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    staff: Staff,
    kind: str,
    addressed_to: str,
    rationale: str,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Recommendation:
    """The center drafts a recommendation. The period defaults to ``EVIDENCE_YEARS`` back."""
    _require(actor, Perm.RECOMMENDATION_EDIT)
    default_start, default_end = default_period()
    rec = Recommendation(
        staff=staff,
        kind=kind,
        addressed_to=addressed_to,
        rationale=rationale,
        period_start=period_start or default_start,
        period_end=period_end or default_end,
        created_by=actor,
    )
    _clean_recommendation(rec)
    with audited(actor=actor, reason=_("Recommendation drafted")):
        rec.save()
    return rec


def _lock_recommendation(pk: int) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("staff__department")
        .get(pk=pk)
    )


def _check_version(locked: Any, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise WorkflowConflict(
            _(
                "Someone else changed this while you were looking at it. Reload the page to see "
                "their changes; yours were not saved."
            )
        )


@transaction.atomic
def recommendation_update(
    *,
    actor: Any,
    recommendation: Recommendation,
    expected_version: int | None = None,
    **fields: Any,
) -> Recommendation:
    """Change a draft (only a draft: a submitted recommendation is what HR received)."""
    _require(actor, Perm.RECOMMENDATION_EDIT)
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = _lock_recommendation(recommendation.pk)
    _check_version(locked, expected_version)
    if locked.state != R.DRAFT:
        raise WorkflowConflict(
            _("This recommendation is %(state)s and can no longer be edited.")
            % {"state": locked.get_state_display()}
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    _clean_recommendation(locked)
    locked.version += 1
    with audited(actor=actor, reason=_("Recommendation edited")):
        locked.save()
    return locked


def _begin(recommendation: Recommendation, action: str, actor: Any, expected_version):
    rule = TRANSITIONS[action]
    _require(actor, TRANSITION_PERMS[action])
    if role_of(actor) not in rule.roles:
        raise PermissionDenied(
            _("You may not “%(action)s” this recommendation.") % {"action": rule.label}
        )
    locked = _lock_recommendation(recommendation.pk)
    if locked.state not in rule.sources:
        # under the row lock: of two people acting at once, the second lands here
        raise WorkflowConflict(
            _(
                "This recommendation is already %(state)s, so “%(action)s” was not applied. "
                "Someone may have acted on it at the same time; reload the page."
            )
            % {"state": locked.get_state_display(), "action": rule.label}
        )
    _check_version(locked, expected_version)
    return locked


@transaction.atomic
def recommendation_submit(
    *, actor: Any, recommendation: Recommendation, expected_version: int | None = None
) -> Recommendation:
    """Send the recommendation: refuses a person barred after being returned for poor
    performance; freezes the evidence pack as the submitter sees it (the center and HR see the
    same pack) into a numbered snapshot; notifies HR. Nothing is written when refused."""
    locked = _begin(recommendation, "submit", actor, expected_version)
    flags = eligibility.flags_for(locked.staff_id)
    if flags.barred:
        raise ValidationError(flags.bar_reason())
    _check_period(locked.period_start, locked.period_end)
    content = _pack(locked.staff, locked.period_start, locked.period_end, actor)
    with audited(actor=actor, reason=str(TRANSITIONS["submit"].label)):
        locked.snapshot = freeze(
            staff=locked.staff,
            period_start=locked.period_start,
            period_end=locked.period_end,
            content=content,
            actor=actor,
        )
        locked.state = R.SUBMITTED
        locked.submitted_by = actor
        locked.submitted_at = timezone.now()
        locked.version += 1
        locked.save()
    person = locked.staff
    notify(
        kind=reminders.RECOMMENDATION_SUBMITTED.key,
        subject=(Recommendation, locked.pk),
        period="submitted",
        recipients=reminders.hr_users(),
        params={
            "name": person.name,
            "department": person.department.name,
            "kind": locked.get_kind_display(),
            "document": locked.snapshot.number,
        },
        link=reverse("promotions:recommendation_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def recommendation_decide(
    *,
    actor: Any,
    recommendation: Recommendation,
    adopted: bool,
    feedback: str = "",
    expected_version: int | None = None,
) -> Recommendation:
    """Record the receiver's decision. HR records it; the center may record it on HR's behalf
    (the audit entry and the page say so). "Not adopted" needs the receiver's feedback.
    Notifies the department's liaisons and the center."""
    action = "adopt" if adopted else "decline"
    locked = _begin(recommendation, action, actor, expected_version)
    feedback = (feedback or "").strip()
    if not adopted and not feedback:
        raise ValidationError({"feedback": _("Give the receiver's feedback.")})
    reason = str(TRANSITIONS[action].label)
    if role_of(actor) != Role.HR:
        reason = _("%(action)s, recorded by the center on the receiver's behalf") % {
            "action": reason
        }
    locked.state = TRANSITIONS[action].target
    locked.feedback = feedback
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.version += 1
    with audited(actor=actor, reason=reason, action=action):
        locked.save()
    person = locked.staff
    notify(
        kind=reminders.RECOMMENDATION_DECIDED.key,
        subject=(Recommendation, locked.pk),
        period="decided",
        recipients=reminders.liaisons_and_center(person.department_id),
        params={
            "name": person.name,
            "department": person.department.name,
            "kind": locked.get_kind_display(),
            "document": locked.snapshot.number if locked.snapshot_id else "",
            "outcome": locked.get_state_display(),
            "feedback": feedback,
        },
        link=reverse("promotions:recommendation_detail", args=[locked.pk]),
    )
    return locked


def decided_on_behalf(recommendation: Recommendation) -> bool:
    """True when the center recorded the receiver's decision (the receiver is HR)."""
    user = recommendation.decided_by
    return user is not None and role_of(user) != Role.HR


# --- performance-reference requests --------------------------------------------------------------


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
    _require(actor, Perm.REFERENCE_REQUEST)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say which post or purpose the reference is for.")})
    default_start, default_end = default_period()
    period_start, period_end = period_start or default_start, period_end or default_end
    _check_period(period_start, period_end)
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
    _require(actor, Perm.REFERENCE_REQUEST)
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
    _require(actor, Perm.REFERENCE_ANSWER)
    text = (appraisal or "").strip()
    if not text:
        raise ValidationError({"appraisal": _("Write the center's appraisal.")})
    locked = _lock_request(request.pk)
    _open_or_conflict(locked)
    _check_version(locked, expected_version)
    with audited(actor=actor, reason=_("Performance reference answered")):
        Appraisal.objects.create(
            staff=locked.staff,
            date=timezone.localdate(),
            text=text,
            reference_request=locked,
            written_by=actor,
        )
        content = _pack(locked.staff, locked.period_start, locked.period_end, actor)
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


# --- reserve cadres ------------------------------------------------------------------------------


@transaction.atomic
def reserve_mark(*, actor: Any, staff: Staff, reserve: bool, reason: str = "") -> Staff:
    """Mark or unmark a person as a reserve cadre (后备干部)."""
    _require(actor, Perm.RESERVE_MANAGE)
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
    _require(actor, Perm.RESERVE_MANAGE)
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
    _require(actor, Perm.RESERVE_MANAGE)
    locked = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.cancelled:
        raise WorkflowConflict(_("This rotation plan is already cancelled."))
    locked.cancelled = True
    with audited(actor=actor, reason=(reason or "").strip() or _("Rotation plan cancelled")):
        locked.save(update_fields=["cancelled"])
    return locked
