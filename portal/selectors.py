"""Reads of the portal."""

from __future__ import annotations

from typing import Any

from .dashboard import scope_of
from .models import DashboardSnapshot


def dashboard_snapshot_for_user(user: Any) -> DashboardSnapshot | None:
    """The stored snapshot of the user's scope (one query), or None before the first one."""
    return DashboardSnapshot.objects.filter(scope=scope_of(user)).first()


def liaison_departments(user: Any, limit: int = 20) -> list[Any]:
    """The liaison's departments (with their headcount), each with what waits for the home
    department's own decision (issue #16): ``open_cases`` and ``overdue_cases`` (bad-rating
    rectification cases of its windows, index ``rectification_dept_idx``) and
    ``awaiting_answers`` (sent recommendations addressed to it, not answered yet, partial index
    ``recommendation_home_open_idx``) — scalar subqueries of the one departments query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from assessments.models import OPEN_RECTIFICATION, Rectification
    from assessments.services.rectification import overdue_q
    from promotions.models import Recommendation
    from promotions.selectors import awaiting_home_answer
    from staff.selectors import department_list_for_user

    def count(qs, group: str):
        rows = qs.order_by().values(group).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    cases = Rectification.objects.filter(department=OuterRef("pk"), status__in=OPEN_RECTIFICATION)
    answers = awaiting_home_answer(Recommendation.objects.filter(staff__department=OuterRef("pk")))
    return list(
        department_list_for_user(user).annotate(
            open_cases=count(cases, "department"),
            overdue_cases=count(cases.filter(overdue_q(timezone.localdate())), "department"),
            awaiting_answers=count(answers, "staff__department"),
        )[:limit]
    )
