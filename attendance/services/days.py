"""Each person's working day, derived from punches, leave and stepping out, kept as
``AttendanceDay`` rows. ``days_derive`` computes every day of a span and writes only what
differs from the stored rows: a rerun on the same data writes nothing. One person's day is
evaluated by ``day_status.evaluate``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing as mp
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from staff.models import Staff, StaffStatus
from windows.models import Stationing

from ..models import (
    AttendanceDay,
    LeaveRequest,
    LeaveStatus,
    Punch,
    StepOut,
)
from ..worktime import Calendar, at_on
from .day_status import evaluate, overdue_limit

CHUNK = 2000  # people per transaction
FIELDS = [
    "department",
    "window",
    "status",
    "late",
    "late_minutes",
    "left_early",
    "missing",
    "absent_halves",
    "step_out_overdue",
    "checks",
]


@dataclass
class DeriveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def days_derive(
    *,
    start: date,
    end: date,
    staff_ids: list[int] | None = None,
    now: datetime | None = None,
    processes: int = 1,
) -> DeriveResult:
    """Derive every scheduled day in [start, end] (not after today) of the people stationed at
    a window then (or of ``staff_ids``), and store what changed: new days, changed days, and
    days no longer scheduled removed. Safe to rerun; a rerun on unchanged data writes nothing.

    With ``processes`` > 1 (everyone, from a command: ``manage.py derive_attendance``), the
    people are split into that many ranges derived by forked processes, each with its own
    database connection; a daemonic process (a Celery worker child) cannot fork and derives
    alone."""
    now = now or timezone.now()
    end = min(end, timezone.localtime(now).date())
    result = DeriveResult()
    if end < start:
        return result
    stationings = (
        Stationing.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .filter(staff__status=StaffStatus.ACTIVE)
        .values_list("staff_id", "window_id", "start_date", "end_date")
        .order_by("staff_id", "start_date")
    )
    if staff_ids is not None:
        stationings = stationings.filter(staff_id__in=staff_ids)
    by_person: dict[int, list[tuple]] = defaultdict(list)
    for staff_id, window_id, s_start, s_end in stationings:
        by_person[staff_id].append((window_id, s_start, s_end))
    people = sorted(set(by_person) | set(staff_ids or []))
    dense = staff_ids is None
    if processes > 1 and dense and len(people) > CHUNK and not mp.current_process().daemon:
        size = -(-len(people) // processes)
        parts = [people[i : i + size] for i in range(0, len(people), size)]
        connections.close_all()  # each child opens its own
        with mp.get_context("fork").Pool(len(parts)) as pool:
            done = pool.starmap(
                _derive_part,
                [(part, {p: by_person[p] for p in part}, start, end, now, True) for part in parts],
            )
        for part in done:
            for name in ("created", "updated", "deleted", "unchanged"):
                setattr(result, name, getattr(result, name) + getattr(part, name))
        return result
    return _derive_part(people, by_person, start, end, now, dense)


def _derive_part(people, by_person, start, end, now, dense) -> DeriveResult:
    """Derive ``people`` (sorted) chunk by chunk, one transaction per chunk."""
    calendar = Calendar(start, end)
    result = DeriveResult()
    for offset in range(0, len(people), CHUNK):
        chunk = people[offset : offset + CHUNK]
        with transaction.atomic():
            _derive_chunk(chunk, by_person, calendar, start, end, now, result, dense)
    return result


def _people(chunk: list[int], dense: bool, field: str = "staff_id") -> dict[str, Any]:
    """The filter for a chunk of people: for everyone (``dense``) an id range, an index range
    scan that is much cheaper than a list of thousands of ids; otherwise the ids."""
    if dense:
        return {f"{field}__gte": chunk[0], f"{field}__lte": chunk[-1]}
    return {f"{field}__in": chunk}


def _derive_chunk(chunk, by_person, calendar, start, end, now, result, dense) -> None:
    # With an id range the rows of people outside the chunk (not stationed) come too: the
    # loops below only look at the chunk's people, and ``gone`` only at their stored days.
    members = set(chunk)
    departments = dict(
        Staff.objects.filter(**_people(chunk, dense, "pk")).values_list("id", "department_id")
    )
    low = at_on(start, time(0))
    high = at_on(end + timedelta(days=1), time(0)) + timedelta(hours=6)
    punches: dict[int, list[float]] = defaultdict(list)  # in time order (the index's order)
    for staff_id, moment in (
        Punch.objects.filter(**_people(chunk, dense), at__gte=low - timedelta(hours=6), at__lt=high)
        .order_by("staff_id", "at")
        .values_list("staff_id", "at")
    ):
        punches[staff_id].append(moment.timestamp())
    leaves: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        **_people(chunk, dense),
        status__in=[LeaveStatus.APPROVED, LeaveStatus.RETURNED],
        start_date__lte=end,
        end_date__gte=start,
    ):
        leaves[leave.staff_id].append(leave)
    outs: dict[int, list[StepOut]] = defaultdict(list)
    for item in StepOut.objects.filter(**_people(chunk, dense), out_at__gte=low, out_at__lt=high):
        outs[item.staff_id].append(item)
    stored = {
        (staff_id, day): (pk, signed)
        for staff_id, day, pk, signed in AttendanceDay.objects.filter(
            **_people(chunk, dense), date__gte=start, date__lte=end
        ).values_list("staff_id", "date", "id", "signature")
        if staff_id in members
    }
    creates, updates = [], []
    keep = set()
    limit = overdue_limit()
    for staff_id in chunk:
        for day in calendar.days():
            window_id = next(
                (
                    w
                    for w, s_start, s_end in by_person.get(staff_id, ())
                    if s_start <= day and (s_end is None or s_end > day)
                ),
                None,
            )
            if window_id is None or staff_id not in departments:
                continue
            plan = calendar.plan(day, window_id)
            if plan is None:
                continue
            fields = evaluate(
                plan=plan,
                day=day,
                punches=punches.get(staff_id, []),
                leaves=leaves.get(staff_id, []),
                step_outs=outs.get(staff_id, []),
                now=now,
                limit=limit,
            )
            fields["department_id"] = departments[staff_id]
            fields["window_id"] = window_id
            fields["signature"] = signature(fields)
            keep.add((staff_id, day))
            row = stored.get((staff_id, day))
            if row is None:
                creates.append(AttendanceDay(staff_id=staff_id, date=day, **fields))
            elif row[1] != fields["signature"]:
                updates.append(AttendanceDay(pk=row[0], staff_id=staff_id, date=day, **fields))
            else:
                result.unchanged += 1
    gone = [row[0] for key, row in stored.items() if key not in keep]
    if creates:
        _create(creates)
    if updates:
        AttendanceDay.objects.bulk_update(updates, [*FIELDS, "signature"], batch_size=2000)
    if gone:
        AttendanceDay.objects.filter(pk__in=gone).delete()
    result.created += len(creates)
    result.updated += len(updates)
    result.deleted += len(gone)


COPIED = ["staff_id", "date", "department_id", "window_id", "signature", *FIELDS[2:]]
SIGNED = ["department_id", "window_id", *FIELDS[2:]]


def signature(fields: dict[str, Any]) -> int:
    """A stable 64-bit hash of the derived fields (the same in every process, unlike hash())."""
    raw = repr([fields[name] for name in SIGNED]).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True)


def _create(days: list[AttendanceDay]) -> None:
    """Insert new days: on PostgreSQL with one ``COPY`` per chunk (a first derivation of a
    month writes two million rows, which ``bulk_create``'s parameter lists take minutes to
    send), elsewhere with ``bulk_create``."""
    if connection.vendor != "postgresql":
        AttendanceDay.objects.bulk_create(days, batch_size=2000)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for day in days:
        writer.writerow(
            [
                *(getattr(day, name) for name in COPIED[:-1]),
                json.dumps(day.checks, ensure_ascii=False, separators=(",", ":")),
            ]
        )
    buffer.seek(0)
    columns = ", ".join(
        AttendanceDay._meta.get_field(name.removesuffix("_id")).column for name in COPIED
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {AttendanceDay._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def person_days_refresh(*, staff_id: int, start: date, end: date) -> DeriveResult:
    """Re-derive one person's days after a change to their punches, leave or stepping out
    (called inside the changing service's transaction)."""
    today = timezone.localdate()
    if start > today:
        return DeriveResult()
    return days_derive(start=start, end=min(end, today), staff_ids=[staff_id])
