"""Periods and the rule table; the scoring inputs (year-end review, decided grade, the red-flag
window inputs)."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff.permissions import scope
from windows.models import Window

from ..models import (
    AssessmentRule,
    Period,
    PeriodKind,
    PeriodWindowTotal,
    Score,
    WindowAssessment,
)


def period_list() -> QuerySet[Period]:
    return Period.objects.select_related("closed_by").order_by("-start_date", "kind", "id")


def period_get(pk: int) -> Period:
    return get_object_or_404(Period, pk=pk)


def period_current(kind: str = PeriodKind.MONTH) -> Period | None:
    """The latest period of ``kind`` that has started (the board's default)."""
    today = timezone.localdate()
    return Period.objects.filter(kind=kind, start_date__lte=today).order_by("-start_date").first()


def rule_list(*, active_only: bool = False) -> QuerySet[AssessmentRule]:
    qs = AssessmentRule.objects.order_by("code", "id")
    return qs.filter(active=True) if active_only else qs


# --- scoring inputs: year-end review, decided grade, red-flag window inputs ----------------------


def results_for_user(
    user: Any, period: Period, department_id: int | None = None
) -> QuerySet[Score]:
    """A quarter's or year's scores in the user's scope for its results page (review score,
    suggested and decided grade), by department and name."""
    qs = scope(
        Score.objects.select_related("staff", "department", "window").filter(period=period),
        user,
        department="staff__department",
        person="staff",
    )
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("department__code", "staff__name", "id")


def window_inputs_for_user(user: Any) -> QuerySet[WindowAssessment]:
    qs = WindowAssessment.objects.select_related("window", "period")
    return scope(qs, user, department="window__department").order_by("-period_id", "window__code")


def window_input_rows(user: Any, period: Period) -> list[dict[str, Any]]:
    """Each window in the user's scope that has scores in ``period``, with its inputs (or none
    yet) and its red-flag score and components, best first. Three queries."""
    from ..services.awards import red_flag_scores

    visible = scope(Window.objects.all(), user, department="department")
    windows = {
        w.pk: w
        for w in visible.filter(
            pk__in=PeriodWindowTotal.objects.filter(period=period, people__gt=0).values("window_id")
        ).select_related("department")
    }
    inputs = {
        i.window_id: i
        for i in WindowAssessment.objects.filter(period=period, window_id__in=windows)
    }
    rows = [
        row | {"window": windows[row["window_id"]], "inputs": inputs.get(row["window_id"])}
        for row in red_flag_scores(period)
        if row["window_id"] in windows
    ]
    return rows
