"""The window board (``windows:board``): one page of windows with their people and tenure, as
plain values, in four queries whatever the size."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagination import CountPaginator
from staff.permissions import scope

from . import rules
from .models import OPEN_STATES, Post, TransferRequest, Window, months_between
from .selectors import open_people

BOARD_PAGE_SIZE = 50


def window_board(
    user: Any,
    *,
    department_id: int | None = None,
    q: str = "",
    include_inactive: bool = False,
    page: Any = None,
) -> dict[str, Any]:
    """One page of the window board: ``page`` (an exact count over the windows' index, see
    core.pagination) and ``rows``, plain values per window (code, department, chief, people with
    their tenure, open requests). Four queries whatever the size: a count, the page of windows,
    their current stationings and their open-request counts. Nothing is cached."""
    windows = scope(
        Window.objects.select_related("department").order_by("code", "id"),
        user,
        department="department",
    )
    if not include_inactive:
        windows = windows.filter(active=True)
    if department_id is not None:
        windows = windows.filter(department_id=department_id)
    q = q.strip()
    if q:
        windows = windows.filter(Q(code__icontains=q) | Q(name__icontains=q))
    page_obj = CountPaginator(windows, BOARD_PAGE_SIZE).get_page(page)
    rows = board_rows(list(page_obj.object_list), timezone.localdate())
    return {"page": page_obj, "rows": rows}


def _open_request_counts(window_ids: list[int]) -> dict[int, int]:
    return dict(
        TransferRequest.objects.filter(window_id__in=window_ids, state__in=OPEN_STATES)
        .order_by()
        .values_list("window_id")
        .annotate(n=Count("id"))
    )


def board_rows(windows: list[Window], today: date) -> list[dict[str, Any]]:
    """Plain values for the board's rows (two queries: stationings, open requests)."""
    ids = [w.pk for w in windows]
    people = open_people(ids)
    open_requests = _open_request_counts(ids)
    minimum = rules.min_tenure_months()
    rows = []
    for window in windows:
        chiefs, others = [], []
        for stationing in people[window.pk]:
            months = months_between(stationing["start_date"], today)
            person = {
                "name": stationing["staff__name"],
                "post": stationing["post"],
                "months": months,
                "months_label": _("%(m)s mo.") % {"m": months},
                "reached": months >= minimum,
            }
            chiefs_or_others = chiefs if stationing["post"] == Post.CHIEF_REPRESENTATIVE else others
            chiefs_or_others.append(person)
        rows.append(
            {
                "pk": window.pk,
                "code": window.code,
                "name": window.name,
                "hall_area": window.hall_area,
                "floor": window.floor,
                "department": window.department.display_name,
                "headcount_quota": window.headcount_quota,
                "headcount": len(chiefs) + len(others),
                "chiefs": chiefs,
                "others": others,
                "open_requests": open_requests.get(window.pk, 0),
            }
        )
    return rows
