"""Scores with their live ranks, entries, appeals, the window board, awards, the fast-entry
lookup, a person's score history and the staff page's assessment panel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
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
from django.shortcuts import get_object_or_404

from staff.permissions import Role, role_of, scope

from ..models import (
    Appeal,
    AppealStatus,
    Award,
    Entry,
    Period,
    PeriodDepartmentTotal,
    PeriodKind,
    PeriodStatus,
    PeriodTotalCount,
    PeriodWindowTotal,
    Score,
)


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


def totals_for_user(model: type, user: Any) -> QuerySet:
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
        totals_for_user(PeriodWindowTotal, user)
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
