"""Reads for a user, always scoped. Center-run courses and sessions are open to everyone;
department-run ones to that department (its liaisons and its staff), the center and HR."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff.models import Role, Staff, StaffStatus
from staff.permissions import department_ids, role_of, scope
from staff.selectors import staff_list_for_user
from windows.models import Stationing

from .models import (
    DONE_STATUSES,
    SEAT_STATUSES,
    Course,
    CourseCategory,
    Enrollment,
    OrganizerSide,
    PolicyUpdate,
    Session,
    Skill,
    StaffSkill,
    TrainingHours,
)

HOURS = DecimalField(max_digits=7, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=HOURS)


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


# --- hours and targets ---------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime(year, 1, 1, tzinfo=zone),
        datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _by_side() -> dict[str, Any]:
    """Sums of ``TrainingHours.hours`` per organizer side (``center``, ``department``)."""
    return {
        "center": Coalesce(Sum("hours", filter=Q(side=OrganizerSide.CENTER)), ZERO),
        "department": Coalesce(Sum("hours", filter=Q(side=OrganizerSide.DEPARTMENT)), ZERO),
    }


def hours_rows_for_user(user: Any, year: int) -> QuerySet[TrainingHours]:
    """The ``TrainingHours`` rows of ``year`` of the people ``user`` may see."""
    qs = TrainingHours.objects.filter(year=year)
    return scope(qs, user, department="staff__department", person="staff").order_by()


def hours_for_person(person: Staff, year: int) -> dict[str, Decimal]:
    """Hours credited in ``year``, by organizer side, and the total. One query (the person's
    ``TrainingHours`` rows)."""
    figures = TrainingHours.objects.filter(staff=person, year=year).aggregate(**_by_side())
    figures["total"] = figures["center"] + figures["department"]
    return figures


def annual_target() -> Decimal:
    return Decimal(settings.CENTER["TRAINING_ANNUAL_HOURS"])


def pace_target(today: date) -> Decimal:
    """The hours a person should have by ``today`` to reach the annual target evenly."""
    start = date(today.year, 1, 1)
    days = (date(today.year + 1, 1, 1) - start).days
    elapsed = (today - start).days + 1
    return (annual_target() * elapsed / days).quantize(Decimal("0.1"))


def people_with_hours(user: Any, year: int) -> QuerySet[Staff]:
    """People in scope (not left) annotated with their hours in ``year`` by side. One query."""
    return with_hours(staff_list_for_user(user).exclude(status=StaffStatus.LEFT), year)


def _hours_subquery(year: int, staff_ref: str, side: str | None = None) -> Subquery:
    rows = TrainingHours.objects.filter(staff_id=OuterRef(staff_ref), year=year)
    if side is not None:
        rows = rows.filter(side=side)
    return Subquery(
        rows.order_by().values("staff_id").annotate(total=Sum("hours")).values("total")[:1],
        output_field=HOURS,
    )


def with_hours(people: QuerySet[Staff], year: int) -> QuerySet[Staff]:
    """``people`` annotated with ``hours_center``, ``hours_department`` and ``hours_total``
    credited in ``year`` (no scope: the reminder sweep uses it for everyone), read from the
    people's ``TrainingHours`` rows."""
    return people.annotate(
        hours_center=Coalesce(_hours_subquery(year, "pk", OrganizerSide.CENTER), ZERO),
        hours_department=Coalesce(_hours_subquery(year, "pk", OrganizerSide.DEPARTMENT), ZERO),
    ).annotate(hours_total=F("hours_center") + F("hours_department"))


def behind_target(user: Any, today: date) -> QuerySet[Staff]:
    """People whose hours this year are below the even pace towards the annual target."""
    return (
        people_with_hours(user, today.year)
        .filter(hours_total__lt=pace_target(today))
        .order_by("hours_total", "name", "id")
    )


def hours_by_department(user: Any, year: int) -> list[dict[str, Any]]:
    """Hours credited in ``year`` per department in scope, by side, with the number of people
    credited. One query over the ``TrainingHours`` rows."""
    qs = hours_rows_for_user(user, year)
    rows = qs.values("staff__department__name", "staff__department__short_name").annotate(
        **_by_side(), people=Count("staff", distinct=True)
    )
    result = [
        {
            "label": r["staff__department__short_name"] or r["staff__department__name"],
            "center": r["center"],
            "department": r["department"],
            "total": r["center"] + r["department"],
            "people": r["people"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r["total"], r["label"]))


def hours_by_category(user: Any, year: int) -> list[dict[str, Any]]:
    qs = hours_rows_for_user(user, year)
    totals = dict(qs.values_list("category").annotate(total=Sum("hours")))
    return [
        {"key": key, "label": str(label), "value": float(totals.get(key) or 0)}
        for key, label in CourseCategory.choices
    ]


def _done_course(course_filter: dict[str, Any], since: Any = None) -> Exists:
    q = Enrollment.objects.filter(staff_id=OuterRef("staff_id"), status__in=DONE_STATUSES)
    q = q.filter(**course_filter)
    if since is not None:
        q = q.filter(session__starts_at__date__gte=since)
    return Exists(q)


def onboarding_overdue(user: Any, today: date) -> QuerySet[Stationing]:
    """Open stationings older than the onboarding window whose person never did onboarding."""
    days = settings.CENTER["TRAINING_ONBOARDING_DAYS"]
    people = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    return onboarding_overdue_stationings(people, started_before=today - timedelta(days=days))


def onboarding_overdue_stationings(
    people: QuerySet[Staff], *, started_before: date, started_from: date | None = None
) -> QuerySet[Stationing]:
    qs = Stationing.objects.filter(
        end_date__isnull=True, staff__in=people, start_date__lt=started_before
    )
    if started_from is not None:
        qs = qs.filter(start_date__gte=started_from)
    return (
        qs.exclude(_done_course({"session__course__category": CourseCategory.ONBOARDING}))
        .select_related("staff", "staff__department", "window")
        .order_by("start_date", "id")
    )


def _policy_pending_done() -> Exists:
    return Exists(
        Enrollment.objects.filter(
            staff_id=OuterRef("staff_id"),
            status__in=DONE_STATUSES,
            session__course_id=OuterRef("window__service_items__policy_updates__course_id"),
            session__starts_at__date__gte=OuterRef(
                "window__service_items__policy_updates__published_on"
            ),
        )
    )


def policy_overdue_count(user: Any, today: date) -> int:
    """How many (person, policy update) pairs are past the deadline untrained. One query."""
    people = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    return (
        Stationing.objects.filter(
            end_date__isnull=True,
            staff__in=people,
            window__service_items__policy_updates__closed=False,
            window__service_items__policy_updates__deadline__lt=today,
        )
        .annotate(done=_policy_pending_done())
        .filter(done=False)
        .values("staff_id", "window__service_items__policy_updates__id")
        .distinct()
        .count()
    )


def policy_overdue(user: Any, today: date) -> list[dict[str, Any]]:
    """(person, policy update) pairs past the deadline without the linked course since the update
    was published. Two queries whatever the number of updates."""
    people = staff_list_for_user(user).exclude(status=StaffStatus.LEFT)
    rows = policy_pending_pairs(people, deadline_before=today)
    for row in rows:
        row["days_overdue"] = (today - row["update"].deadline).days
    return rows


def policy_pending_pairs(
    people: QuerySet[Staff], *, deadline_before: date, deadline_from: date | None = None
) -> list[dict[str, Any]]:
    """(person, open policy update) pairs with the deadline in [deadline_from, deadline_before)
    whose person, at a window handling a tagged item, has not done the linked course since the
    publication. Two queries."""
    updates_qs = PolicyUpdate.objects.filter(closed=False, deadline__lt=deadline_before)
    if deadline_from is not None:
        updates_qs = updates_qs.filter(deadline__gte=deadline_from)
    updates = list(updates_qs.select_related("course"))
    rows: list[dict[str, Any]] = []
    if not updates:
        return rows
    by_id = {u.pk: u for u in updates}
    pairs = (
        Stationing.objects.filter(
            end_date__isnull=True,
            staff__in=people,
            window__service_items__policy_updates__in=updates,
        )
        .annotate(done=_policy_pending_done())
        .filter(done=False)
        .values_list(
            "staff_id",
            "staff__name",
            "staff__department_id",
            "staff__department__name",
            "staff__user_id",
            "window__service_items__policy_updates__id",
        )
        .distinct()
        .order_by("window__service_items__policy_updates__id", "staff__name", "staff_id")
    )
    for staff_id, name, department_id, department, user_id, update_id in pairs:
        rows.append(
            {
                "staff_id": staff_id,
                "name": name,
                "department_id": department_id,
                "department": department,
                "user_id": user_id,
                "update": by_id[update_id],
            }
        )
    return rows


def dashboard_figures(user: Any, today: date) -> dict[str, Any]:
    """The dashboard's training block: four queries."""
    hours = hours_rows_for_user(user, today.year).aggregate(total=Coalesce(Sum("hours"), ZERO))[
        "total"
    ]
    return {
        "hours": hours,
        "behind": behind_target(user, today).count(),
        "onboarding_overdue": onboarding_overdue(user, today).count(),
        "policy_overdue": policy_overdue_count(user, today),
        "pace": pace_target(today),
        "target": annual_target(),
    }


# --- read by the apps above (joint's department pages and monthly report) ------------------------


def _credited_between(first: date, last: date, prefix: str = "") -> Q:
    zone = timezone.get_current_timezone()
    return Q(
        **{
            f"{prefix}status__in": DONE_STATUSES,
            f"{prefix}session__starts_at__gte": datetime.combine(first, time.min, tzinfo=zone),
            f"{prefix}session__starts_at__lt": datetime.combine(
                last + timedelta(days=1), time.min, tzinfo=zone
            ),
        }
    )


def department_hours_credited(department_id: int, first: date, last: date) -> Decimal:
    """Training hours credited to the department's people for sessions from ``first`` to ``last``
    (both sides' courses). One query."""
    return Enrollment.objects.filter(
        _credited_between(first, last), staff__department_id=department_id
    ).aggregate(total=Coalesce(Sum("hours_credited"), ZERO))["total"]


def hours_credited_subquery(year: int, staff_ref: str = "pk") -> Any:
    """A subquery giving the hours credited in ``year`` to the person ``OuterRef(staff_ref)``,
    to annotate a staff queryset without extra queries (NULL when none): a sum over the person's
    ``TrainingHours`` rows of the year."""
    return _hours_subquery(year, staff_ref)


def hours_by_category_and_side(
    staff_ids: list[int], first: date, last: date
) -> list[dict[str, Any]]:
    """Hours credited to each of ``staff_ids`` for sessions from ``first`` to ``last``, per course
    category and organizer side, with the number of sessions (read by the promotions evidence
    pack). One query."""
    return list(
        Enrollment.objects.filter(_credited_between(first, last), staff_id__in=staff_ids)
        .values(
            "staff_id",
            category=F("session__course__category"),
            side=F("session__course__side"),
        )
        .annotate(hours=Coalesce(Sum("hours_credited"), ZERO), sessions=Count("id"))
        .order_by("staff_id", "category", "side")
    )
