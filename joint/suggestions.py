"""Services keeping the suggested-talk rows (``joint.SuggestedTalk``) exact: what the registered
triggers (``joint/triggers.py``) propose, stored so that pages read a few indexed rows instead of
running every trigger over a department.

* :func:`suggestion_refresh` recomputes the rows of a few people, inside the caller's
  transaction. The joint services call it for the events they write (a talk settles its
  suggestions, a talk request raises one); the lower apps' services announce theirs with
  ``core.events.emit("staff_event", staff_ids=[...])`` (a transfer taking effect, an entry
  recorded, an appeal decided, a rating recorded or invalidated), which :func:`on_staff_event`
  (subscribed in ``JointConfig.ready``) turns into a refresh.
* :func:`suggestion_rebuild` recomputes everyone, a chunk of people per transaction: the daily
  sweep (``joint.tasks.suggestions_sweep``, beat ``joint-suggested-talks``), the data migration
  that backfills a database and the end of ``seed_demo``. It catches up what no event announces
  (a trigger registered later, a rule setting changed) and writes only differences: a rerun
  writes nothing.

Rows carry the days they are shown (``due`` to ``until``), so a suggestion that comes or goes
with the calendar (12 months without a talk, 30 days after a transfer) needs no write. Both
services lock the people they recompute (``SELECT … FOR NO KEY UPDATE`` in id order), so two
writers recomputing the same person run one after the other, the second seeing the first's
rows. The rows are derived data: no audit entry (the writes that cause them have theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from staff.models import Staff

from . import triggers
from .models import SuggestedTalk

REBUILD_CHUNK = 2000


def _lock(staff_ids: Iterable[int]) -> None:
    list(
        Staff.objects.select_for_update(no_key=True)
        .filter(pk__in=list(staff_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sync(staff_ids: frozenset[int], today: date) -> dict[str, int]:
    """Make the rows of ``staff_ids`` what the triggers say today. Writes only differences."""
    wanted: dict[tuple[int, str], tuple[Any, ...]] = {}
    for s in triggers.compute(staff_ids, today):
        wanted[(s.staff_id, s.reason)] = (s.since, str(s.kind), s.shown_from, s.until)
    existing = {
        (row.staff_id, row.reason): row
        for row in SuggestedTalk.objects.filter(staff_id__in=staff_ids)
    }
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    new, changed = [], []
    for (staff_id, reason), (since, kind, due, until) in wanted.items():
        row = existing.get((staff_id, reason))
        if row is None:
            new.append(
                SuggestedTalk(
                    staff_id=staff_id, reason=reason, since=since, kind=kind, due=due, until=until
                )
            )
        elif (row.since, row.kind, row.due, row.until) != (since, kind, due, until):
            row.since, row.kind, row.due, row.until = since, kind, due, until
            changed.append(row)
    if gone:
        SuggestedTalk.objects.filter(pk__in=gone).delete()
    if new:
        SuggestedTalk.objects.bulk_create(new, batch_size=2000)
    if changed:
        SuggestedTalk.objects.bulk_update(
            changed, ["since", "kind", "due", "until"], batch_size=2000
        )
    return {"created": len(new), "updated": len(changed), "deleted": len(gone)}


@transaction.atomic
def suggestion_refresh(*, staff_ids: Iterable[int], today: date | None = None) -> dict[str, int]:
    """Recompute the suggested talks of ``staff_ids`` (every trigger), in the caller's
    transaction: call it from the service that writes an event a trigger reads. A constant
    number of queries (the triggers', plus one lock, one read and at most three writes)."""
    ids = frozenset(pk for pk in staff_ids if pk is not None)
    if not ids:
        return {"created": 0, "updated": 0, "deleted": 0}
    _lock(ids)
    return _sync(ids, today or timezone.localdate())


def suggestion_rebuild(*, today: date | None = None, chunk: int = REBUILD_CHUNK) -> dict[str, int]:
    """Recompute every person's suggested talks from the source rows, ``chunk`` people per
    transaction (each locked while recomputed). Rerun-safe and idempotent: a second run writes
    nothing. Returns the numbers of rows created, updated and deleted."""
    today = today or timezone.localdate()
    totals = {"created": 0, "updated": 0, "deleted": 0}
    # Everyone: those a trigger may propose and those whose rows must go (people who left).
    ordered = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ordered), chunk):
        ids = frozenset(ordered[start : start + chunk])
        with transaction.atomic():
            _lock(ids)
            for key, n in _sync(ids, today).items():
                totals[key] += n
    return totals


def on_staff_event(*, staff_ids: Iterable[int], **_payload: Any) -> None:
    """``core.events`` handler for ``staff_event``: refresh the people concerned."""
    suggestion_refresh(staff_ids=staff_ids)
