"""Reads of the promotion workflow, always scoped to the user (``staff.permissions.scope``).

Drafts are the center's working papers: only those who may edit recommendations see them; HR and
liaisons see what was submitted (a draft answers 404 to them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import people
from staff.models import Staff
from staff.permissions import Perm, has_perm, scope
from windows.models import Stationing, months_between

from . import eligibility
from .models import (
    HOME_ADDRESSED,
    Recommendation,
    RecommendationState,
    ReferenceRequest,
    ReferenceState,
    RotationPlan,
)

# A rotation counts from a stationing that starts at most this long before the planned start.
ROTATION_GRACE_DAYS = 92


def recommendation_list_for_user(user: Any) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related(
        "staff__department",
        "snapshot",
        "created_by",
        "submitted_by",
        "decided_by",
        "home_answered_by",
        *people.related("created_by"),
        *people.related("submitted_by"),
        *people.related("decided_by"),
        *people.related("home_answered_by"),
    )
    if not has_perm(user, Perm.RECOMMENDATION_EDIT):
        qs = qs.exclude(state=RecommendationState.DRAFT)
    return scope(qs, user, department="staff__department", person=None).order_by(
        "-created_at", "-id"
    )


def awaiting_home_answer(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Of ``qs`` (already scoped), the sent recommendations addressed to the home department
    that it has not answered yet (partial index ``recommendation_home_open_idx``)."""
    return qs.filter(home_decision="", addressed_to__in=HOME_ADDRESSED).exclude(
        state=RecommendationState.DRAFT
    )


def recommendations_of(user: Any, person: Staff, limit: int = 20) -> list[Recommendation]:
    """The recommendations of a person the caller already fetched through the scoped staff
    queryset (the staff page): one query, drafts only for those who edit them."""
    qs = Recommendation.objects.filter(staff_id=person.pk).select_related("snapshot")
    if not has_perm(user, Perm.RECOMMENDATION_EDIT):
        qs = qs.exclude(state=RecommendationState.DRAFT)
    return list(qs.order_by("-created_at", "-id")[:limit])


def recommendation_get_for_user(user: Any, pk: int) -> Recommendation:
    return get_object_or_404(recommendation_list_for_user(user), pk=pk)


def reference_list_for_user(user: Any) -> QuerySet[ReferenceRequest]:
    qs = ReferenceRequest.objects.select_related(
        "staff__department",
        "requested_by",
        "answered_by",
        "snapshot",
        "appraisal",
        *people.related("requested_by"),
        *people.related("answered_by"),
    )
    return scope(qs, user, department="staff__department", person=None).order_by("due_date", "id")


def reference_get_for_user(user: Any, pk: int) -> ReferenceRequest:
    return get_object_or_404(reference_list_for_user(user), pk=pk)


def open_references(user: Any) -> QuerySet[ReferenceRequest]:
    return reference_list_for_user(user).filter(state=ReferenceState.OPEN)


def is_overdue(request: ReferenceRequest, today: date | None = None) -> bool:
    return request.state == ReferenceState.OPEN and request.due_date < (
        today or timezone.localdate()
    )


def staff_search(user: Any, query: str, limit: int = 30) -> list[Staff]:
    """People in the user's scope whose name or staff number contains ``query``."""
    query = (query or "").strip()
    if not query:
        return []
    qs = scope(Staff.objects.select_related("department"), user, person="")
    return list(qs.search(query).order_by("name", "id")[:limit])


# --- reserve cadres ------------------------------------------------------------------------------


class Progress:
    NONE = "none"
    NOT_STARTED = "not_started"
    AT_WINDOW = "at_window"
    COMPLETED = "completed"
    ENDED_SHORT = "ended_short"

    LABELS = {
        NONE: _("No rotation planned"),
        NOT_STARTED: _("Not started"),
        AT_WINDOW: _("At the window"),
        COMPLETED: _("Completed"),
        ENDED_SHORT: _("Ended short"),
    }


@dataclass
class RotationStatus:
    status: str
    months: int = 0
    stationing: Stationing | None = None

    @property
    def label(self):
        return Progress.LABELS[self.status]


def rotation_progress(
    plan: RotationPlan, stationings: list[Stationing], today: date | None = None
) -> RotationStatus:
    """Read a plan's progress from the person's stationings (never typed in): the first
    stationing at the planned window (any window when none is planned) that starts no earlier
    than ``ROTATION_GRACE_DAYS`` before the planned start."""
    today = today or timezone.localdate()
    earliest = plan.planned_start - timedelta(days=ROTATION_GRACE_DAYS)
    candidates = sorted(
        (
            s
            for s in stationings
            if s.start_date >= earliest
            and s.start_date <= today
            and (plan.window_id is None or s.window_id == plan.window_id)
        ),
        key=lambda s: (s.start_date, s.pk),
    )
    if not candidates:
        return RotationStatus(Progress.NOT_STARTED)
    stationing = candidates[0]
    months = months_between(stationing.start_date, min(stationing.end_date or today, today))
    if months >= plan.minimum_months:
        status = Progress.COMPLETED
    elif stationing.end_date is None:
        status = Progress.AT_WINDOW
    else:
        status = Progress.ENDED_SHORT
    return RotationStatus(status, months, stationing)


@dataclass
class ReserveRow:
    person: Staff
    plan: RotationPlan | None
    progress: RotationStatus
    flags: eligibility.Flags


def reserve_board(user: Any, today: date | None = None) -> list[ReserveRow]:
    """Every reserve cadre in the user's scope with the plan in force, its progress and the
    eligibility flags. Four queries whatever the number of people."""
    today = today or timezone.localdate()
    plans = RotationPlan.objects.filter(cancelled=False).select_related("window", "transfer")
    people = list(
        scope(Staff.objects.select_related("department"), user, person="")
        .filter(is_reserve_cadre=True)
        .prefetch_related(Prefetch("rotation_plans", queryset=plans, to_attr="plans_in_force"))
        .order_by("department__code", "name", "id")
    )
    ids = [p.pk for p in people]
    by_person: dict[int, list[Stationing]] = defaultdict(list)
    for stationing in Stationing.objects.filter(staff_id__in=ids).select_related("window"):
        by_person[stationing.staff_id].append(stationing)
    flags = eligibility.flags_for_many(ids, today)
    rows = []
    for person in people:
        plan = person.plans_in_force[0] if person.plans_in_force else None
        progress = (
            rotation_progress(plan, by_person[person.pk], today)
            if plan
            else RotationStatus(Progress.NONE)
        )
        rows.append(ReserveRow(person, plan, progress, flags[person.pk]))
    return rows


def reserve_candidates(user: Any, today: date | None = None, limit: int = 50) -> list[Staff]:
    """People flagged as reserve-cadre candidates who are not marked yet (for the board).
    Reads the annual grades of people with any excellent grade only."""
    from assessments.models import Grade, PeriodKind, Score

    today = today or timezone.localdate()
    excellent = Score.objects.filter(period__kind=PeriodKind.YEAR).filter(
        Q(department_grade=Grade.EXCELLENT)
        | Q(department_grade="", suggested_grade=Grade.EXCELLENT)
    )
    people = list(
        scope(Staff.objects.select_related("department"), user, person="")
        .filter(is_reserve_cadre=False, pk__in=excellent.values("staff_id"))
        .order_by("department__code", "name", "id")
    )
    flags = eligibility.flags_for_many([p.pk for p in people], today)
    return [p for p in people if flags[p.pk].reserve_candidate][:limit]
