"""Training hours per person, year and organizer side (the rows ``training.hours`` keeps), the
yearly target and the pace towards it; and the hours the apps above read (joint's department
pages and monthly report)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from staff.models import Staff, StaffStatus
from staff.permissions import scope
from staff.selectors import staff_list_for_user

from ..models import (
    DONE_STATUSES,
    CourseCategory,
    Enrollment,
    OrganizerSide,
    TrainingHours,
)

HOURS = DecimalField(max_digits=7, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=HOURS)


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
