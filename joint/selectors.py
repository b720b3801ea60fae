"""Reads for a user, always scoped: departments through ``staff.permissions.scope``, talks and
follow-ups through ``joint.permissions.talk_scope`` (confidentiality)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.shortcuts import get_object_or_404

from assessments.selectors import month_score_subquery
from core.pagination import CountPaginator
from staff.models import CenterRole, Department, Staff, StaffStatus
from staff.permissions import scope
from training.selectors import hours_credited_subquery
from windows.models import Stationing

from . import triggers
from .models import (
    FollowUp,
    FollowUpState,
    SuggestedTalk,
    Talk,
    TalkRequest,
    TalkRequestState,
    Visit,
)
from .permissions import department_talk_scope, department_visibility, talk_scope

OPEN_STATES = (FollowUpState.OPEN, FollowUpState.IN_PROGRESS)


# --- visits ---------------------------------------------------------------------------------------


def visit_list_for_user(user: Any) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("department", "created_by").prefetch_related(
        "windows", "visitor_users"
    )
    return scope(qs, user, department="department").order_by("-date", "-id")


def department_visits(department: Department, limit: int = 10) -> list[Visit]:
    """The department's latest visits, as everyone who may see the department sees them (the
    caller has resolved ``department`` through the user's scope): over visit_dept_date_idx, with
    the windows visited. Two queries."""
    return list(
        Visit.objects.filter(department=department)
        .select_related("department")
        .prefetch_related("windows")
        .order_by("-date", "-id")[:limit]
    )


def visit_get_for_user(user: Any, pk: int) -> Visit:
    return get_object_or_404(visit_list_for_user(user), pk=pk)


# --- talks ----------------------------------------------------------------------------------------


def talk_list_for_user(user: Any) -> QuerySet[Talk]:
    """Talks ``user`` may know about (see joint/permissions.py); notes need ``notes_visible``."""
    qs = Talk.objects.select_related("staff__department", "author")
    return talk_scope(qs, user).order_by("-date", "-id")


def department_talk_list_for_user(user: Any, department_id: int) -> QuerySet[Talk]:
    """The talks about people of one department that ``user`` may know about, latest first
    (the same rows as ``talk_list_for_user(user)`` filtered to the department)."""
    qs = Talk.objects.select_related("staff__department", "author")
    return department_talk_scope(qs, user, department_id).order_by("-date", "-id")


def talk_get_for_user(user: Any, pk: int) -> Talk:
    """Raises Http404 for a talk the user may not know about, whether or not it exists."""
    return get_object_or_404(talk_list_for_user(user), pk=pk)


# --- follow-ups -----------------------------------------------------------------------------------


def follow_up_list_for_user(user: Any) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.select_related("talk__staff__department", "talk__author", "owner_user")
    return talk_scope(qs, user, talk="talk").order_by("due_date", "id")


def department_open_follow_ups(user: Any, department_id: int) -> QuerySet[FollowUp]:
    """Unresolved follow-ups of talks about people of one department that ``user`` may know
    about, soonest due first (the same rows as ``follow_up_list_for_user`` so filtered)."""
    qs = FollowUp.objects.filter(state__in=OPEN_STATES).select_related("talk__staff")
    return department_talk_scope(qs, user, department_id, talk="talk").order_by("due_date", "id")


def follow_up_get_for_user(user: Any, pk: int) -> FollowUp:
    return get_object_or_404(follow_up_list_for_user(user), pk=pk)


def follow_ups_due(today: date, *, since: date | None = None) -> QuerySet[FollowUp]:
    """Unresolved follow-ups due on or before ``today`` (and on or after ``since``), for the
    reminder sweep ``joint.follow_ups`` (joint/reminders.py). No user scope: the sweep picks
    recipients who may read the talk."""
    qs = FollowUp.objects.filter(state__in=OPEN_STATES, due_date__lte=today)
    if since is not None:
        qs = qs.filter(due_date__gte=since)
    return qs.select_related("talk__staff__department", "talk__author", "owner_user").order_by(
        "due_date", "id"
    )


def follow_ups_overdue_for_user(user: Any, today: date) -> QuerySet[FollowUp]:
    return follow_up_list_for_user(user).filter(state__in=OPEN_STATES, due_date__lt=today)


# --- the department's page ------------------------------------------------------------------------


def department_choices_for_user(user: Any) -> QuerySet[Department]:
    """The departments ``user`` may see, in code order, for the pages' department picker (no
    headcount: that is a count over every person)."""
    return scope(Department.objects.all(), user, department="id").order_by("code", "id")


def department_for_user(
    user: Any, pk: Any | None, departments: list[Department] | None = None
) -> Department:
    """The department a page is about: ``pk`` if given (404 outside the user's scope), else the
    user's first department. Raises Http404 when the user has none. Pass ``departments`` (the
    user's :func:`department_choices_for_user`, already listed) to pick from it without a
    query."""
    from django.http import Http404

    if departments is None:
        queryset = department_choices_for_user(user)
        if pk not in (None, ""):
            try:
                return get_object_or_404(queryset, pk=int(pk))
            except (TypeError, ValueError):
                raise Http404 from None
        departments = list(queryset[:1])
    elif pk not in (None, ""):
        try:
            wanted = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        departments = [d for d in departments if d.pk == wanted]
    if not departments:
        raise Http404
    return departments[0]


@dataclass
class StaffRow:
    person: Staff
    window: str | None
    since: date | None
    tenure_months: int | None
    flags: list[str]
    open_follow_ups: int
    score: Decimal | None = None  # this month's score (assessments)
    training_hours: Decimal | None = None  # hours credited this year (training)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


STAFF_PAGE_SIZE = 50


def current_suggestions(today: date) -> QuerySet[SuggestedTalk]:
    """Suggested-talk rows shown on ``today`` (``due`` to ``until``) about people in service."""
    return (
        SuggestedTalk.objects.filter(due__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exclude(staff__status=StaffStatus.LEFT)
    )


def department_suggestions(department: Department, today: date) -> QuerySet[SuggestedTalk]:
    """The department's suggested talks shown on ``today``, oldest event first (the department
    read through the person: a move never shows one department another's)."""
    return (
        current_suggestions(today)
        .filter(staff__department=department)
        .order_by("since", "staff_id", "reason")
    )


def department_staff(
    department: Department,
    today: date,
    page: Any = None,
    *,
    user: Any,
    count: int | None = None,
) -> Page:
    """One page of the department's people in service, each with their open stationing (tenure
    derived from its start), this month's score, the training hours credited this year, their
    suggested-talk reasons as flags and the open follow-ups ``user`` may know about.
    Constant queries whatever the department's size: the count (none when the caller knows it:
    ``count``, e.g. the monthly report's ``at_windows``), the page, the page's flags."""
    open_stationing = Stationing.objects.filter(staff_id=OuterRef("pk"), end_date__isnull=True)
    visible = department_visibility(user, department.pk, talk="talk")
    open_follow_ups = (
        FollowUp.objects.filter(
            visible if visible is not None else Q(pk__in=[]),
            talk__staff_id=OuterRef("pk"),
            state__in=OPEN_STATES,
        )
        .values("talk__staff_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    in_service = (
        Staff.objects.filter(department=department)
        .exclude(status=StaffStatus.LEFT)
        .exclude(center_role=CenterRole.MANAGEMENT)
    )
    people = in_service.annotate(
        window_code=Subquery(open_stationing.values("window__code")[:1]),
        stationed_since=Subquery(
            open_stationing.values("start_date")[:1], output_field=DateField()
        ),
        open_follow_ups=Subquery(open_follow_ups, output_field=IntegerField()),
        month_score=month_score_subquery(today),
        training_hours=hours_credited_subquery(today.year),
    ).order_by("name", "id")
    paginator = CountPaginator(people, STAFF_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: the caller counted the same people
    result = paginator.get_page(page)
    page_people = list(result.object_list)
    labels = triggers.reason_labels()
    flags: dict[int, list[str]] = {}
    if page_people:
        for staff_id, reason in (
            current_suggestions(today)
            .filter(staff_id__in=[p.pk for p in page_people])
            .order_by("since", "staff_id", "reason")
            .values_list("staff_id", "reason")
        ):
            flags.setdefault(staff_id, []).append(labels.get(reason, reason))
    result.object_list = [
        StaffRow(
            person=p,
            window=p.window_code,
            since=p.stationed_since,
            tenure_months=months_between(p.stationed_since, today) if p.stationed_since else None,
            flags=flags.get(p.pk, []),
            open_follow_ups=p.open_follow_ups or 0,
            score=p.month_score,
            training_hours=p.training_hours,
        )
        for p in page_people
    ]
    return result


@dataclass
class SuggestionRow:
    person: Staff
    reason: str
    since: date
    kind: str


def suggested_talks_for_user(
    user: Any, department: Department, today: date, limit: int = 50
) -> tuple[list[SuggestionRow], int]:
    """The first ``limit`` suggested talks of one department (resolved through ``user``'s scope:
    the rows are the same for everyone who may see it), oldest first, and how many there are.
    One query (the total is a window count over the same rows)."""
    rows = list(
        department_suggestions(department, today)
        .select_related("staff__department")
        .annotate(total=Window(Count("id")))[:limit]
    )
    labels = triggers.reason_labels()
    shown = [
        SuggestionRow(
            person=row.staff,
            reason=labels.get(row.reason, row.reason),
            since=row.since,
            kind=row.kind,
        )
        for row in rows
    ]
    return shown, rows[0].total if rows else 0


def departments_without_visit(user: Any, today: date, *, days: int = 92) -> QuerySet[Department]:
    """Active departments the user may see with no visit in the last ``days`` (a quarter)."""
    last = Visit.objects.filter(department=OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        scope(Department.objects.filter(active=True), user, department="id")
        .annotate(last_visit=Subquery(last, output_field=DateField()))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=today - timedelta(days=days)))
        .order_by("code", "id")
    )


def open_request_for(person: Staff) -> TalkRequest | None:
    return person.talk_requests.filter(state=TalkRequestState.OPEN).first()
