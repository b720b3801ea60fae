"""The monthly rating rows (``RatingMonth``): what each rating adds to its month, window,
department, service item and channel, kept in the transaction of every write.

A write takes a :func:`snapshot` of each rating (with its case) before and after the change and
hands both to :func:`apply`; the difference is added with one UPDATE per touched row (in key
order, so two writers never wait on each other crosswise). :func:`rebuild` recomputes every row
from the ratings and cases; it takes the model classes so the migration can call it too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F
from django.utils import timezone

GOOD = ("5", "4", "3")
BAD = ("2", "1")
Key = tuple[date, int, int, int | None, str]
Snapshot = tuple[Key, dict[str, int]]


def month_of(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def counts(
    *,
    level: str,
    defaulted: bool,
    status: str | None = None,
    replied: bool = False,
    satisfaction_after: str = "",
) -> dict[str, int]:
    """What one rating (and its case, when ``status`` is given) counts for. A case counts only
    while its rating is bad: a rating changed to good takes its case's figures with it."""
    found: dict[str, int] = {}
    if level:
        found[f"level_{level}"] = 1
        if level in GOOD and not defaulted:
            found["voluntary_good"] = 1
    else:
        found["unrated"] = 1
    if status is not None and level in BAD:
        if replied:
            found["replied"] = 1
        if status == "invalid":
            found["invalid"] = 1
        if status == "done":
            found["rectified"] = 1
            if satisfaction_after:
                found["followed"] = 1
            if satisfaction_after in GOOD:
                found["satisfied_after"] = 1
    return found


def snapshot(rating: Any, case: Any = None) -> Snapshot:
    """The row ``rating`` (with ``case`` or None) counts in, and what it counts there."""
    key = (
        month_of(rating.served_at),
        rating.window_id,
        rating.department_id,
        rating.service_item_id,
        rating.channel,
    )
    if case is None:
        return key, counts(level=rating.level, defaulted=rating.defaulted)
    return key, counts(
        level=rating.level,
        defaulted=rating.defaulted,
        status=case.status,
        replied=case.replied_at is not None,
        satisfaction_after=case.satisfaction_after,
    )


def apply(*, before: Iterable[Snapshot] = (), after: Iterable[Snapshot] = ()) -> int:
    """Add ``after`` and take away ``before``; returns the rows touched. Call inside the write's
    transaction."""
    from ..models import RatingMonth

    deltas: dict[Key, Counter] = {}
    for key, found in before:
        deltas.setdefault(key, Counter()).subtract(found)
    for key, found in after:
        deltas.setdefault(key, Counter()).update(found)
    deltas = {k: Counter({f: n for f, n in c.items() if n}) for k, c in deltas.items()}
    deltas = {k: c for k, c in deltas.items() if c}
    if not deltas:
        return 0
    RatingMonth.objects.bulk_create(
        [
            RatingMonth(
                month=k[0], window_id=k[1], department_id=k[2], service_item_id=k[3], channel=k[4]
            )
            for k in deltas
        ],
        ignore_conflicts=True,
    )
    for key in sorted(deltas, key=lambda k: (k[0], k[1], k[2], k[3] or 0, k[4])):
        RatingMonth.objects.filter(
            month=key[0],
            window_id=key[1],
            department_id=key[2],
            service_item_id=key[3],
            channel=key[4],
        ).update(**{name: F(name) + n for name, n in deltas[key].items()})
    return len(deltas)


def rebuild(rating_model: Any, month_model: Any) -> int:
    """Recompute every row from the ratings and their cases (in bounded memory per 5 000
    ratings); returns the number of rows. Deletes the rows first: run it in a transaction."""
    totals: dict[Key, Counter] = {}
    fields = (
        "served_at",
        "window_id",
        "department_id",
        "service_item_id",
        "channel",
        "level",
        "defaulted",
        "rectification__status",
        "rectification__replied_at",
        "rectification__satisfaction_after",
    )
    rows = rating_model.objects.order_by("pk").values_list(*fields)
    for (
        served,
        window,
        department,
        item,
        channel,
        level,
        defaulted,
        status,
        replied,
        sat,
    ) in rows.iterator(chunk_size=5000):
        key = (month_of(served), window, department, item, channel)
        totals.setdefault(key, Counter()).update(
            counts(
                level=level,
                defaulted=defaulted,
                status=status,
                replied=replied is not None,
                satisfaction_after=sat or "",
            )
        )
    month_model.objects.all().delete()
    month_model.objects.bulk_create(
        [
            month_model(
                month=k[0],
                window_id=k[1],
                department_id=k[2],
                service_item_id=k[3],
                channel=k[4],
                **dict(c),
            )
            for k, c in totals.items()
        ],
        batch_size=2000,
    )
    return len(totals)
