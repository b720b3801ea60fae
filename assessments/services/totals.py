"""The score totals (:class:`~assessments.models.PeriodWindowTotal`,
:class:`~assessments.models.PeriodDepartmentTotal`): sums of a period's scores per window and
per department, kept exact by the score services in the transaction that writes the scores.

A writer of a few scores (``score_refresh``) locks the department rows of the people it writes
(:func:`lock_departments`) before it reads their entries, so two writers of one department
take turns and neither sums a copy the other is changing; writers of other departments run
side by side. A writer of a whole period (``score_recompute``) holds the period's row lock,
which the few-score writers share, and rebuilds the period's rows (:func:`period_totals_rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Min, Sum

from core.audit import log_bulk

from ..models import PeriodDepartmentTotal, PeriodTotalCount, PeriodWindowTotal, Score

ZERO = Decimal("0")

# The aggregate of a group of scores, as SQL (the rebuild) and as the ORM (a few groups).
_SQL_AGGREGATE = (
    "COUNT(*), COALESCE(SUM(total), 0), MIN(total), COALESCE(SUM(deductions), 0), "
    "COALESCE(SUM(bonus), 0)"
)
_COLUMNS = "people, total_sum, lowest, deductions, bonus"


def _aggregate() -> dict[str, Any]:
    return {
        "people": Count("id"),
        "total_sum": Sum("total"),
        "lowest": Min("total"),
        "deductions_sum": Sum("deductions"),
        "bonus_sum": Sum("bonus"),
    }


def _values(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {"people": 0, "total_sum": ZERO, "lowest": None, "deductions": ZERO, "bonus": ZERO}
    return {
        "people": row["people"],
        "total_sum": row["total_sum"] or ZERO,
        "lowest": row["lowest"],
        "deductions": row["deductions_sum"] or ZERO,
        "bonus": row["bonus_sum"] or ZERO,
    }


def lock_departments(*, period_id: int, department_ids: Iterable[int]) -> None:
    """Create the missing department rows of ``period_id`` and lock them (in id order, so two
    writers never wait on each other crosswise). Call inside the writer's transaction."""
    ids = sorted({pk for pk in department_ids if pk is not None})
    if not ids:
        return
    PeriodDepartmentTotal.objects.bulk_create(
        [PeriodDepartmentTotal(period_id=period_id, department_id=pk) for pk in ids],
        ignore_conflicts=True,
    )
    list(
        PeriodDepartmentTotal.objects.select_for_update()
        .filter(period_id=period_id, department_id__in=ids)
        .order_by("department_id")
        .values_list("id", flat=True)
    )


def totals_refresh(
    *,
    period_id: int,
    department_ids: Iterable[int],
    window_keys: Iterable[tuple[int | None, int]],
) -> None:
    """Recompute the totals of ``department_ids`` and of the (window, department) pairs
    ``window_keys`` of ``period_id`` from their scores (two aggregate queries over a few
    hundred scores, then one write per table). The caller holds :func:`lock_departments` for
    every department involved."""
    department_ids = sorted({pk for pk in department_ids if pk is not None})
    keys = {(w, d) for w, d in window_keys if w is not None and d is not None}
    scores = Score.objects.filter(period_id=period_id).order_by()
    if department_ids:
        found = {
            row["department_id"]: row
            for row in scores.filter(department_id__in=department_ids)
            .values("department_id")
            .annotate(**_aggregate())
        }
        rows = PeriodDepartmentTotal.objects.filter(
            period_id=period_id, department_id__in=department_ids
        )
        changed = []
        for row in rows:
            for name, value in _values(found.get(row.department_id)).items():
                setattr(row, name, value)
            changed.append(row)
        PeriodDepartmentTotal.objects.bulk_update(
            changed, ["people", "total_sum", "lowest", "deductions", "bonus"]
        )
    if keys:
        windows = sorted({w for w, _d in keys})
        departments = sorted({d for _w, d in keys})
        found = {
            (row["window_id"], row["department_id"]): row
            for row in scores.filter(window_id__in=windows, department_id__in=departments)
            .values("window_id", "department_id")
            .annotate(**_aggregate())
        }
        present = [
            PeriodWindowTotal(
                period_id=period_id, window_id=w, department_id=d, **_values(found[(w, d)])
            )
            for w, d in sorted(keys)
            if (w, d) in found
        ]
        PeriodWindowTotal.objects.bulk_create(
            present,
            update_conflicts=True,
            unique_fields=["period", "window", "department"],
            update_fields=["people", "total_sum", "lowest", "deductions", "bonus"],
        )
        for w, d in sorted(keys - set(found)):
            PeriodWindowTotal.objects.filter(
                period_id=period_id, window_id=w, department_id=d
            ).delete()


def counts_shift(*, period_id: int, before: Iterable[Decimal], after: Iterable[Decimal]) -> None:
    """Move the people whose totals went from ``before`` to ``after`` between the rows of
    :class:`~assessments.models.PeriodTotalCount` (one increment per total that changed, in
    total order so two writers never wait on each other crosswise). Call it last in the
    writer's transaction: a total's row stays locked until the commit."""
    shift: dict[Decimal, int] = {}
    for total in before:
        shift[total] = shift.get(total, 0) - 1
    for total in after:
        shift[total] = shift.get(total, 0) + 1
    table = connection.ops.quote_name(PeriodTotalCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (period_id, total, people) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (period_id, total) DO UPDATE SET people = {table}.people + excluded.people"
    )
    money = str if connection.vendor == "sqlite" else (lambda v: v)
    with connection.cursor() as cursor:
        for total, n in sorted(shift.items()):
            if n:
                cursor.execute(sql, [period_id, money(total), n])


def _rebuild_sql(period_id: int | None) -> list[tuple[str, list[Any]]]:
    score = Score._meta.db_table
    windows = PeriodWindowTotal._meta.db_table
    departments = PeriodDepartmentTotal._meta.db_table
    counts = PeriodTotalCount._meta.db_table
    where, params = ("WHERE period_id = %s", [period_id]) if period_id else ("", [])
    window_where = f"{where} AND window_id IS NOT NULL" if where else "WHERE window_id IS NOT NULL"
    return [
        (f"DELETE FROM {counts} {where}", params),  # noqa: S608 (table names from the models)
        (
            f"INSERT INTO {counts} (period_id, total, people) "  # noqa: S608
            f"SELECT period_id, total, COUNT(*) FROM {score} {where} GROUP BY period_id, total",
            params,
        ),
        (f"DELETE FROM {windows} {where}", params),  # noqa: S608
        (f"DELETE FROM {departments} {where}", params),  # noqa: S608
        (
            f"INSERT INTO {windows} (period_id, window_id, department_id, {_COLUMNS}) "  # noqa: S608
            f"SELECT period_id, window_id, department_id, {_SQL_AGGREGATE} FROM {score} "
            f"{window_where} GROUP BY period_id, window_id, department_id",
            params,
        ),
        (
            f"INSERT INTO {departments} (period_id, department_id, {_COLUMNS}) "  # noqa: S608
            f"SELECT period_id, department_id, {_SQL_AGGREGATE} FROM {score} "
            f"{where} GROUP BY period_id, department_id",
            params,
        ),
    ]


def period_totals_rebuild(period_id: int) -> None:
    """Rebuild the totals of one period from its scores (six statements). The caller holds the
    period's row lock (``select_for_update``), which every other score writer shares."""
    with connection.cursor() as cursor:
        for sql, params in _rebuild_sql(period_id):
            cursor.execute(sql, params)


@transaction.atomic
def score_totals_rebuild(*, actor: Any = None, reason: str = "") -> int:
    """Rebuild every period's totals from the scores in bulk SQL (the backfill, ``seed_demo``'s
    last step, a repair). Returns the number of department rows written."""
    with connection.cursor() as cursor:
        for sql, params in _rebuild_sql(None):
            cursor.execute(sql, params)
    count = PeriodDepartmentTotal.objects.count()
    log_bulk(
        actor=actor,
        model=PeriodDepartmentTotal,
        action="rebuild",
        count=count,
        reason=reason or "score_totals_rebuild",
    )
    return count
