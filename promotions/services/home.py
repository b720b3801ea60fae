"""The home department's answer to a recommendation addressed to it (issue #16): accepted or not
taken up (with the reason), then what followed — the post the person was given, from which day.

A recommendation addressed to the home department alone is decided by that answer (its state
becomes adopted / not adopted, as the receiver's decision); one addressed to both keeps HR's
decision as its state and carries the home department's answer beside it. The department's
liaison answers for their own departments; the center may record it on the department's behalf
(the page says so). Each write locks the row, checks the version the user saw, is audited and
notifies the center.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from notifications.services import notify
from staff.models import Role
from staff.permissions import Perm, can_use_department, role_of

from .. import reminders
from ..models import (
    HOME_ADDRESSED,
    Addressee,
    HomeDecision,
    Recommendation,
    RecommendationKind,
    RecommendationState,
)
from .common import WorkflowConflict, check_version, require

POST_MAX = 200


def can_answer(actor: Any, recommendation: Recommendation) -> bool:
    """For buttons: may ``actor`` record the home department's answer now? (re-checked)."""
    return (
        _may_act(actor, recommendation)
        and recommendation.addressed_to in HOME_ADDRESSED
        and recommendation.state != RecommendationState.DRAFT
        and not recommendation.home_decision
    )


def can_record_outcome(actor: Any, recommendation: Recommendation) -> bool:
    return _may_act(actor, recommendation) and (
        recommendation.home_decision == HomeDecision.ACCEPTED
    )


def _may_act(actor: Any, recommendation: Recommendation) -> bool:
    from staff.permissions import has_perm

    role = role_of(actor)
    if not has_perm(actor, Perm.RECOMMENDATION_HOME_ANSWER):
        return False
    if role == Role.LIAISON:
        return can_use_department(actor, recommendation.staff.department_id)
    return role == Role.CENTER_ADMIN


def answered_on_behalf(recommendation: Recommendation) -> bool:
    """True when the center recorded the home department's answer."""
    user = recommendation.home_answered_by
    return user is not None and role_of(user) != Role.LIAISON


def _lock(actor: Any, recommendation: Recommendation, expected_version: int | None):
    require(actor, Perm.RECOMMENDATION_HOME_ANSWER)
    locked = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("staff__department", "snapshot")
        .get(pk=recommendation.pk)
    )
    if not _may_act(actor, locked):
        raise PermissionDenied(
            _("Only the person's home department (or the center on its behalf) answers.")
        )
    check_version(locked, expected_version)
    return locked


def _clean_post(post: str, post_from: date | None, *, required: bool) -> tuple[str, date | None]:
    post = (post or "").strip()
    errors: dict[str, list[str]] = {}
    if len(post) > POST_MAX:
        errors["post"] = [_("At most %(n)d characters.") % {"n": POST_MAX}]
    if required or post or post_from:
        if not post:
            errors.setdefault("post", []).append(_("Name the post the person was given."))
        if post_from is None:
            errors["post_from"] = [_("Give the day the person took up the post.")]
    if errors:
        raise ValidationError(errors)
    return post, post_from


def _notify(locked: Recommendation, kind, period: str) -> None:
    person = locked.staff
    notify(
        kind=kind.key,
        subject=(Recommendation, locked.pk),
        period=period,
        recipients=reminders.center_admins(),
        params={
            "name": person.name,
            "department": person.department.name,
            # labels, not their text: translated in each recipient's language when shown
            "kind": RecommendationKind(locked.kind).label,
            "document": locked.snapshot.number if locked.snapshot_id else "",
            "answer": HomeDecision(locked.home_decision).label,
            "reason": locked.home_reason,
            "post": locked.home_post or "—",
            "date": locked.home_post_from or "—",
        },
        link=reverse("promotions:recommendation_detail", args=[locked.pk]),
    )


@transaction.atomic
def recommendation_home_answer(
    *,
    actor: Any,
    recommendation: Recommendation,
    accepted: bool,
    reason: str = "",
    post: str = "",
    post_from: date | None = None,
    expected_version: int | None = None,
) -> Recommendation:
    """Record the home department's answer, once: accepted (the post and its first day may come
    now or later, :func:`recommendation_home_outcome`) or not taken up (the reason is required).
    Raises PermissionDenied (not the department's liaison nor the center), ValidationError (bad
    input, not addressed to the home department, still a draft) or WorkflowConflict (already
    answered, or changed since the user looked). Nothing is written when refused."""
    locked = _lock(actor, recommendation, expected_version)
    if locked.addressed_to not in HOME_ADDRESSED:
        raise ValidationError(_("This recommendation is not addressed to the home department."))
    if locked.state == RecommendationState.DRAFT:
        raise ValidationError(_("This recommendation has not been sent yet."))
    if locked.home_decision:
        raise WorkflowConflict(
            _("The home department's answer is already recorded (%(answer)s); reload the page.")
            % {"answer": locked.get_home_decision_display()}
        )
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Give the reason it was not taken up.")]})
    if accepted:
        post, post_from = _clean_post(post, post_from, required=False)
    else:
        post, post_from = "", None
    now = timezone.now()
    locked.home_decision = HomeDecision.ACCEPTED if accepted else HomeDecision.NOT_TAKEN_UP
    locked.home_reason = reason
    locked.home_post, locked.home_post_from = post, post_from
    locked.home_answered_by, locked.home_answered_at = actor, now
    if locked.addressed_to == Addressee.HOME and locked.state == RecommendationState.SUBMITTED:
        # the home department is the only receiver: its answer is the receiver's decision
        locked.state = RecommendationState.ADOPTED if accepted else RecommendationState.NOT_ADOPTED
        locked.feedback = reason
        locked.decided_by, locked.decided_at = actor, now
    locked.version += 1
    label = locked.get_home_decision_display()
    audit_reason = _("Home department's answer: %(answer)s") % {"answer": label}
    if role_of(actor) != Role.LIAISON:
        audit_reason = _("%(reason)s, recorded by the center on the department's behalf") % {
            "reason": audit_reason
        }
    with audited(actor=actor, reason=audit_reason, action="home_answer"):
        locked.save()
    _notify(locked, reminders.RECOMMENDATION_ANSWERED, "home-answer")
    return locked


@transaction.atomic
def recommendation_home_outcome(
    *,
    actor: Any,
    recommendation: Recommendation,
    post: str,
    post_from: date,
    expected_version: int | None = None,
) -> Recommendation:
    """Record (or correct) what followed an accepted recommendation: the post the person was
    given and the day they took it up. Refused unless the home department accepted it."""
    locked = _lock(actor, recommendation, expected_version)
    if locked.home_decision != HomeDecision.ACCEPTED:
        raise ValidationError(
            _("The post is recorded only for a recommendation the home department accepted.")
        )
    post, post_from = _clean_post(post, post_from, required=True)
    if (post, post_from) == (locked.home_post, locked.home_post_from):
        return locked
    locked.home_post, locked.home_post_from = post, post_from
    locked.version += 1
    with audited(actor=actor, reason=_("Post recorded: %(post)s") % {"post": post}):
        locked.save()
    _notify(locked, reminders.RECOMMENDATION_OUTCOME, f"home-outcome-{locked.version}")
    return locked
