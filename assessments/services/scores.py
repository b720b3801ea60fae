"""Periods and scores: monthly score = base − deductions + min(bonus, cap); quarterly and annual
scores roll the monthly ones up with the period's weights. A month is recomputed in one SQL
statement on PostgreSQL (aggregate, rank, upsert), with aggregate queries and bulk writes
elsewhere. Recording an entry rewrites only the people it touches and their window and
department totals; ranks of an open period are computed when read
(``assessments.selectors.with_ranks``) and stored when the period is recomputed or closed.

Long because: the score computation is one pipeline over shared row builders and locks — the
population, monthly rows, quarterly and annual roll-ups, the upsert of scores and totals, the
single-statement PostgreSQL recompute and its portable twin, the refresh after an entry, closing
a period under the same period lock; split, each part would reach into the others' internals."""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited, log_bulk
from staff.models import Staff
from staff.permissions import Perm, scope
from windows.models import Stationing

from ..conf import conf
from ..models import (
    Entry,
    EntryStatus,
    Grade,
    Period,
    PeriodKind,
    PeriodStatus,
    RuleKind,
    Score,
)
from . import totals
from .common import dec, require


def _bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    if kind == PeriodKind.MONTH:
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if kind == PeriodKind.QUARTER:
        first = 3 * (number - 1) + 1
        last = first + 2
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    return date(year, 1, 1), date(year, 12, 31)


def period_get_or_create(*, kind: str, year: int, number: int = 1) -> Period:
    """The period, created with the configured weights if it does not exist yet."""
    if kind == PeriodKind.MONTH and not 1 <= number <= 12:
        raise ValidationError(_("A month is numbered 1 to 12."))
    if kind == PeriodKind.QUARTER and not 1 <= number <= 4:
        raise ValidationError(_("A quarter is numbered 1 to 4."))
    if kind == PeriodKind.YEAR:
        number = 1
    start, end = _bounds(kind, year, number)
    weights = {
        PeriodKind.MONTH: (Decimal(1), Decimal(0)),
        PeriodKind.QUARTER: (conf("QUARTER_MONTHLY_WEIGHT"), conf("QUARTER_REVIEW_WEIGHT")),
        PeriodKind.YEAR: (conf("ANNUAL_MONTHLY_WEIGHT"), conf("ANNUAL_REVIEW_WEIGHT")),
    }[kind]
    period, _created = Period.objects.get_or_create(
        kind=kind,
        year=year,
        number=number,
        defaults={
            "start_date": start,
            "end_date": end,
            "bonus_cap": conf("BONUS_CAP"),
            "monthly_weight": weights[0],
            "review_weight": weights[1],
        },
    )
    return period


def period_for_date(day: date) -> Period:
    return period_get_or_create(kind=PeriodKind.MONTH, year=day.year, number=day.month)


def monthly_score(*, base: Decimal, deductions: Decimal, bonus: Decimal, cap: Decimal) -> Decimal:
    """The formula, in one place: base − deductions (no floor) + bonus capped at ``cap``."""
    return dec(base - deductions + min(bonus, cap))


def _population(period: Period, staff_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """Who is assessed in a month: everyone stationed at some time in it (their window is the
    latest one), plus anyone with an entry in it (of ``staff_ids`` only, when given)."""
    stationings = Stationing.objects.filter(start_date__lte=period.end_date).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start_date)
    )
    entries = Entry.objects.filter(period=period)
    if staff_ids is not None:
        stationings = stationings.filter(staff_id__in=staff_ids)
        entries = entries.filter(staff_id__in=staff_ids)
    rows = stationings.values_list(
        "staff_id", "window_id", "start_date", "staff__department_id"
    ).order_by("staff_id", "start_date", "id")
    people: dict[int, dict[str, Any]] = {}
    for staff_id, window_id, _start, department_id in rows.iterator(chunk_size=10000):
        people[staff_id] = {"window_id": window_id, "department_id": department_id}
    extra = entries.values_list("staff_id", "staff__department_id", "window_id").distinct()
    for staff_id, department_id, window_id in extra.iterator(chunk_size=10000):
        people.setdefault(staff_id, {"window_id": window_id, "department_id": department_id})
    return people


def _rank(values: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 1, 3) by value descending."""
    ordered = sorted(values, key=lambda item: (-item[1], item[0]))
    ranks: dict[int, int] = {}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def _suggest_grade(total: Decimal, rank: int, population: int) -> str:
    excellent_places = max(1, math.floor(population * float(conf("GRADE_EXCELLENT_TOP_SHARE"))))
    if total >= conf("GRADE_EXCELLENT_MIN_SCORE") and rank <= excellent_places:
        return Grade.EXCELLENT
    if total >= conf("GRADE_COMPETENT_MIN_SCORE"):
        return Grade.COMPETENT
    if total >= conf("GRADE_BASIC_MIN_SCORE"):
        return Grade.BASICALLY_COMPETENT
    return Grade.INCOMPETENT


@dataclass(slots=True)
class _Row:
    """A score being computed (a Score model instance costs ~30 µs to build; 100 000 people ×
    35 periods of them was most of the demo's time)."""

    period_id: int
    staff_id: int
    department_id: int
    window_id: int | None
    base: Decimal
    deductions: Decimal
    bonus_raw: Decimal
    bonus: Decimal
    total: Decimal
    entry_count: int
    monthly_average: Decimal | None = None
    review_score: Decimal | None = None
    rank_center: int | None = None
    rank_department: int | None = None
    suggested_grade: str = ""
    computed_at: Any = None


def _monthly_rows(period: Period, staff_ids: list[int] | None = None) -> list[_Row]:
    people = _population(period, staff_ids)
    active = Entry.objects.filter(period=period, status=EntryStatus.ACTIVE)
    if staff_ids is not None:
        active = active.filter(staff_id__in=staff_ids)
    sums = (
        active.values("staff_id")
        .annotate(
            ded=Sum("points", filter=Q(kind=RuleKind.DEDUCTION)),
            bon=Sum("points", filter=Q(kind=RuleKind.BONUS)),
            n=Count("id"),
        )
        .order_by()
    )
    by_staff = {row["staff_id"]: row for row in sums.iterator(chunk_size=10000)}
    base = conf("BASE_SCORE")
    rows = []
    for staff_id, info in people.items():
        sums_row = by_staff.get(staff_id, {})
        deductions = dec(sums_row.get("ded"))
        bonus_raw = dec(sums_row.get("bon"))
        bonus = min(bonus_raw, dec(period.bonus_cap))
        rows.append(
            _Row(
                period_id=period.pk,
                staff_id=staff_id,
                department_id=info["department_id"],
                window_id=info["window_id"],
                base=base,
                deductions=deductions,
                bonus_raw=bonus_raw,
                bonus=bonus,
                total=monthly_score(
                    base=base, deductions=deductions, bonus=bonus_raw, cap=period.bonus_cap
                ),
                entry_count=sums_row.get("n", 0),
            )
        )
    return rows


def _rollup_rows(period: Period) -> list[_Row]:
    months = Score.objects.filter(
        period__kind=PeriodKind.MONTH,
        period__start_date__gte=period.start_date,
        period__end_date__lte=period.end_date,
    )
    sums = months.values("staff_id").annotate(
        avg=Avg("total"),
        ded=Sum("deductions"),
        bon=Sum("bonus_raw"),
        counted=Sum("bonus"),
        n=Sum("entry_count"),
    )
    latest: dict[int, tuple[int, int | None]] = {}
    for staff_id, department_id, window_id in months.order_by(
        "staff_id", "period__start_date"
    ).values_list("staff_id", "department_id", "window_id"):
        latest[staff_id] = (department_id, window_id)
    reviews = dict(
        Score.objects.filter(period=period, review_score__isnull=False).values_list(
            "staff_id", "review_score"
        )
    )
    rows = []
    for row in sums.order_by().iterator(chunk_size=10000):
        staff_id = row["staff_id"]
        average = dec(row["avg"])
        review = reviews.get(staff_id)
        if review is not None and period.review_weight:
            total = dec(period.monthly_weight * average + period.review_weight * review)
        else:
            total = average  # no review yet: the monthly average stands for the whole
        department_id, window_id = latest[staff_id]
        rows.append(
            _Row(
                period_id=period.pk,
                staff_id=staff_id,
                department_id=department_id,
                window_id=window_id,
                base=conf("BASE_SCORE"),
                deductions=dec(row["ded"]),
                bonus_raw=dec(row["bon"]),
                bonus=dec(row["counted"]),
                monthly_average=average,
                review_score=review,
                total=total,
                entry_count=row["n"] or 0,
            )
        )
    return rows


UPDATE_FIELDS = [
    "department",
    "window",
    "base",
    "deductions",
    "bonus_raw",
    "bonus",
    "monthly_average",
    "review_score",
    "total",
    "entry_count",
    "rank_center",
    "rank_department",
    "suggested_grade",
    "computed_at",
]


def _upsert(rows: list[_Row]) -> None:
    """INSERT … ON CONFLICT (period, staff) DO UPDATE, with plain tuples: Django's bulk_create
    spends most of its time preparing values one by one (and SQLite caps a batch at 999
    parameters), which made a month of 100 000 people take minutes instead of seconds."""
    if not rows:
        return
    ops = connection.ops
    table = Score._meta.db_table
    # Identifiers come from the model's metadata only; every value is a bound parameter.
    columns = [
        "period_id",
        "staff_id",
        *[Score._meta.get_field(f).column for f in UPDATE_FIELDS],
        "department_grade",  # inserted empty, never overwritten: the department decides it
    ]
    quote = connection.ops.quote_name
    updates = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}"
        for c in columns
        if c not in ("period_id", "staff_id", "department_grade")
    )
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({quote('period_id')}, {quote('staff_id')}) DO UPDATE SET {updates}"
    money = (
        (lambda v: None if v is None else str(v))
        if connection.vendor == "sqlite"
        else (lambda v: v)
    )
    stamp = ops.adapt_datetimefield_value(rows[0].computed_at)
    values = [
        (
            r.period_id,
            r.staff_id,
            r.department_id,
            r.window_id,
            money(r.base),
            money(r.deductions),
            money(r.bonus_raw),
            money(r.bonus),
            money(r.monthly_average),
            money(r.review_score),
            money(r.total),
            r.entry_count,
            r.rank_center,
            r.rank_department,
            r.suggested_grade,
            stamp,
            "",
        )
        for r in rows
    ]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, head + "%s" + tail, values, page_size=5000)
        else:
            cursor.executemany(head + placeholders + tail, values)


# A month in one statement (PostgreSQL): who is assessed (everyone stationed at some time in the
# month, at their latest window, plus anyone with an entry in it), their sums, the formula, both
# competition ranks, an UPDATE of the rows whose figures changed (a hash join; rows unchanged
# are left alone, rank-only changes are HOT updates: no index holds a rank), an INSERT of the
# people new to the month and the removal of people no longer assessed. Every part sees the
# table as it was before the statement. The same rules as _monthly_rows and _rank.
MONTH_SQL = """
WITH stationed AS (
    SELECT DISTINCT ON (st.staff_id) st.staff_id, st.window_id
    FROM {stationing} st
    WHERE st.start_date <= %(end)s AND (st.end_date IS NULL OR st.end_date >= %(start)s)
    ORDER BY st.staff_id, st.start_date DESC, st.id DESC
),
extra AS (
    SELECT DISTINCT ON (e.staff_id) e.staff_id, e.window_id
    FROM {entry} e
    WHERE e.period_id = %(period)s
      AND NOT EXISTS (SELECT 1 FROM stationed s WHERE s.staff_id = e.staff_id)
    ORDER BY e.staff_id, e.id
),
people AS (
    SELECT staff_id, window_id FROM stationed UNION ALL SELECT staff_id, window_id FROM extra
),
sums AS (
    SELECT e.staff_id,
           SUM(e.points) FILTER (WHERE e.kind = %(deduction)s) AS ded,
           SUM(e.points) FILTER (WHERE e.kind = %(bonus)s) AS bon,
           COUNT(*) AS n
    FROM {entry} e
    WHERE e.period_id = %(period)s AND e.status = %(active)s
    GROUP BY e.staff_id
),
computed AS (
    SELECT p.staff_id, s.department_id, p.window_id,
           COALESCE(x.ded, 0) AS ded, COALESCE(x.bon, 0) AS bon,
           LEAST(COALESCE(x.bon, 0), %(cap)s) AS counted,
           %(base)s - COALESCE(x.ded, 0) + LEAST(COALESCE(x.bon, 0), %(cap)s) AS total,
           COALESCE(x.n, 0) AS n
    FROM people p
    JOIN {staff} s ON s.id = p.staff_id
    LEFT JOIN sums x ON x.staff_id = p.staff_id
),
gone AS (
    DELETE FROM {score} old
    WHERE old.period_id = %(period)s
      AND NOT EXISTS (SELECT 1 FROM people p WHERE p.staff_id = old.staff_id)
),
ranked AS (
    SELECT c.*,
           RANK() OVER (ORDER BY c.total DESC) AS rc,
           RANK() OVER (PARTITION BY c.department_id ORDER BY c.total DESC) AS rd
    FROM computed c
),
changed AS (
    UPDATE {score} sc SET
        department_id = r.department_id, window_id = r.window_id, base = %(base)s,
        deductions = r.ded, bonus_raw = r.bon, bonus = r.counted, monthly_average = NULL,
        review_score = NULL, total = r.total, entry_count = r.n, rank_center = r.rc,
        rank_department = r.rd, suggested_grade = '', computed_at = %(now)s
    FROM ranked r
    WHERE sc.period_id = %(period)s AND sc.staff_id = r.staff_id
      AND (sc.department_id, sc.window_id, sc.base, sc.deductions, sc.bonus_raw, sc.bonus,
           sc.monthly_average, sc.review_score, sc.total, sc.entry_count, sc.rank_center,
           sc.rank_department, sc.suggested_grade)
          IS DISTINCT FROM
          (r.department_id, r.window_id, %(base)s::numeric, r.ded, r.bon, r.counted,
           NULL::numeric, NULL::numeric, r.total, r.n::integer, r.rc::integer,
           r.rd::integer, '')
)
INSERT INTO {score} (
    period_id, staff_id, department_id, window_id, base, deductions, bonus_raw, bonus,
    monthly_average, review_score, total, entry_count, rank_center, rank_department,
    suggested_grade, computed_at, department_grade
)
SELECT %(period)s, r.staff_id, r.department_id, r.window_id, %(base)s, r.ded, r.bon,
       r.counted, NULL, NULL, r.total, r.n, r.rc, r.rd, '', %(now)s, ''
FROM ranked r
WHERE NOT EXISTS (
    SELECT 1 FROM {score} sc WHERE sc.period_id = %(period)s AND sc.staff_id = r.staff_id
)
"""


def _month_in_sql(period: Period, now: Any) -> None:
    """Recompute a month with :data:`MONTH_SQL` (PostgreSQL only)."""
    sql = MONTH_SQL.format(
        stationing=Stationing._meta.db_table,
        entry=Entry._meta.db_table,
        staff=Staff._meta.db_table,
        score=Score._meta.db_table,
    )
    params = {
        "period": period.pk,
        "start": period.start_date,
        "end": period.end_date,
        "deduction": RuleKind.DEDUCTION.value,
        "bonus": RuleKind.BONUS.value,
        "active": EntryStatus.ACTIVE.value,
        "cap": dec(period.bonus_cap),
        "base": conf("BASE_SCORE"),
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the sorts of the ranks in memory
        # The planner overestimates the joins of the CTEs (millions of rows) and would spend
        # ~2.5 s compiling the statement with JIT, longer than running it.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)


def _recompute_in_python(period: Period, now: Any) -> None:
    rows = _monthly_rows(period) if period.kind == PeriodKind.MONTH else _rollup_rows(period)
    center = _rank([(s.staff_id, s.total) for s in rows])
    per_department: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for s in rows:
        per_department[s.department_id].append((s.staff_id, s.total))
    department_ranks: dict[int, int] = {}
    for values in per_department.values():
        department_ranks.update(_rank(values))
    for s in rows:
        s.rank_center = center[s.staff_id]
        s.rank_department = department_ranks[s.staff_id]
        s.computed_at = now
        if period.kind == PeriodKind.YEAR:
            s.suggested_grade = _suggest_grade(s.total, s.rank_center, len(rows))
    keep = {s.staff_id for s in rows}
    existing = set(Score.objects.filter(period=period).values_list("staff_id", flat=True))
    gone = sorted(existing - keep)
    for start in range(0, len(gone), 500):
        Score.objects.filter(period=period, staff_id__in=gone[start : start + 500]).delete()
    _upsert(rows)


@transaction.atomic
def score_recompute(*, actor: Any, period: Period, appeal: Any = None, reason: str = "") -> int:
    """Recompute every score of ``period`` from its sources, store both ranks and rebuild the
    period's totals; returns the number of scores.

    A closed period is frozen: it is recomputed only for a decided ``appeal`` (recorded in the
    audit entry). Raises ValidationError otherwise.
    """
    require(actor, Perm.ASSESSMENT_PERIOD_MANAGE) if appeal is None else None
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed and appeal is None:
        raise ValidationError(_("This period is closed; its scores change only through appeals."))
    now = timezone.now()
    if period.kind == PeriodKind.MONTH and connection.vendor == "postgresql":
        _month_in_sql(period, now)
    else:
        _recompute_in_python(period, now)
    totals.period_totals_rebuild(period.pk)
    count = Score.objects.filter(period=period).count()
    why = reason or (
        _("Recomputed after appeal #%(id)s") % {"id": appeal.pk} if appeal is not None else ""
    )
    log_bulk(actor=actor, model=Score, action="recompute", count=count, reason=why or str(period))
    return count


def rollups_recompute(*, actor: Any, month: Period, appeal: Any) -> list[Period]:
    """Recompute the quarter and the year ``month`` rolls up into, closed or not, when they
    have been computed (a roll-up without scores is computed when it is closed): what a decided
    appeal changes beyond its month. The year's suggested grades follow, and with them the
    three-excellent-years flag (``promotions.eligibility`` reads the grades). Quarter first, so
    the locks are always taken in the same order."""
    done = []
    rollups = Period.objects.filter(
        kind__in=[PeriodKind.QUARTER, PeriodKind.YEAR],
        start_date__lte=month.start_date,
        end_date__gte=month.end_date,
    ).order_by("-kind", "pk")  # "year" > "quarter": quarters first
    for period in rollups:
        if period.is_closed or Score.objects.filter(period=period).exists():
            score_recompute(actor=actor, period=period, appeal=appeal)
            done.append(period)
    return done


def lock_period_for_entries(period: Period) -> Period:
    """The period row, locked FOR SHARE and read again: recorders of entries run side by side,
    a close (FOR UPDATE) waits for them and they for it. Call inside the writer's transaction.

    A month without scores yet is locked FOR UPDATE at once: its first entry recomputes the whole
    month (``score_refresh``), which needs that lock, and two recorders holding FOR SHARE could
    not both upgrade it."""
    if not Score.objects.filter(period_id=period.pk).exists():
        return Period.objects.select_for_update().get(pk=period.pk)
    return _share_period_lock(period)


def _share_period_lock(period: Period) -> Period:
    """The period row, locked FOR SHARE: writers of a few scores run side by side, a recompute
    or a close (FOR UPDATE) waits for them and they for it."""
    if connection.vendor != "postgresql":  # SQLite: one writer at a time anyway
        return Period.objects.get(pk=period.pk)
    table = connection.ops.quote_name(Period._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [period.pk])  # noqa: S608
    return Period.objects.get(pk=period.pk)


@transaction.atomic
def score_refresh(*, period: Period, staff_ids: list[int], reason: str = "") -> int:
    """Recompute the monthly scores of ``staff_ids`` only, with their window and department
    totals: what recording an entry needs. No re-ranking (ranks of an open month are computed
    when read) and no center-wide lock: it shares the period's lock and takes the department
    rows of the people it writes. Returns the number of scores rewritten. Raises
    ValidationError if the month was closed meanwhile."""
    if period.kind != PeriodKind.MONTH:
        raise ValueError("score_refresh recomputes months; roll-ups use score_recompute")
    if not Score.objects.filter(period_id=period.pk).exists():  # a month's first scores: everyone
        return score_recompute(actor=None, period=period, appeal=None, reason=reason)
    period = _share_period_lock(period)
    if period.is_closed:
        raise ValidationError(_("This period is closed; its scores change only through appeals."))
    staff_ids = sorted(set(staff_ids))
    departments = set(
        Staff.objects.filter(pk__in=staff_ids).values_list("department_id", flat=True)
    )
    departments |= set(
        Score.objects.filter(period=period, staff_id__in=staff_ids).values_list(
            "department_id", flat=True
        )
    )
    totals.lock_departments(period_id=period.pk, department_ids=departments)
    old = list(
        Score.objects.filter(period=period, staff_id__in=staff_ids).values_list(
            "window_id", "department_id", "total"
        )
    )
    before = {(window_id, department_id) for window_id, department_id, _total in old}
    rows = _monthly_rows(period, staff_ids)
    now = timezone.now()
    for row in rows:
        row.computed_at = now
    _upsert(rows)
    totals.totals_refresh(
        period_id=period.pk,
        department_ids=departments | {r.department_id for r in rows},
        window_keys=before | {(r.window_id, r.department_id) for r in rows},
    )
    log_bulk(actor=None, model=Score, action="recompute", count=len(rows), reason=reason)
    totals.counts_shift(
        period_id=period.pk, before=[t for _w, _d, t in old], after=[r.total for r in rows]
    )
    return len(rows)


@transaction.atomic
def period_close(*, actor: Any, period: Period, reason: str = "") -> Period:
    """Recompute, then freeze. A closed period changes only through decided appeals."""
    require(actor, Perm.ASSESSMENT_PERIOD_MANAGE)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.is_closed:
        raise ValidationError(_("This period is already closed."))
    if locked.kind != PeriodKind.MONTH:
        open_months = Period.objects.filter(
            kind=PeriodKind.MONTH,
            start_date__gte=locked.start_date,
            end_date__lte=locked.end_date,
            status=PeriodStatus.OPEN,
        )
        if open_months.exists():
            raise ValidationError(_("Close every month of this period first."))
    score_recompute(actor=actor, period=locked, reason=_("Closing %(p)s") % {"p": locked.label})
    locked.status = PeriodStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor if getattr(actor, "pk", None) else None
    with audited(actor=actor, reason=reason or _("Period closed")):
        locked.save(update_fields=["status", "closed_at", "closed_by"])
    # issue #18: the month's final "last in its group" windows (joint's suggested talks)
    from .group_last import group_last_refresh

    group_last_refresh(locked)
    return locked


@transaction.atomic
def review_score_set(*, actor: Any, score: Score, value: Decimal, reason: str = "") -> Score:
    """Record the year-end review of a person in an open year or quarter, then recompute."""
    require(actor, Perm.ASSESSMENT_PERIOD_MANAGE)
    locked = Score.objects.select_for_update(of=("self",)).select_related("period").get(pk=score.pk)
    if locked.period.kind == PeriodKind.MONTH:
        raise ValidationError(_("A month has no year-end review."))
    if locked.period.is_closed:
        raise ValidationError(_("This period is closed; its scores change only through appeals."))
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"review_score": _("A review score is between 0 and 100.")})
    locked.review_score = dec(value)
    with audited(actor=actor, reason=reason):
        locked.save(update_fields=["review_score"])
    score_recompute(actor=actor, period=locked.period)
    return Score.objects.get(pk=locked.pk)


@transaction.atomic
def department_grade_record(*, actor: Any, score: Score, grade: str, reason: str = "") -> Score:
    """Record the grade the home department decided (kept apart from the center's suggestion):
    its liaison for the department's own people, or the center on the department's word.
    ``grade`` empty clears it."""
    require(actor, Perm.ASSESSMENT_GRADE_RECORD)
    in_scope = scope(Score.objects.all(), actor, department="staff__department", person="staff")
    locked = in_scope.select_for_update(of=("self",)).select_related("period").filter(pk=score.pk)
    locked = locked.first()
    if locked is None:
        raise PermissionDenied(_("This person is not in your department."))
    if locked.period.kind != PeriodKind.YEAR:
        raise ValidationError(_("Grades are given for a year."))
    if grade and grade not in Grade.values:
        raise ValidationError({"grade": _("Unknown grade.")})
    if locked.department_grade == grade:
        return locked
    locked.department_grade = grade
    with audited(actor=actor, reason=reason):
        locked.save(update_fields=["department_grade"])
    return locked
