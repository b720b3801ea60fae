"""Reads of the assessments app, always through the user's scope (``staff.permissions.scope``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff.permissions import Perm, Role, has_perm, role_of, scope
from windows.models import Window

from .models import (
    BAD_LEVELS,
    GOOD_LEVELS,
    OPEN_RECTIFICATION,
    Appeal,
    AppealStatus,
    AssessmentRule,
    Award,
    Entry,
    Period,
    PeriodDepartmentTotal,
    PeriodKind,
    PeriodStatus,
    PeriodTotalCount,
    PeriodWindowTotal,
    Rating,
    RatingLevel,
    Rectification,
    RectificationStatus,
    Score,
    WindowAssessment,
)

# --- periods and rules -------------------------------------------------------------------------


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
    from .services.awards import red_flag_scores

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


# --- scores and entries --------------------------------------------------------------------------


def score_list_for_user(user: Any) -> QuerySet[Score]:
    qs = Score.objects.select_related("staff", "department", "window", "period")
    return scope(qs, user, department="staff__department", person="staff")


def with_workload(scores: list[Score], period: Period) -> list[Score]:
    """Each score of a page with ``workload_points``: the person's weighted workload points in
    the period (issue #18; ``None`` without workload), in one query."""
    from workload.selectors import staff_points

    points = staff_points({s.staff_id for s in scores}, period.start_date, period.end_date)
    for score in scores:
        score.workload_points = points.get(score.staff_id)
    return scores


def score_ranking_for_user(
    user: Any, period: Period, department_id: int | None = None
) -> QuerySet[Score]:
    """The period's scores best first, which is rank order (center-wide, or within one
    department), over ``score_period_total_idx`` / ``score_period_dept_idx``; with only what a
    ranking row shows joined: person, department, window. Pass the page through
    :func:`with_ranks` for the ranks."""
    qs = scope(
        Score.objects.select_related("staff", "department", "window").filter(period=period),
        user,
        department="staff__department",
        person="staff",
    )
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("-total", "id")


def _rank_counts(
    groups: dict[Any, Decimal], filters: Callable[[Any, Decimal], Q], keys: Sequence[str]
) -> dict[Any, list[tuple[Decimal, int]]]:
    """For each group (a period, or a period and department) the number of scores per total
    above the group's lowest total asked about, highest first (one aggregate query)."""
    if not groups:
        return {}
    condition = Q()
    for group, lowest in groups.items():
        condition |= filters(group, lowest)
    counts: dict[Any, list[tuple[Decimal, int]]] = defaultdict(list)
    rows = (
        Score.objects.filter(condition)
        .order_by()
        .values(*keys, "total")
        .annotate(n=Count("id"))
        .values_list(*keys, "total", "n")
    )
    for *group, total, n in rows:
        counts[group[0] if len(group) == 1 else tuple(group)].append((total, n))
    return counts


def _rank_of(counts: list[tuple[Decimal, int]], total: Decimal) -> int:
    return 1 + sum(n for value, n in counts if value > total)


def with_ranks(scores: Sequence[Score]) -> Sequence[Score]:
    """Fill in ``rank_center`` and ``rank_department`` of ``scores`` that belong to an open
    period, where the stored ranks are not kept (recording an entry re-ranks nobody): the
    competition rank (1, 1, 3) is 1 + the number of the period's scores with a higher total,
    center-wide (summed from :class:`~assessments.models.PeriodTotalCount`, a row per total)
    and in the person's department (counted over ``score_period_dept_idx``). Closed periods keep the ranks stored at close. Every reader
    of ranks goes through here; at most three queries whatever the number of scores, and none
    when every period is closed. Returns ``scores``."""
    if not scores:
        return scores
    period_ids = {s.period_id for s in scores}
    status: dict[int, str] = {}
    for s in scores:
        if Score.period.is_cached(s):
            status[s.period_id] = s.period.status
    missing = period_ids - set(status)
    if missing:
        status.update(Period.objects.filter(pk__in=missing).values_list("id", "status"))
    live = [s for s in scores if status.get(s.period_id) == PeriodStatus.OPEN]
    if not live:
        return scores
    center: dict[int, Decimal] = {}
    department: dict[tuple[int, int], Decimal] = {}
    for s in live:
        center[s.period_id] = min(center.get(s.period_id, s.total), s.total)
        key = (s.period_id, s.department_id)
        department[key] = min(department.get(key, s.total), s.total)
    above: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
    condition = Q()
    for period_id, lowest in center.items():
        condition |= Q(period_id=period_id, total__gt=lowest)
    for period_id, total, n in PeriodTotalCount.objects.filter(condition).values_list(
        "period_id", "total", "people"
    ):
        above[period_id].append((total, n))

    above_department = _rank_counts(
        department,
        lambda key, low: Q(period_id=key[0], department_id=key[1], total__gt=low),
        ("period_id", "department_id"),
    )
    for s in live:
        s.rank_center = _rank_of(above.get(s.period_id, []), s.total)
        s.rank_department = _rank_of(
            above_department.get((s.period_id, s.department_id), []), s.total
        )
    return scores


def score_get_for_user(user: Any, pk: int) -> Score:
    return get_object_or_404(score_list_for_user(user), pk=pk)


def entry_list_for_user(user: Any) -> QuerySet[Entry]:
    qs = Entry.objects.select_related(
        "staff", "staff__department", "rule", "window", "period", "appeal", "joint_parent"
    ).prefetch_related("evidence")
    return scope(qs, user, department="staff__department", person="staff")


def entry_brief_list_for_user(user: Any) -> QuerySet[Entry]:
    """Entries with only the person, the rule and the appeal joined, for lists that show no
    more (the period board, the API list). The seven joins of :func:`entry_list_for_user` cost
    PostgreSQL 30–100 ms of planning per query (EXPLAIN's planning time; the entry table and its
    self-join carry many indexes), far more than running it; three cost about 1 ms."""
    qs = Entry.objects.select_related("staff", "rule", "appeal")
    return scope(qs, user, department="staff__department", person="staff")


def entry_get_for_user(user: Any, pk: int) -> Entry:
    return get_object_or_404(entry_list_for_user(user), pk=pk)


def appeal_list_for_user(user: Any) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related(
        "staff", "staff__department", "entry", "entry__rule", "entry__period", "decided_by"
    ).prefetch_related("attachments")
    return scope(qs, user, department="staff__department", person="staff")


def appeal_get_for_user(user: Any, pk: int) -> Appeal:
    return get_object_or_404(appeal_list_for_user(user), pk=pk)


def _totals_for_user(model: type, user: Any) -> QuerySet:
    """Score totals the user may see: every department's for the center and HR, their own
    departments' for a liaison, none for anyone else (see :func:`window_board`)."""
    return scope(model.objects.all(), user, department="department")


def window_board(user: Any, period: Period, limit: int = 100) -> list[dict[str, Any]]:
    """Per window and home department, best average first (the first ``limit``): people,
    average and lowest score, deductions — read from the window totals the score services
    keep (:class:`~assessments.models.PeriodWindowTotal`), one indexed query. Window staff,
    who see their own scores only, get their own rows summed."""
    if role_of(user) not in (Role.CENTER_ADMIN, Role.HR, Role.LIAISON):
        return _own_window_board(user, period, limit)
    rows = (
        _totals_for_user(PeriodWindowTotal, user)
        .filter(period=period, people__gt=0)
        .select_related("window", "department")
        .annotate(mean=ExpressionWrapper(F("total_sum") / F("people"), output_field=DecimalField()))
        .order_by("-mean", "window__code", "id")[:limit]
    )
    board = [
        {
            "window_id": row.window_id,
            "window__code": row.window.code,
            "window__name": row.window.name,
            "department__short_name": row.department.short_name,
            "people": row.people,
            "average": row.average,
            "deductions": row.deductions,
            "bonus": row.bonus,
            "lowest": row.lowest,
        }
        for row in rows
    ]
    return board


def _own_window_board(user: Any, period: Period, limit: int) -> list[dict[str, Any]]:
    rows = (
        score_list_for_user(user)
        .filter(period=period, window__isnull=False)
        .values("window_id", "window__code", "window__name", "department__short_name")
        .annotate(
            people=Count("id"),
            average=Avg("total"),
            deductions=Sum("deductions"),
            bonus=Sum("bonus"),
            lowest=Min("total"),
        )
        .order_by("-average", "window__code")[:limit]
    )
    return [
        {**row, "average": Decimal(str(row["average"])).quantize(Decimal("0.01"))} for row in rows
    ]


def period_people(period_ids: Iterable[int]) -> dict[int, int]:
    """People scored per period (0 for a period without scores), from the department totals:
    one query over a few hundred rows per period, whatever the number of scores."""
    ids = sorted(set(period_ids))
    found = dict(
        PeriodDepartmentTotal.objects.filter(period_id__in=ids)
        .order_by()
        .values("period_id")
        .annotate(n=Sum("people"))
        .values_list("period_id", "n")
    )
    return {pk: found.get(pk) or 0 for pk in ids}


def department_people(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """People scored per (period, department) among ``keys`` (0 where none), one query."""
    keys = set(keys)
    if not keys:
        return {}
    rows = PeriodDepartmentTotal.objects.filter(
        period_id__in={p for p, _d in keys}, department_id__in={d for _p, d in keys}
    ).values_list("period_id", "department_id", "people")
    found = {(p, d): n for p, d, n in rows}
    return {key: found.get(key, 0) for key in keys}


def score_history(person: Any, limit: int = 24) -> list[dict[str, Any]]:
    """Monthly totals, oldest first, for the chart."""
    rows = (
        Score.objects.filter(staff=person, period__kind=PeriodKind.MONTH)
        .order_by("-period__start_date")
        .values_list("period__kind", "period__year", "period__number", "total")[:limit]
    )
    return [
        {"label": Period(kind=kind, year=year, number=number).label, "value": float(total)}
        for kind, year, number, total in reversed(list(rows))
    ]


# A person's newest score rows read for the panel: 24 months with their quarters and years
# (about 35 rows) fit, so the table's 15 rows and the chart's 24 months come from one query.
PANEL_SCORE_ROWS = 40


def staff_panel_context(user: Any, person: Any) -> dict[str, Any] | None:
    """The staff-detail panel: score history chart, recent scores and entries (constant queries).

    ``person`` was fetched through the user's scope; the rows are still read through it. Only
    what the panel shows is joined (the person, department and window are not). The chart's
    monthly totals are those of the same read as the table (one query, not two)."""
    recent = list(
        score_list_for_user(user)
        .select_related(None)
        .select_related("period")
        .filter(staff=person)
        .order_by("-period__start_date", "period__kind")[:PANEL_SCORE_ROWS]
    )
    months = [s for s in recent if s.period.kind == PeriodKind.MONTH][:24]
    history = [{"label": s.period.label, "value": float(s.total)} for s in reversed(months)]
    entries = list(
        entry_list_for_user(user)
        .select_related(None)
        .select_related("rule", "appeal")
        .filter(staff=person)[:20]
    )
    awards = list(
        award_list_for_user(user)
        .select_related(None)
        .select_related("period")
        .filter(staff=person)[:10]
    )
    return {
        "person": person,
        "scores": with_ranks(recent[:15]),
        "entries": entries,
        "awards": awards,
        "history": history,
        "chart_id": f"score-history-{person.pk}",
    }


# --- ratings and rectification ------------------------------------------------------------------


def rating_list_for_user(user: Any) -> QuerySet[Rating]:
    qs = Rating.objects.select_related("window", "department", "staff", "service_item")
    qs = scope(qs, user, department="department", person="staff")
    if not has_perm(user, Perm.RATING_RATER_VIEW):
        qs = qs.defer("rater_name", "rater_phone")
    return qs


def rating_get_for_user(user: Any, pk: int) -> Rating:
    return get_object_or_404(rating_list_for_user(user), pk=pk)


def rectification_list_for_user(user: Any) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related(
        "rating", "rating__service_item", "window", "department", "staff"
    )
    return scope(qs, user, department="department", person="staff")


def rectification_get_for_user(user: Any, pk: int) -> Rectification:
    return get_object_or_404(rectification_list_for_user(user), pk=pk)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


RATING_GROUPS = {
    "window": ("window__code", "window__name"),
    "department": ("department__short_name", "department__name"),
    "month": ("month",),
}


def rating_statistics(
    user: Any, *, group: str = "month", start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    """GB/T 39734-2020 rates per window, department or month, in one aggregate query:

    good-rating rate = good (非常满意/满意/基本满意) ÷ rated; unrated rate = unrated ÷ service
    events; reply rate = bad ratings replied ÷ bad ratings; rectification rate = rectified ÷
    valid bad ratings (bad minus invalidated); post-rectification satisfaction = rectified and
    then satisfied ÷ rectified with a recorded satisfaction.
    """
    qs = scope(Rating.objects.all(), user, department="department", person="staff")
    if start:
        qs = qs.filter(served_at__date__gte=start)
    if end:
        qs = qs.filter(served_at__date__lte=end)
    if group == "month":
        qs = qs.annotate(month=TruncMonth("served_at"))
    keys = RATING_GROUPS[group]
    rows = qs.values(*keys).annotate(**_rating_counts()).order_by(*keys)
    result = []
    for row in rows:
        if group == "month":
            month = row["month"]
            label = f"{month:%Y-%m}" if month else "—"
        elif group == "window":
            label = f"{row['window__code']} {row['window__name']}"
        else:
            label = row["department__short_name"] or row["department__name"]
        result.append({"label": label, **_rating_rates(row)})
    return result


def _rating_counts() -> dict[str, Any]:
    """The counts behind the GB/T 39734-2020 rates, as aggregate expressions."""
    return {
        "events": Count("id"),
        "rated": Count("id", filter=~Q(level="")),
        "good": Count("id", filter=Q(level__in=GOOD_LEVELS)),
        "bad": Count("id", filter=Q(level__in=BAD_LEVELS)),
        "replied": Count("id", filter=Q(rectification__replied_at__isnull=False)),
        "invalid": Count("id", filter=Q(rectification__status=RectificationStatus.INVALID)),
        "rectified": Count("id", filter=Q(rectification__status=RectificationStatus.DONE)),
        "followed": Count(
            "id",
            filter=Q(rectification__status=RectificationStatus.DONE)
            & ~Q(rectification__satisfaction_after=""),
        ),
        "satisfied_after": Count(
            "id",
            filter=Q(rectification__status=RectificationStatus.DONE)
            & Q(rectification__satisfaction_after__in=GOOD_LEVELS),
        ),
    }


def _rating_rates(row: dict[str, Any]) -> dict[str, Any]:
    valid_bad = row["bad"] - row["invalid"]
    return {
        **{k: row[k] for k in ("events", "rated", "good", "bad", "replied", "rectified")},
        "good_rate": _rate(row["good"], row["rated"]),
        "unrated_rate": _rate(row["events"] - row["rated"], row["events"]),
        "reply_rate": _rate(row["replied"], row["bad"]),
        "rectification_rate": _rate(row["rectified"], valid_bad),
        "satisfaction_after_rate": _rate(row["satisfied_after"], row["followed"]),
    }


def rating_summaries(
    ratings: QuerySet[Rating], *, by: str, keys: Iterable[Any]
) -> dict[Any, dict[str, Any]]:
    """The same rates as :func:`rating_statistics`, plus the count per level, for each value of
    ``by`` among ``keys`` (each person's ratings for a period, say; zeros for a key without
    ratings). One aggregate query."""
    per_level = {f"level_{level}": Count("id", filter=Q(level=level)) for level in RatingLevel}
    rows = ratings.order_by().values(by).annotate(**_rating_counts(), **per_level)
    found = {row[by]: row for row in rows}
    empty = dict.fromkeys([*_rating_counts(), *per_level], 0)
    result = {}
    for key in keys:
        row = found.get(key, empty)
        summary = _rating_rates(row)
        summary["levels"] = {level.value: row[f"level_{level}"] for level in RatingLevel}
        result[key] = summary
    return result


# --- awards ---------------------------------------------------------------------------------------


def award_list_for_user(user: Any) -> QuerySet[Award]:
    qs = Award.objects.select_related("period", "staff", "window", "department")
    return scope(qs, user, department="department", person="staff")


def open_appeal_count(user: Any) -> int:
    return appeal_list_for_user(user).filter(status=AppealStatus.SUBMITTED).count()


def staff_for_entry_lookup(user: Any, q: str, limit: int = 20) -> QuerySet:
    """People in the user's scope matching a name or staff number, for fast entry."""
    from staff.models import Staff
    from staff.selectors import staff_list_for_user

    q = (q or "").strip()
    if not q:
        return Staff.objects.none()
    return (
        staff_list_for_user(user)
        .active()
        .search(q)
        .select_related("department")
        .order_by("name", "id")[:limit]
    )


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
                _totals_for_user(PeriodDepartmentTotal, user)
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
