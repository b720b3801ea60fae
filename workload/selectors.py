"""Reads of the monthly workload rows (never the raw records), scoped to the user where a user
asks; the higher apps (assessments, promotions, joint) read their figures from here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from staff.permissions import scope

from .models import KINDS, StaffWorkloadMonth, WindowWorkloadMonth, WorkloadKind

PANEL_MONTHS = 12
CENT = Decimal("0.01")
KIND_LABELS = [(k.value, k.label) for k in WorkloadKind]


def _month(day: date) -> date:
    return day.replace(day=1)


def staff_months_for_user(user: Any, *, month: date | None = None):
    """People's months in the user's scope (liaison: their departments; staff: their own)."""
    rows = scope(
        StaffWorkloadMonth.objects.all(), user, department="staff__department", person="staff"
    )
    if month is not None:
        rows = rows.filter(month=_month(month))
    return rows.select_related("staff", "staff__department").order_by(
        "-points", "staff__staff_number", "id"
    )


def window_months_for_user(user: Any, *, month: date | None = None):
    rows = scope(WindowWorkloadMonth.objects.all(), user, department="window__department")
    if month is not None:
        rows = rows.filter(month=_month(month))
    return rows.select_related("window").order_by("-points", "window__code", "id")


def staff_panel_context(user: Any, person: Any) -> dict[str, Any] | None:
    """The staff page's panel: the person's last months by kind (one query)."""
    rows = list(StaffWorkloadMonth.objects.filter(staff=person).order_by("-month")[:PANEL_MONTHS])
    return {"months": rows, "kinds": KIND_LABELS}


def staff_points(staff_ids: Iterable[int], start: date, end: date) -> dict[int, Decimal]:
    """Weighted points per person over the months from ``start`` to ``end`` (one query)."""
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = (
        StaffWorkloadMonth.objects.filter(
            staff_id__in=ids, month__gte=_month(start), month__lte=end
        )
        .values("staff_id")
        .annotate(p=Sum("points"))
        .order_by()
        .values_list("staff_id", "p")
    )
    return {staff_id: Decimal(p).quantize(CENT) for staff_id, p in rows}


def staff_years(ids: Iterable[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """People's workload per calendar year over the months from ``start`` to ``end``: counts
    by kind and points, oldest year first (one query for all of them)."""
    rows = (
        StaffWorkloadMonth.objects.filter(
            staff_id__in=list(ids), month__gte=_month(start), month__lte=end
        )
        .order_by("staff_id", "month")
        .values_list("staff_id", "month", *KINDS, "points")
    )
    people: dict[int, dict[int, dict[str, Any]]] = {}
    for staff_id, month, *counts, points in rows:
        years = people.setdefault(staff_id, {})
        year = years.setdefault(
            month.year, {"year": month.year, **dict.fromkeys(KINDS, 0), "points": Decimal(0)}
        )
        for kind, count in zip(KINDS, counts, strict=True):
            year[kind] += count
        year["points"] = (year["points"] + Decimal(points)).quantize(CENT)
    return {pk: [years[y] for y in sorted(years)] for pk, years in people.items()}


def window_efficiency(start: date, end: date) -> dict[int, Decimal] | None:
    """The window efficiency input (0–100) for the months from ``start`` to ``end``:
    100 × the window's weighted points ÷ the most any window of its group (its hall area;
    windows without one form one group) earned over those months. ``None`` when no workload was
    recorded in those months at all; a window missing from the answer had none (0). One query."""
    rows = list(
        WindowWorkloadMonth.objects.filter(month__gte=_month(start), month__lte=end)
        .values("window_id", "window__hall_area")
        .annotate(p=Sum("points"))
        .order_by()
        .values_list("window_id", "window__hall_area", "p")
    )
    if not rows:
        return None
    best: dict[str, Decimal] = {}
    for _window_id, group, value in rows:
        best[group or ""] = max(best.get(group or "", Decimal(0)), Decimal(value))
    result = {}
    for window_id, group, value in rows:
        top = best[group or ""]
        result[window_id] = (
            (Decimal(100) * Decimal(value) / top).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if top > 0
            else Decimal(0)
        )
    return result
