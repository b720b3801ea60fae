"""The window last in its group for a month (issue #18): the group is ``Window.hall_area`` (an
empty one is a group too), the score the red-flag formula's total (``awards.red_flag_scores``:
efficiency, staff scores, votes), last the lowest. A group of one scored window has no last; when
every window of a group has the same score, none is last. Ties at the bottom are all last.

Kept as ``WindowGroupPlace`` rows by :func:`group_last_refresh`: when a month closes
(``period_close``) and, for the open months, in the joint app's daily sweep (the month's scores
move until it closes). The joint app's trigger "last in its group two months running" and the
center's list read the rows. Derived rows: no audit entry (the writes causing them have theirs).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction

from core import events
from staff.models import StaffStatus
from windows.models import Post, Stationing, Window

from ..models import Period, PeriodKind, PeriodStatus
from ..rule_models import WindowGroupPlace
from .awards import red_flag_scores


def group_last(period: Period) -> dict[int, tuple[str, object, int]]:
    """window id → (group, score, windows in the group) for the last windows of ``period``."""
    rows = red_flag_scores(period)
    areas = dict(
        Window.objects.filter(pk__in=[r["window_id"] for r in rows]).values_list("id", "hall_area")
    )
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(areas.get(row["window_id"]) or "").strip()].append(row)
    last = {}
    for group, members in groups.items():
        if len(members) < 2:
            continue
        lowest = min(m["score"] for m in members)
        if all(m["score"] == lowest for m in members):
            continue
        for m in members:
            if m["score"] == lowest:
                last[m["window_id"]] = (group, lowest, len(members))
    return last


def stationed_people(window_ids) -> list[int]:
    """Everyone with an open stationing at these windows (whose suggestions a change concerns)."""
    return list(
        Stationing.objects.filter(window_id__in=list(window_ids), end_date__isnull=True)
        .values_list("staff_id", flat=True)
        .distinct()
    )


@transaction.atomic
def group_last_refresh(period: Period) -> set[int]:
    """Make the month's rows what the formula says now; returns the windows whose row came, went
    or changed, and tells the joint app (``staff_event``) about the people stationed there."""
    if period.kind != PeriodKind.MONTH:
        return set()
    wanted = group_last(period)
    existing = {r.window_id: r for r in WindowGroupPlace.objects.filter(period=period)}
    gone = [r.pk for w, r in existing.items() if w not in wanted]
    new, changed = [], []
    for window_id, (group, score, size) in wanted.items():
        row = existing.get(window_id)
        if row is None:
            new.append(
                WindowGroupPlace(
                    period=period,
                    month=period.start_date,
                    window_id=window_id,
                    group=group,
                    score=score,
                    group_size=size,
                )
            )
        elif (row.group, row.score, row.group_size) != (group, score, size):
            row.group, row.score, row.group_size = group, score, size
            changed.append(row)
    if gone:
        WindowGroupPlace.objects.filter(pk__in=gone).delete()
    WindowGroupPlace.objects.bulk_create(new)
    WindowGroupPlace.objects.bulk_update(changed, ["group", "score", "group_size"])
    touched = (
        {w for w, r in existing.items() if w not in wanted}
        | {r.window_id for r in new}
        | {r.window_id for r in changed}
    )
    if touched:
        people = stationed_people(touched)
        if people:
            events.emit(events.STAFF_EVENT, staff_ids=people)
    return touched


def group_last_refresh_open(today: date) -> int:
    """Refresh every open month up to ``today`` (the daily sweep's part); returns windows
    touched. Closed months were refreshed when they closed."""
    touched = 0
    for period in Period.objects.filter(
        kind=PeriodKind.MONTH, status=PeriodStatus.OPEN, start_date__lte=today
    ).order_by("start_date"):
        touched += len(group_last_refresh(period))
    return touched


def chiefs_or_stationed(window_ids, staff_ids=None) -> dict[int, list[int]]:
    """window id → the people a window's talk is suggested for: its chief representative(s)
    stationed now, or, without one, everyone stationed there now. One query."""
    qs = Stationing.objects.filter(window_id__in=list(window_ids), end_date__isnull=True).exclude(
        staff__status=StaffStatus.LEFT
    )
    rows = list(qs.values_list("window_id", "staff_id", "post"))
    by_window: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"chief": [], "all": []})
    for window_id, staff_id, post in rows:
        by_window[window_id]["all"].append(staff_id)
        if post == Post.CHIEF_REPRESENTATIVE:
            by_window[window_id]["chief"].append(staff_id)
    result = {w: (v["chief"] or v["all"]) for w, v in by_window.items()}
    if staff_ids is not None:
        result = {w: [p for p in ps if p in staff_ids] for w, ps in result.items()}
    return result
