"""The service items' difficulty weights, edited by the center.

Points are applied at write time (stored on each record and summed into the monthly rows). A
weight change re-prices its item's records from ``effective_from``'s month on (by default the
current month: closed months keep the points they were assessed on) and moves the monthly rows
by the difference, in set-based SQL inside the same transaction: one grouped upsert per monthly
table and one UPDATE of the records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.permissions import Perm, has_perm
from windows.models import ServiceItem

from ..models import KINDS, ItemWeight, StaffWorkloadMonth, WindowWorkloadMonth, WorkloadRecord
from .aggregates import kind_weight_sql
from .records import lock_writes

MAX_WEIGHT = Decimal("9999.99")


def _clean(weight: Any) -> Decimal:
    try:
        value = Decimal(str(weight)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not Decimal(0) < value <= MAX_WEIGHT:
        raise ValidationError(
            {
                "weight": [
                    _("A weight is a number above 0 and at most %(max)s.") % {"max": MAX_WEIGHT}
                ]
            }
        )
    return value


@transaction.atomic
def item_weight_set(
    *,
    actor: Any,
    service_item: ServiceItem,
    weight: Any,
    effective_from: date | None = None,
    reason: str = "",
) -> ItemWeight:
    """Set the item's weight and re-price its workload from ``effective_from``'s month on.
    Returns the weight row; raises PermissionDenied or ValidationError."""
    if not has_perm(actor, Perm.WORKLOAD_WEIGHT_EDIT):
        raise PermissionDenied(_("You are not allowed to change difficulty weights."))
    value = _clean(weight)
    since = (effective_from or timezone.localdate()).replace(day=1)
    lock_writes()
    row = ItemWeight.objects.select_for_update().filter(service_item=service_item).first()
    if row is not None and row.weight == value:
        return row
    row = row or ItemWeight(service_item=service_item)
    row.weight = value
    with audited(actor=actor, reason=reason):
        row.save()
    reprice(item_id=service_item.pk, weight=value, since=since)
    return row


def reprice(*, item_id: int, weight: Decimal, since: date) -> None:
    """Points of the item's records from ``since`` at ``weight`` (inside the caller's
    transaction): the monthly rows first (by the difference), then the records."""
    records = WorkloadRecord._meta.db_table
    new_points = f"ROUND(count * {kind_weight_sql()} * %s, 2)"
    with connection.cursor() as cursor:
        for model, key in ((StaffWorkloadMonth, "staff_id"), (WindowWorkloadMonth, "window_id")):
            table = model._meta.db_table
            zeros = ", ".join("0" for _k in KINDS)
            cursor.execute(
                f"INSERT INTO {table} ({key}, month, {', '.join(KINDS)}, points)"  # noqa: S608
                f" SELECT {key}, month, {zeros}, SUM({new_points} - points) FROM {records}"
                f" WHERE service_item_id = %s AND month >= %s GROUP BY {key}, month"
                f" ON CONFLICT ({key}, month) DO UPDATE SET points = {table}.points + excluded.points",
                [weight, item_id, since],
            )
        cursor.execute(
            f"UPDATE {records} SET points = {new_points}"  # noqa: S608
            " WHERE service_item_id = %s AND month >= %s",
            [weight, item_id, since],
        )


def weight_rows() -> list[dict[str, Any]]:
    """Every active service item with its weight (1 without a row), by code."""
    weights = dict(ItemWeight.objects.values_list("service_item_id", "weight"))
    return [
        {"item": item, "weight": weights.get(item.pk, Decimal(1)), "set": item.pk in weights}
        for item in ServiceItem.objects.filter(active=True)
        .select_related("department")
        .order_by("code", "id")
    ]
