"""Workload records in: pushed by the queue-and-call system (``workload_push``, a system client
with scope ``workload.push``) or imported from its export (``services.imports``).

A record's key is (person, date, kind, service item or none). A repeat of the key REPLACES the
count: the same count (and window) is ``duplicate`` and changes nothing, another count is
``updated``; the monthly rows move by the difference in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_bulk
from core.models import SystemClient
from core.system_clients import client_audited
from staff.models import Staff
from windows.models import ServiceItem, Stationing, Window

from ..conf import conf
from ..models import ItemWeight, WorkloadKind, WorkloadRecord
from .aggregates import Deltas, points_of

SCOPE = "workload.push"

KIND_NAMES = {
    "cases": WorkloadKind.CASES,
    "办件": WorkloadKind.CASES,
    "tickets": WorkloadKind.TICKETS,
    "叫号": WorkloadKind.TICKETS,
    "enquiries": WorkloadKind.ENQUIRIES,
    "咨询": WorkloadKind.ENQUIRIES,
    "assisted": WorkloadKind.ASSISTED,
    "帮办代办": WorkloadKind.ASSISTED,
    "帮办": WorkloadKind.ASSISTED,
    "代办": WorkloadKind.ASSISTED,
}


def kind_of(value: Any) -> str | None:
    return KIND_NAMES.get(str(value or "").strip().lower())


def date_of(value: Any, cache: dict | None = None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if cache is not None and text in cache:
        return cache[text]
    try:
        day = date.fromisoformat(text.replace("/", "-")[:10]) if text else None
    except ValueError:
        day = None
    if cache is not None:
        cache[text] = day
    return day


def count_of(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value if value is not None else "").strip()
        if not text.isdigit():
            return None
        number = int(text)
    return number if 0 <= number <= conf("MAX_COUNT") else None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


@dataclass
class Row:
    staff_id: int
    window_id: int
    item_id: int | None
    date: date
    kind: str
    count: int

    @property
    def key(self) -> tuple:
        return (self.staff_id, self.date, self.kind, self.item_id)


class WorkloadChecker:
    """Validates rows against the people, windows, items and stationings; loads them once (for
    a whole file: every person and stationing, a few queries)."""

    def __init__(self, *, everything: bool = False, staff=(), windows=(), items=()) -> None:
        if everything:
            people = Staff.objects.all()
            window_rows = Window.objects.all()
            item_rows = ServiceItem.objects.all()
            through = Window.service_items.through.objects.all()
            spans = Stationing.objects.all()
        else:
            people = Staff.objects.filter(staff_number__in=set(staff))
            window_rows = Window.objects.filter(code__in=set(windows))
            item_rows = ServiceItem.objects.filter(code__in=set(items))
            through = Window.service_items.through.objects.filter(window__code__in=set(windows))
            spans = Stationing.objects.filter(staff__staff_number__in=set(staff))
        self.people = dict(people.values_list("staff_number", "id"))
        self.windows = dict(window_rows.values_list("code", "id"))
        self.items = dict(item_rows.values_list("code", "id"))
        self.window_items = set(through.values_list("window_id", "serviceitem_id"))
        self.stationed: dict[int, list[tuple[int, date, date | None]]] = {}
        for staff_id, window_id, start, end in spans.values_list(
            "staff_id", "window_id", "start_date", "end_date"
        ):
            self.stationed.setdefault(staff_id, []).append((window_id, start, end))
        self.today = timezone.localdate()
        self.oldest = self.today - timedelta(days=conf("MAX_AGE_DAYS"))
        self.dates: dict[str, date | None] = {}

    def check(self, values: dict[str, Any]) -> tuple[Row | None, list[str]]:
        """One row (``staff_number``, ``window``, ``service_item``, ``date``, ``kind``,
        ``count``) → the row and no error, or None and its errors (translated)."""
        errors = []
        number = _text(values.get("staff_number"))
        staff_id = self.people.get(number)
        if staff_id is None:
            errors.append(_("Unknown staff number “%(value)s”.") % {"value": number[:40]})
        code = _text(values.get("window"))
        window_id = self.windows.get(code)
        if window_id is None:
            errors.append(_("Unknown window “%(value)s”.") % {"value": code[:40]})
        item_code = _text(values.get("service_item"))
        item_id = None
        if item_code:
            item_id = self.items.get(item_code)
            if item_id is None:
                errors.append(_("Unknown service item “%(value)s”.") % {"value": item_code[:40]})
            elif window_id is not None and (window_id, item_id) not in self.window_items:
                errors.append(_("The service item is not handled at this window."))
        day = date_of(values.get("date"), self.dates)
        if day is None:
            errors.append(_("The date is not a date (YYYY-MM-DD)."))
        elif day > self.today:
            errors.append(_("The date is in the future."))
        elif day < self.oldest:
            errors.append(
                _("The date is more than %(days)d days ago.") % {"days": conf("MAX_AGE_DAYS")}
            )
        kind = kind_of(values.get("kind"))
        if kind is None:
            errors.append(
                _("Unknown kind (cases 办件, tickets 叫号, enquiries 咨询 or assisted 帮办代办).")
            )
        count = count_of(values.get("count"))
        if count is None:
            errors.append(
                _("The count is a whole number from 0 to %(max)d.") % {"max": conf("MAX_COUNT")}
            )
        if staff_id is not None and window_id is not None and day is not None:
            spans = self.stationed.get(staff_id, ())
            if not any(w == window_id and s <= day and (e is None or day < e) for w, s, e in spans):
                errors.append(_("This person was not stationed at this window on that day."))
        if errors:
            return None, errors
        return Row(staff_id, window_id, item_id, day, kind, count), []


def weights_for(item_ids) -> dict[int, Decimal]:
    ids = {i for i in item_ids if i is not None}
    return dict(
        ItemWeight.objects.filter(service_item_id__in=ids).values_list("service_item_id", "weight")
    )


def lock_writes() -> None:
    """Workload writes one at a time (a push beside an import would race on the same keys)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(18018)")


def month_of(day: date) -> date:
    return day.replace(day=1)


def existing_for(rows: list[Row]) -> dict[tuple, WorkloadRecord]:
    """The stored records with the keys of ``rows`` (by person, then matched in Python)."""
    found: dict[tuple, WorkloadRecord] = {}
    if not rows:
        return found
    keys = {r.key for r in rows}
    staff_ids = sorted({r.staff_id for r in rows})
    dates = {r.date for r in rows}
    for start in range(0, len(staff_ids), 500):
        for record in WorkloadRecord.objects.select_for_update().filter(
            staff_id__in=staff_ids[start : start + 500], date__in=dates
        ):
            key = (record.staff_id, record.date, record.kind, record.service_item_id)
            if key in keys:
                found[key] = record
    return found


def write_rows(
    rows: list[Row], *, client: SystemClient | None, commit: bool = True
) -> dict[tuple, str]:
    """Store ``rows`` (keys unique among them) and move the monthly rows; returns each key's
    result: ``created``, ``updated`` or ``duplicate``. Runs inside the caller's transaction."""
    lock_writes()
    stored = existing_for(rows)
    weights = weights_for(r.item_id for r in rows)
    now = timezone.now()
    results: dict[tuple, str] = {}
    new, changed = [], []
    deltas = Deltas()
    for row in rows:
        month = month_of(row.date)
        points = points_of(row.count, weights.get(row.item_id, Decimal(1)), row.kind)
        old = stored.get(row.key)
        if old is not None and old.count == row.count and old.window_id == row.window_id:
            results[row.key] = "duplicate"
            continue
        if old is not None:
            deltas.add(
                staff_id=old.staff_id,
                window_id=old.window_id,
                month=old.month,
                kind=old.kind,
                count=-old.count,
                points=-old.points,
            )
            old.count, old.window_id, old.points = row.count, row.window_id, points
            old.client, old.received_at = client, now
            changed.append(old)
            results[row.key] = "updated"
        else:
            new.append(
                WorkloadRecord(
                    staff_id=row.staff_id,
                    window_id=row.window_id,
                    service_item_id=row.item_id,
                    date=row.date,
                    month=month,
                    kind=row.kind,
                    count=row.count,
                    points=points,
                    client=client,
                    received_at=now,
                )
            )
            results[row.key] = "created"
        deltas.add(
            staff_id=row.staff_id,
            window_id=row.window_id,
            month=month,
            kind=row.kind,
            count=row.count,
            points=points,
        )
    if commit:
        WorkloadRecord.objects.bulk_create(new, batch_size=2000)
        WorkloadRecord.objects.bulk_update(
            changed, ["count", "window", "points", "client", "received_at"], batch_size=2000
        )
        deltas.apply()
    return results


# --- push API ----------------------------------------------------------------------------------


@dataclass
class PushOutcome:
    index: int
    result: str  # "created", "updated", "duplicate", "error"
    errors: list[str] = field(default_factory=list)


def workload_push(*, client: SystemClient, items: list[dict[str, Any]]) -> list[PushOutcome]:
    """Record a queue system's batch: each item ``staff_number``, ``window`` (code), optional
    ``service_item`` (code), ``date`` (YYYY-MM-DD), ``kind``, ``count``. Good rows are stored
    even when others are bad (the sender resends only the failed ones)."""
    if not client.has_scope(SCOPE):
        raise PermissionDenied(_("This client may not send workload."))
    checker = WorkloadChecker(
        staff={_text(i.get("staff_number")) for i in items},
        windows={_text(i.get("window")) for i in items},
        items={_text(i.get("service_item")) for i in items} - {""},
    )
    outcomes: list[PushOutcome] = []
    good: dict[tuple, Row] = {}  # the first row of each key
    keys: dict[int, tuple] = {}  # index → key of its good row
    for index, item in enumerate(items):
        row, errors = checker.check(item)
        if row is not None and row.key in good and good[row.key] != row:
            errors = [_("The same record appears twice in this batch with different figures.")]
            row = None
        outcomes.append(PushOutcome(index, "error", errors))
        if row is not None:
            first = row.key not in good
            good.setdefault(row.key, row)
            keys[index] = row.key if first else None
    if good:
        with (
            transaction.atomic(),
            client_audited(client, reason=_("Workload from a queue system")),
        ):
            results = write_rows(list(good.values()), client=client)
            written = sum(1 for r in results.values() if r != "duplicate")
            if written:
                log_bulk(
                    actor=None,
                    model=WorkloadRecord,
                    action="push",
                    count=written,
                    reason=_("Workload from %(client)s") % {"client": client.audit_label},
                )
        for index, key in keys.items():
            outcomes[index].result = results[key] if key is not None else "duplicate"
    return outcomes
