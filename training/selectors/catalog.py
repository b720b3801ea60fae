"""Skills, courses, sessions (with their seats taken), enrollments, policy updates, and a person's
skills and training history."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff.models import Role, Staff
from staff.permissions import department_ids, role_of, scope

from ..models import (
    SEAT_STATUSES,
    Course,
    Enrollment,
    PolicyUpdate,
    Session,
    Skill,
    StaffSkill,
)


def _open_to(qs: QuerySet, user: Any, path: str) -> QuerySet:
    """Rows whose department (at ``path``) is null (center-run) or one the user belongs to."""
    ids = department_ids(user)
    if ids is None:
        return qs
    if role_of(user) == Role.STAFF:
        person = getattr(user, "staff_profile", None)
        ids = {person.department_id} if person is not None else set()
    return qs.filter(Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": ids}))


def skill_list_for_user(user: Any) -> QuerySet[Skill]:
    return Skill.objects.select_related("service_item").order_by("code", "id")


def course_list_for_user(user: Any) -> QuerySet[Course]:
    qs = Course.objects.select_related("department").annotate(
        session_count=Count("sessions", distinct=True)
    )
    return _open_to(qs, user, "department").order_by("title", "id")


def course_get_for_user(user: Any, pk: int) -> Course:
    return get_object_or_404(course_list_for_user(user), pk=pk)


def seats_taken() -> Coalesce:
    """The seats held on the session ``OuterRef("pk")``: a count over the roll's index per
    session (a join with every enrollment would read them all to draw a page)."""
    held = (
        Enrollment.objects.filter(session_id=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


def session_list_for_user(user: Any) -> QuerySet[Session]:
    qs = Session.objects.select_related("course", "course__department").annotate(
        taken=seats_taken()
    )
    return _open_to(qs, user, "course__department").order_by("starts_at", "id")


def session_get_for_user(user: Any, pk: int) -> Session:
    return get_object_or_404(session_list_for_user(user), pk=pk)


def sessions_in_month(user: Any, year: int, month: int) -> QuerySet[Session]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=zone)
    end_day = date(year + (month == 12), month % 12 + 1, 1)
    end = datetime.combine(end_day, time.min, tzinfo=zone)
    return session_list_for_user(user).filter(starts_at__gte=start, starts_at__lt=end)


def enrollment_list_for_user(user: Any) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related(
        "staff", "staff__department", "session", "session__course"
    )
    return scope(qs, user, department="staff__department", person="staff").order_by(
        "-session__starts_at", "staff__name", "id"
    )


def enrollments_for_session(session: Session, user: Any) -> QuerySet[Enrollment]:
    """The roll of a session, limited to the people the user may see."""
    return enrollment_list_for_user(user).filter(session=session).order_by("staff__name", "id")


def policy_update_list_for_user(user: Any) -> QuerySet[PolicyUpdate]:
    return (
        PolicyUpdate.objects.select_related("course")
        .prefetch_related("service_items")
        .order_by("-published_on", "id")
    )


def staff_skills(person: Staff) -> QuerySet[StaffSkill]:
    return person.skills.select_related("skill").order_by("skill__code", "id")


def training_history(person: Staff) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(staff=person)
        .select_related("session", "session__course", "session__course__department")
        .order_by("-session__starts_at", "id")
    )
