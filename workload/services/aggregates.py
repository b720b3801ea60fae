"""The monthly rows (``StaffWorkloadMonth``, ``WindowWorkloadMonth``) kept by the services.

Every write adds signed differences in one upsert per table (``INSERT … ON CONFLICT … DO UPDATE
SET x = x + excluded.x``, the same SQL on PostgreSQL and SQLite), so a month's row always equals
the sum of its records; :func:`workload_rebuild` recomputes them from the records (repair, tests).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection

from ..conf import conf
from ..models import KINDS, StaffWorkloadMonth, WindowWorkloadMonth, WorkloadRecord

CENT = Decimal("0.01")
CHUNK = 500


def kind_weight(kind: str) -> Decimal:
    return Decimal(str(conf("KIND_WEIGHTS").get(kind, 1)))


def points_of(count: int, item_weight: Decimal, kind: str) -> Decimal:
    return (Decimal(count) * item_weight * kind_weight(kind)).quantize(CENT, ROUND_HALF_UP)


def kind_weight_sql(column: str = "kind") -> str:
    """A SQL expression for the kind's weight (numbers from the settings, no user input)."""
    cases = " ".join(f"WHEN '{k}' THEN {kind_weight(k)}" for k in KINDS)
    return f"(CASE {column} {cases} ELSE 1 END)"


class Deltas:
    """Signed differences per (staff, month) and (window, month), applied in one go."""

    def __init__(self) -> None:
        self.staff: dict[tuple[int, date], list] = defaultdict(lambda: [0, 0, 0, 0, Decimal(0)])
        self.window: dict[tuple[int, date], list] = defaultdict(lambda: [0, 0, 0, 0, Decimal(0)])

    def add(
        self, *, staff_id: int, window_id: int, month: date, kind: str, count: int, points: Decimal
    ) -> None:
        slot = KINDS.index(kind)
        for row in (self.staff[(staff_id, month)], self.window[(window_id, month)]):
            row[slot] += count
            row[4] += points

    def apply(self) -> None:
        _upsert(StaffWorkloadMonth, "staff_id", self.staff)
        _upsert(WindowWorkloadMonth, "window_id", self.window)


def _upsert(model, key: str, deltas: dict) -> None:
    rows = [(k[0], k[1], *v) for k, v in deltas.items() if any(v)]
    if not rows:
        return
    table = model._meta.db_table
    columns = [key, "month", *KINDS, "points"]
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in [*KINDS, "points"])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"  # noqa: S608
                f" ON CONFLICT ({key}, month) DO UPDATE SET {sets}",
                [v for row in chunk for v in row],
            )


def _sums(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(
        f"SUM(CASE WHEN {prefix}kind = '{k}' THEN {prefix}count ELSE 0 END)" for k in KINDS
    )


def workload_rebuild(*, months: list[date] | None = None) -> dict[str, int]:
    """Recompute the monthly rows of ``months`` (every month by default) from the records, in
    two set-based statements per table. Returns the rows written."""
    records = WorkloadRecord._meta.db_table
    written = {}
    where, params = "", []
    if months is not None:
        where = (
            " WHERE month IN (" + ", ".join(["%s"] * len(months)) + ")"
            if months
            else " WHERE 1 = 0"
        )
        params = list(months)
    with connection.cursor() as cursor:
        for model, key in ((StaffWorkloadMonth, "staff_id"), (WindowWorkloadMonth, "window_id")):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table}{where}", params)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} ({key}, month, {', '.join(KINDS)}, points)"  # noqa: S608
                f" SELECT {key}, month, {_sums()}, SUM(points) FROM {records}{where}"
                f" GROUP BY {key}, month",
                params,
            )
            written[table] = cursor.rowcount
    return written


def workload_reprice() -> int:
    """Re-price every record at today's weights (after a change of ``KIND_WEIGHTS``); the
    caller rebuilds the monthly rows after it. One UPDATE; returns the rows changed."""
    from ..models import ItemWeight

    records = WorkloadRecord._meta.db_table
    weights = ItemWeight._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {records} SET points = ROUND(count * {kind_weight_sql()} * COALESCE("  # noqa: S608
            f"(SELECT w.weight FROM {weights} w WHERE w.service_item_id = {records}.service_item_id),"
            " 1), 2)"
        )
        return cursor.rowcount


def month_rows_equal_rebuild() -> bool:  # pragma: no cover - used by tests and repair checks
    """Whether the kept monthly rows equal a recomputation (without changing anything)."""
    return kept_rows() == computed_rows()


def kept_rows() -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for model, key in ((StaffWorkloadMonth, "staff_id"), (WindowWorkloadMonth, "window_id")):
        out[key] = {
            (r[0], r[1], *r[2:6], Decimal(r[6]).quantize(CENT))
            for r in model.objects.values_list(key, "month", *KINDS, "points")
            if any(r[2:6]) or r[6]
        }
    return out


def computed_rows() -> dict[str, set[tuple[Any, ...]]]:
    from django.db.models import Q, Sum

    out = {}
    for key in ("staff_id", "window_id"):
        sums = {k: Sum("count", filter=Q(kind=k), default=0) for k in KINDS}
        rows = (
            WorkloadRecord.objects.values(key, "month")
            .annotate(**sums, p=Sum("points"))
            .order_by()
            .values_list(key, "month", *KINDS, "p")
        )
        out[key] = {
            (r[0], r[1], *r[2:6], Decimal(r[6]).quantize(CENT)) for r in rows if any(r[2:6]) or r[6]
        }
    return out
