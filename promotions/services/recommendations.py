"""Recommendations: the transition table and its services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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

from .. import eligibility, reminders
from ..evidence.pack import build_pack
from ..evidence.snapshots import freeze
from ..models import (
    Addressee,
    Recommendation,
    RecommendationKind,
    RecommendationState,
)
from .common import (
    WorkflowConflict,
    check_period,
    check_version,
    default_period,
    require,
)

R = RecommendationState


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
# addressed to the home department alone, these are its answer (services.home), not HR's
HOME_ANSWERS = frozenset({"adopt", "decline"})


def allowed_actions(actor: Any, recommendation: Recommendation) -> list[str]:
    """The transitions ``actor`` may fire now (for buttons); the service re-checks."""
    role = role_of(actor)
    return [
        name
        for name, rule in TRANSITIONS.items()
        if recommendation.state in rule.sources
        and role in rule.roles
        and has_perm(actor, TRANSITION_PERMS[name])
        and not (name in HOME_ANSWERS and recommendation.addressed_to == Addressee.HOME)
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
    check_period(rec.period_start, rec.period_end)


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
    require(actor, Perm.RECOMMENDATION_EDIT)
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


@transaction.atomic
def recommendation_update(
    *,
    actor: Any,
    recommendation: Recommendation,
    expected_version: int | None = None,
    **fields: Any,
) -> Recommendation:
    """Change a draft (only a draft: a submitted recommendation is what HR received)."""
    require(actor, Perm.RECOMMENDATION_EDIT)
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    locked = _lock_recommendation(recommendation.pk)
    check_version(locked, expected_version)
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
    require(actor, TRANSITION_PERMS[action])
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
    check_version(locked, expected_version)
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
    check_period(locked.period_start, locked.period_end)
    content = build_pack(
        locked.staff, start=locked.period_start, end=locked.period_end, viewer=actor
    )
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
            "kind": RecommendationKind(locked.kind).label,
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
    Notifies the department's liaisons and the center. Refused for a recommendation addressed
    to the home department alone: that is the department's answer (``services.home``)."""
    action = "adopt" if adopted else "decline"
    locked = _begin(recommendation, action, actor, expected_version)
    if locked.addressed_to == Addressee.HOME:
        raise ValidationError(
            _(
                "This recommendation is addressed to the home department alone: its answer is "
                "recorded as the home department's answer."
            )
        )
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
            "kind": RecommendationKind(locked.kind).label,
            "document": locked.snapshot.number if locked.snapshot_id else "",
            "outcome": RecommendationState(locked.state).label,
            "feedback": feedback,
        },
        link=reverse("promotions:recommendation_detail", args=[locked.pk]),
    )
    return locked


def decided_on_behalf(recommendation: Recommendation) -> bool:
    """True when the center recorded the receiver's decision (the receiver is HR, or the home
    department for a recommendation addressed to it alone)."""
    user = recommendation.decided_by
    return user is not None and role_of(user) not in (Role.HR, Role.LIAISON)
