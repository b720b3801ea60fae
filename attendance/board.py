"""The on-duty board: who is at which window now, from today's punches, approved leave, open
stepping-out records and the windows' A/B pairs — read live (a punch, a return or an approval
shows at the next refresh), in a constant number of queries for a page of windows.

A person stationed at a window is, now:

* ``on_leave`` — approved leave covers this half-day;
* ``out`` — registered as stepped out and not back (``overdue`` past the setting);
* ``present`` — punched in today and their last punch is not a clock-out;
* ``gone`` — punched today, last punch a clock-out (the lunch break, or gone home);
* ``not_in`` — no punch yet today.

A window is ``staffed`` when one of its own people is present, ``covered`` when nobody of its
own is but a stand-in of its A/B pair is present (the pair's other person may be stationed
elsewhere, with the center's documented exception), and ``empty`` otherwise: the board lists
empty windows first, so a window left without anyone shows at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.pagination import CountPaginator
from staff.permissions import scope
from windows.models import Post, StandIn, Stationing, Window
from windows.stand_in_reads import valid_on_q

from .conf import conf
from .models import Punch, StepOut
from .services.cover import leave_now
from .worktime import Calendar

PAGE_SIZE = 60
PRESENT, OUT, ON_LEAVE, GONE, NOT_IN = "present", "out", "on_leave", "gone", "not_in"
STAFFED, COVERED, EMPTY, CLOSED = "staffed", "covered", "empty", "closed"


@dataclass(frozen=True)
class Person:
    """What the board shows of a person: read as two columns, not as a model row."""

    pk: int
    name: str


@dataclass
class Seat:
    person: Person
    post: str
    state: str
    overdue: bool = False
    since: datetime | None = None
    stand_in: str = ""  # on leave: who the leave names to handle their business


@dataclass
class WindowRow:
    window: Window
    seats: list[Seat] = field(default_factory=list)
    cover: Any = None  # the present stand-in (a Staff row)
    status: str = EMPTY


def windows_for_board(user: Any, *, area: str = "") -> QuerySet[Window]:
    qs = scope(Window.objects.filter(active=True), user, department="department")
    if area:
        qs = qs.filter(hall_area=area)
    return qs.select_related("department").order_by("floor", "hall_area", "code", "id")


def _last_punches(people: Q, now: datetime) -> dict[int, list[datetime]]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    punches: dict[int, list[datetime]] = defaultdict(list)
    for staff_id, at in (
        Punch.objects.filter(people, at__gte=start, at__lte=now)
        .order_by("staff_id", "at")
        .values_list("staff_id", "at")
    ):
        punches[staff_id].append(at)
    return punches


def _state(punches: list[datetime], checks: tuple, now: datetime) -> tuple[str, datetime | None]:
    """Present or gone from today's punches against the day's checks: the last punch counts
    as the check nearest to it, so a clock-out after lunch means gone for the break."""
    if not punches:
        return NOT_IN, None
    last = punches[-1]
    if not checks:
        return PRESENT, last
    clock = timezone.localtime(last).time()

    def distance(check) -> float:
        return abs(
            datetime.combine(datetime.min, check.at) - datetime.combine(datetime.min, clock)
        ).total_seconds()

    nearest = min(checks, key=distance)
    return (GONE if nearest.kind == "out" else PRESENT), last


def board(user: Any, *, now: datetime | None = None, page: Any = None, area: str = "") -> dict:
    """A page of windows (in the page: empty ones first) with their people's states and cover,
    and the page's counts per window status. Eight queries whatever the page holds."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    windows = windows_for_board(user, area=area)
    page_obj = CountPaginator(windows, PAGE_SIZE).get_page(page)
    rows = {w.pk: WindowRow(window=w) for w in page_obj.object_list}
    stationed = Stationing.objects.filter(window_id__in=list(rows), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )
    stationings = list(
        stationed.order_by("post", "staff__name", "id").values_list(
            "window_id", "staff_id", "staff__name", "post"
        )
    )
    posts = {value: str(label) for value, label in Post.choices}  # translated once, not per row
    pairs = list(
        StandIn.objects.filter(valid_on_q(today), window_id__in=list(rows), service_item=None)
        .select_related("a", "b")
        .order_by("id")
    )
    # the page's people as a subquery (a list of 2,000 ids costs more to build than to run)
    people = Q(staff_id__in=stationed.values("staff_id")) | Q(
        staff_id__in=sorted({p.a_id for p in pairs} | {p.b_id for p in pairs})
    )
    leave = leave_now(people, now)  # person → the stand-in their leave names
    out = {s.staff_id: s for s in StepOut.objects.filter(people, back_at__isnull=True)}
    # punches by the ids themselves: an OR of a subquery and a list walks the whole day's punches
    ids = sorted(
        {row[1] for row in stationings} | {p.a_id for p in pairs} | {p.b_id for p in pairs}
    )
    punches = _last_punches(Q(staff_id__in=ids), now)
    calendar = Calendar(today, today)
    limit = timezone.timedelta(minutes=conf("STEP_OUT_OVERDUE_MINUTES"))

    def state_of(staff_id: int, window_id: int) -> tuple[str, datetime | None, bool]:
        if staff_id in leave:
            return ON_LEAVE, None, False
        if staff_id in out:
            since = out[staff_id].out_at
            return OUT, since, now - since > limit
        plan = calendar.plan(today, window_id)
        state, since = _state(punches.get(staff_id, []), plan.checks if plan else (), now)
        return state, since, False

    for window_id, staff_id, name, post in stationings:
        state, since, overdue = state_of(staff_id, window_id)
        rows[window_id].seats.append(
            Seat(
                person=Person(staff_id, name),
                post=posts.get(post, post),
                state=state,
                overdue=overdue,
                since=since,
                stand_in=leave.get(staff_id, ""),
            )
        )
    for row in rows.values():
        if calendar.plan(today, row.window.pk) is None:
            row.status = CLOSED
        elif any(seat.state == PRESENT for seat in row.seats):
            row.status = STAFFED
    for pair in pairs:
        row = rows[pair.window_id]
        if row.status != EMPTY:
            continue
        for person in (pair.b, pair.a):
            if state_of(person.pk, pair.window_id)[0] == PRESENT:
                row.cover, row.status = person, COVERED
                break
    order = {EMPTY: 0, COVERED: 1, STAFFED: 2, CLOSED: 3}
    listed = sorted(rows.values(), key=lambda r: (order[r.status], r.window.floor, r.window.code))
    counts = {key: sum(1 for r in rows.values() if r.status == key) for key in order}
    return {"page": page_obj, "rows": listed, "counts": counts, "now": now}
