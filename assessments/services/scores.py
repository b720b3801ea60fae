"""Periods and scores: monthly score = base − deductions + min(bonus, cap); quarterly and annual
scores roll the monthly ones up with the period's weights. Computed with aggregate queries and
written in bulk, so a month of 100 000 people is a handful of queries."""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import derived
from core.audit import audited, log_bulk
from staff.permissions import Perm
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
    derived.touch(Score)  # raw SQL sends no signal: cached figures built on scores


@transaction.atomic
def score_recompute(*, actor: Any, period: Period, appeal: Any = None, reason: str = "") -> int:
    """Recompute every score of ``period`` from its sources and re-rank it; returns the count.

    A closed period is frozen: it is recomputed only for a decided ``appeal`` (recorded in the
    audit entry). Raises ValidationError otherwise.
    """
    require(actor, Perm.ASSESSMENT_PERIOD_MANAGE) if appeal is None else None
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed and appeal is None:
        raise ValidationError(_("This period is closed; its scores change only through appeals."))
    rows = _monthly_rows(period) if period.kind == PeriodKind.MONTH else _rollup_rows(period)
    center = _rank([(s.staff_id, s.total) for s in rows])
    per_department: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for s in rows:
        per_department[s.department_id].append((s.staff_id, s.total))
    department_ranks: dict[int, int] = {}
    for values in per_department.values():
        department_ranks.update(_rank(values))
    now = timezone.now()
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
    why = reason or (
        _("Recomputed after appeal #%(id)s") % {"id": appeal.pk} if appeal is not None else ""
    )
    log_bulk(
        actor=actor, model=Score, action="recompute", count=len(rows), reason=why or str(period)
    )
    return len(rows)


# Competition ranking (1, 1, 3) of a period's scores, center-wide and within each department,
# in one statement; only rows whose rank changed are written.
RERANK_SQL = """
UPDATE {table} SET {rank_center} = ranked.rc, {rank_department} = ranked.rd
FROM (
    SELECT {id} AS score_id,
           RANK() OVER (ORDER BY {total} DESC) AS rc,
           RANK() OVER (PARTITION BY {department} ORDER BY {total} DESC) AS rd
    FROM {table} WHERE {period} = %s
) AS ranked
WHERE {table}.{id} = ranked.score_id AND {table}.{period} = %s
  AND (COALESCE({table}.{rank_center}, 0) <> ranked.rc
       OR COALESCE({table}.{rank_department}, 0) <> ranked.rd)
"""


def _rerank(period: Period) -> int:
    """Re-rank ``period`` in the database (one UPDATE with window functions)."""
    quote = connection.ops.quote_name
    columns = {
        name: quote(Score._meta.get_field(field).column)
        for name, field in (
            ("id", "id"),
            ("rank_center", "rank_center"),
            ("rank_department", "rank_department"),
            ("total", "total"),
            ("department", "department"),
            ("period", "period"),
        )
    }
    sql = RERANK_SQL.format(table=quote(Score._meta.db_table), **columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("SET LOCAL work_mem = '32MB'")  # the two sorts in memory, not on disk
        cursor.execute(sql, [period.pk, period.pk])
        changed = cursor.rowcount
    derived.touch(Score)
    return changed


@transaction.atomic
def score_refresh(*, period: Period, staff_ids: list[int], reason: str = "") -> int:
    """Recompute the monthly scores of ``staff_ids`` only, then re-rank the month in SQL: what
    recording an entry needs, instead of recomputing the whole month (100 000 people). The
    ranks are the same as :func:`score_recompute`'s. Returns the number of scores rewritten."""
    if period.kind != PeriodKind.MONTH:
        raise ValueError("score_refresh recomputes months; roll-ups use score_recompute")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not Score.objects.filter(period=period).exists():  # a month's first scores: everyone
        return score_recompute(actor=None, period=period, appeal=None, reason=reason)
    rows = _monthly_rows(period, sorted(set(staff_ids)))
    now = timezone.now()
    for row in rows:
        row.computed_at = now
    _upsert(rows)
    _rerank(period)
    log_bulk(actor=None, model=Score, action="recompute", count=len(rows), reason=reason)
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
    """Record the grade the home department decided (kept apart from the center's suggestion)."""
    require(actor, Perm.ASSESSMENT_PERIOD_MANAGE)
    locked = Score.objects.select_for_update(of=("self",)).select_related("period").get(pk=score.pk)
    if locked.period.kind != PeriodKind.YEAR:
        raise ValidationError(_("Grades are given for a year."))
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Unknown grade.")})
    locked.department_grade = grade
    with audited(actor=actor, reason=reason):
        locked.save(update_fields=["department_grade"])
    return locked
