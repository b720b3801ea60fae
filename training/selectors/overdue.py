"""What is overdue: onboarding courses of newly stationed people, policy updates' courses not
done by their deadline; and the dashboard's training block."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from staff.models import Staff, StaffStatus
from staff.selectors import staff_list_for_user
from windows.models import Stationing

from ..models import (
    DONE_STATUSES,
    CourseCategory,
    Enrollment,
    PolicyUpdate,
)
from .hours import ZERO, annual_target, behind_target, hours_rows_for_user, pace_target


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
