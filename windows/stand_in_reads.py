"""Reads of the A/B pairs (AB岗), re-exported by ``windows.selectors``.

A window has a *complete* pair on a day when a window-wide pair (no service item) is valid that
day and both its people are stationed at the window then — or the pair documents an exception.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.pagination import CountPaginator
from staff.models import Staff
from staff.permissions import scope

from .models import ServiceItem, StandIn, Stationing, Window


def valid_on_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


def _stationed_q(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def complete_pair_exists(day: date) -> Exists:
    """``Exists`` of a complete window-wide pair on ``day`` for the window ``OuterRef("pk")``."""

    def stationed(person: str) -> Exists:
        return Exists(
            Stationing.objects.filter(_stationed_q(day)).filter(
                staff_id=OuterRef(person), window_id=OuterRef("window_id")
            )
        )

    pairs = StandIn.objects.filter(valid_on_q(day), window_id=OuterRef("pk")).filter(
        service_item__isnull=True
    )
    return Exists(pairs.filter(~Q(exception_note="") | (stationed("a_id") & stationed("b_id"))))


def stand_in_list_for_user(user: Any) -> QuerySet[StandIn]:
    """Every pair of the windows the user may see (liaison: their departments' windows)."""
    qs = StandIn.objects.select_related("window", "service_item", "a", "b")
    return scope(qs, user, department="window__department").order_by(
        "window__code", "service_item__code", "-valid_from", "id"
    )


def stand_in_get_for_user(user: Any, pk: int) -> StandIn:
    return get_object_or_404(
        stand_in_list_for_user(user).select_related("window__department"), pk=pk
    )


STAND_IN_PAGE_SIZE = 50


def _windows_with_pair_state(user: Any, day: date) -> QuerySet[Window]:
    """Active windows in scope, annotated ``complete``: a complete A/B pair on ``day``."""
    return scope(Window.objects.filter(active=True), user, department="department").annotate(
        complete=complete_pair_exists(day)
    )


def windows_without_pair_count(user: Any, day: date | None = None) -> int:
    """How many active windows in scope lack a complete A/B pair on ``day``. One query."""
    return (
        _windows_with_pair_state(user, day or timezone.localdate()).filter(complete=False).count()
    )


def stand_in_board(
    user: Any, *, missing_only: bool = False, page: Any = None, day: date | None = None
) -> dict[str, Any]:
    """The stand-in page: active windows in scope, 50 a page, each with ``complete`` (a complete
    pair today) and its pairs valid today or later; ``missing`` counts the windows in scope
    without a complete pair. Four queries whatever the size (count of missing, page count, the
    page, the page's pairs)."""
    day = day or timezone.localdate()
    windows = _windows_with_pair_state(user, day).select_related("department")
    missing = windows.filter(complete=False).count()
    if missing_only:
        windows = windows.filter(complete=False)
    page_obj = CountPaginator(windows.order_by("code", "id"), STAND_IN_PAGE_SIZE).get_page(page)
    rows = list(page_obj.object_list)
    pairs: dict[int, list[StandIn]] = {w.pk: [] for w in rows}
    for pair in (
        StandIn.objects.filter(window_id__in=list(pairs))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("service_item", "a", "b")
        .order_by("service_item__code", "valid_from", "id")
    ):
        pairs[pair.window_id].append(pair)
    for window in rows:
        window.pairs = pairs[window.pk]
    return {"page": page_obj, "rows": rows, "missing": missing, "day": day}


def stand_in_pair_for(
    person: Staff, on_date: date, *, service_item: ServiceItem | None = None
) -> StandIn | None:
    """The pair that covers ``person``'s window business on ``on_date``, or None.

    The pair is mutual: while A is away B covers, and while B is away A does. A pair for
    ``service_item`` comes before the window-wide pair; a pair at the window where the person is
    stationed that day before any other; the person as A before the person as B. A pair whose
    other person is no longer stationed at the window (and documents no exception) covers
    nothing. Not scoped to a viewer: callers (leave approval, the notice) have already fetched
    ``person`` through their own scope. At most three queries."""
    here = (
        Stationing.objects.filter(_stationed_q(on_date), staff=person)
        .values_list("window_id", flat=True)
        .first()
    )
    items = Q(service_item__isnull=True)
    if service_item is not None:
        items |= Q(service_item=service_item)
    candidates = list(
        StandIn.objects.filter(valid_on_q(on_date))
        .filter(items)
        .filter(Q(a=person) | Q(b=person))
        .select_related("window", "service_item", "a", "b")
    )

    def rank(pair: StandIn) -> tuple:
        return (
            service_item is not None and pair.service_item_id != service_item.pk,
            pair.window_id != here,
            pair.a_id != person.pk,
            -pair.valid_from.toordinal(),
            pair.pk,
        )

    candidates.sort(key=rank)
    if not candidates:
        return None
    others = {(p.b_id if p.a_id == person.pk else p.a_id, p.window_id) for p in candidates}
    stationed = set(
        Stationing.objects.filter(_stationed_q(on_date))
        .filter(staff_id__in={o for o, _ in others}, window_id__in={w for _, w in others})
        .values_list("staff_id", "window_id")
    )
    for pair in candidates:
        other_id = pair.b_id if pair.a_id == person.pk else pair.a_id
        if pair.exception_note or (other_id, pair.window_id) in stationed:
            return pair
    return None


def stand_in_for(
    person: Staff, on_date: date, *, service_item: ServiceItem | None = None
) -> Staff | None:
    """Who covers ``person``'s window business on ``on_date`` (see :func:`stand_in_pair_for`),
    or None when no valid pair names them."""
    pair = stand_in_pair_for(person, on_date, service_item=service_item)
    if pair is None:
        return None
    return pair.b if pair.a_id == person.pk else pair.a
