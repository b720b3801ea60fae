"""Figures other pages read: the dashboard's assessment block, and the month scores and
department averages of joint's department pages and monthly report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from staff.permissions import Role, role_of

from ..models import (
    OPEN_RECTIFICATION,
    PeriodDepartmentTotal,
    PeriodKind,
    Score,
)
from .periods import period_current
from .ratings import rectification_list_for_user
from .scores import open_appeal_count, score_list_for_user, totals_for_user


def dashboard_figures(user: Any) -> dict[str, Any]:
    """The dashboard's assessment block: open appeals, open and overdue rectification cases, and
    the latest month's average score (from the department totals: a handful of small queries)."""
    today = timezone.localdate()
    cases = rectification_list_for_user(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_RECTIFICATION)),
        overdue=Count("id", filter=Q(status__in=OPEN_RECTIFICATION, deadline__lt=today)),
    )
    period = period_current()
    average = None
    if period is not None:
        if role_of(user) in (Role.CENTER_ADMIN, Role.HR, Role.LIAISON):
            sums = (
                totals_for_user(PeriodDepartmentTotal, user)
                .filter(period=period)
                .aggregate(t=Sum("total_sum"), n=Sum("people"))
            )
            average = sums["t"] / sums["n"] if sums["n"] else None
        else:
            average = score_list_for_user(user).filter(period=period).aggregate(a=Avg("total"))["a"]
    return {
        "open_appeals": open_appeal_count(user),
        "open_cases": cases["open"],
        "overdue_cases": cases["overdue"],
        "period": period,
        "average": round(float(average), 2) if average is not None else None,
    }


# --- read by the apps above (joint's department pages and monthly report) ------------------------


def _month_scores(day: date) -> QuerySet[Score]:
    return Score.objects.filter(
        period__kind=PeriodKind.MONTH, period__year=day.year, period__number=day.month
    )


def department_average_score(department_id: int, first: date, last: date) -> Decimal | None:
    """The average monthly score of the department's people for the month of ``first`` (None
    before any score is computed), from the department totals. One query."""
    row = PeriodDepartmentTotal.objects.filter(
        period__kind=PeriodKind.MONTH,
        period__year=first.year,
        period__number=first.month,
        department_id=department_id,
        people__gt=0,
    ).first()
    return None if row is None else row.average


def department_month_totals(
    department_ids: Iterable[int], day: date
) -> dict[int, tuple[Decimal | None, int]]:
    """(average score, people scored) per department for ``day``'s month, from the department
    totals (one query over one row per department; departments without scores left out)."""
    rows = PeriodDepartmentTotal.objects.filter(
        period__kind=PeriodKind.MONTH,
        period__year=day.year,
        period__number=day.month,
        department_id__in=list(department_ids),
        people__gt=0,
    )
    return {row.department_id: (row.average, row.people) for row in rows}


def month_score_subquery(day: date, staff_ref: str = "pk") -> Any:
    """A subquery giving the person's (``OuterRef(staff_ref)``) monthly score for ``day``'s
    month, to annotate a staff queryset without extra queries."""
    from django.db.models import OuterRef, Subquery

    return Subquery(_month_scores(day).filter(staff_id=OuterRef(staff_ref)).values("total")[:1])
