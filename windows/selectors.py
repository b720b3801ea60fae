"""Reads for a user, always through ``staff.permissions.scope``; each list declares its joins."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import people
from staff.models import Role
from staff.permissions import role_of, scope

from . import rules
from .models import (
    OPEN_STATES,
    ChiefAppointment,
    Post,
    Side,
    Stationing,
    TransferRequest,
    TransferState,
    Vetting,
    Window,
)


def _open_stationings() -> QuerySet[Stationing]:
    return Stationing.objects.open().select_related("staff").order_by("post", "start_date", "id")


def window_list_for_user(
    user: Any, *, with_items: bool = True, with_people: bool = True
) -> QuerySet[Window]:
    """Windows the user may see with their current staff (``window.current``), service items
    (unless ``with_items`` is false: the board shows none) and the number of open transfer
    requests, in a constant number of queries. A list passes ``with_people=False`` and calls
    :func:`attach_brief_people` on the page it shows."""
    prefetch: list[Any] = []
    if with_people:
        prefetch.append(Prefetch("stationings", queryset=_open_stationings(), to_attr="current"))
    if with_items:
        prefetch.append("service_items")
    qs = (
        Window.objects.select_related("department")
        .prefetch_related(*prefetch)
        .annotate(open_requests=Coalesce(open_requests_count(), 0))
        .order_by("code", "id")
    )
    return scope(qs, user, department="department")


def open_people(window_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The open stationings of ``window_ids`` as plain values (stationing id, post, start, the
    person's id, number and name), per window, in post and start order. One query; no model
    instances (a staff row is wide)."""
    people: dict[int, list[dict[str, Any]]] = {pk: [] for pk in window_ids}
    rows = (
        Stationing.objects.open()
        .filter(window_id__in=window_ids)
        .order_by("post", "start_date", "id")
        .values(
            "id",
            "window_id",
            "post",
            "start_date",
            "staff_id",
            "staff__staff_number",
            "staff__name",
        )
    )
    for row in rows:
        people[row["window_id"]].append(row)
    return people


def attach_brief_people(windows: list[Window]) -> list[Window]:
    """Set ``window.current`` of each of ``windows`` to its people as :func:`open_people`'s plain
    rows: one query, no model instances. A page of windows at the province carries ~1,650
    people, and a staff row is wide (about 25 columns, the ID number among them)."""
    people = open_people([w.pk for w in windows])
    for window in windows:
        window.current = people[window.pk]
    return windows


def open_requests_count() -> Subquery:
    """The open requests of the window ``OuterRef("pk")``: an annotation, not a query. A
    correlated count, not Count() over a join: that groups every window (24,000 at province
    scale, ~50 ms) before the page is cut; this runs for the page's rows only."""
    open_requests = (
        TransferRequest.objects.filter(window_id=OuterRef("pk"), state__in=OPEN_STATES)
        .order_by()
        .values("window_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Subquery(open_requests, output_field=IntegerField())


def window_get_for_user(user: Any, pk: int) -> Window:
    return get_object_or_404(window_list_for_user(user), pk=pk)


def window_history(window: Window) -> QuerySet[Stationing]:
    return window.stationings.select_related("staff").order_by("-start_date", "-id")


def stationing_list_for_user(user: Any) -> QuerySet[Stationing]:
    qs = Stationing.objects.select_related("staff", "window", "window__department")
    return scope(qs, user, department="staff__department", person="staff").order_by(
        "-start_date", "id"
    )


def stationing_get_for_user(user: Any, pk: int) -> Stationing:
    return get_object_or_404(stationing_list_for_user(user), pk=pk)


def transfer_list_for_user(user: Any) -> QuerySet[TransferRequest]:
    """Transfer requests of the user's departments (window staff see none)."""
    qs = TransferRequest.objects.select_related(
        "department", "window", "to_window", "outgoing", "incoming", "created_by"
    )
    return scope(qs, user, department="department").order_by("-created_at", "-id")


def transfer_get_for_user(user: Any, pk: int) -> TransferRequest:
    return get_object_or_404(
        transfer_list_for_user(user).select_related(
            "outgoing_stationing",
            "new_stationing",
            "center_consent_by",
            "department_consent_by",
            *people.related("created_by"),
            *people.related("center_consent_by"),
            *people.related("department_consent_by"),
        ),
        pk=pk,
    )


def waiting_for(user: Any) -> Q:
    """Requests waiting for an action of the user's side."""
    if role_of(user) == Role.CENTER_ADMIN:
        return (
            Q(raised_by=Side.DEPARTMENT, state__in=[TransferState.SUBMITTED, TransferState.VETTING])
            | Q(raised_by=Side.CENTER, state=TransferState.DRAFT)
            | Q(state=TransferState.VETTING)
            | Q(state=TransferState.APPROVED, effective_date__lte=timezone.localdate())
        )
    if role_of(user) == Role.LIAISON:
        return Q(
            raised_by=Side.CENTER, state__in=[TransferState.SUBMITTED, TransferState.VETTING]
        ) | Q(raised_by=Side.DEPARTMENT, state=TransferState.DRAFT)
    return Q(pk__in=[])  # HR and window staff act on no request


def vetting_list_for_user(user: Any) -> QuerySet[Vetting]:
    qs = Vetting.objects.select_related("staff", "transfer", "vetted_by")
    return scope(qs, user, department="transfer__department").order_by("-vetted_at", "-id")


def appointments_for_window(window: Window) -> QuerySet[ChiefAppointment]:
    return (
        ChiefAppointment.objects.filter(stationing__window=window)
        .select_related("stationing__staff", "filed_by")
        .prefetch_related("items__service_item")
        .order_by("-valid_from", "-id")
    )


# --- staff detail panel --------------------------------------------------------------------------


def stationing_panel_context(user: Any, person: Any) -> dict[str, Any] | None:
    """The staff detail page's stationing timeline and tenure (two queries)."""
    stationings = list(person.stationings.select_related("window").order_by("-start_date", "-id"))
    today = timezone.localdate()
    current = next((s for s in stationings if s.end_date is None), None)
    open_requests = (
        list(
            scope(TransferRequest.objects.open(), user, department="department")
            .filter(Q(outgoing=person) | Q(incoming=person))
            .select_related("window")
            .order_by("-created_at")[:5]
        )
        if role_of(user) != Role.STAFF
        else []
    )
    return {
        "stationings": stationings,
        "current": current,
        "tenure_months": current.tenure_months(today) if current else None,
        "milestone": rules.tenure_reached_on(current.start_date) if current else None,
        "min_months": rules.min_tenure_months(),
        "open_requests": open_requests,
        "today": today,
    }


# --- the transfer's timeline ---------------------------------------------------------------------

TIMELINE_FIELDS = (
    "state",
    "kind",
    "incoming",
    "incoming_post",
    "effective_date",
    "reason",
    "early_justification",
    "decision_note",
)


def transfer_timeline(transfer: TransferRequest, limit: int = 50) -> list[dict[str, Any]]:
    """The request's audit entries as steps a person can read: who (person and unit), when,
    which step (submit, approve…), why, and the changed fields in words (core.history; a fixed
    number of queries)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from core.history import describe_entries

    from .services.transfers import TRANSITIONS

    entries = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(TransferRequest),
            object_pk=str(transfer.pk),
        )
        .select_related("content_type", "actor", *people.related("actor"))
        .order_by("-timestamp", "-id")[:limit]
    )
    steps = describe_entries(entries)
    for entry, step in zip(entries, steps, strict=True):
        extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        action = extra.get("action")
        if action in TRANSITIONS:
            label = str(TRANSITIONS[action].label)
        elif entry.action == LogEntry.Action.CREATE:
            label = _("Raised")
        else:
            label = _("Edited")
        step["action"] = label
        step["changes"] = [c for c in step["changes"] if c["name"] in TIMELINE_FIELDS]
        if step["reason"] == label:
            step["reason"] = ""
    return steps


# --- issue #16: windows without a chief, replacement demands -------------------------------------


def windows_without_chief(user: Any, today: date | None = None) -> QuerySet[Window]:
    """Active windows of the user's departments that have no chief representative with a letter
    of appointment valid ``today``: ``has_chief`` tells "no chief at all" from "a chief without
    a valid letter"; ``chief_left_on`` is the day the last chief left (None if none ever did).
    One query."""
    today = today or timezone.localdate()
    chiefs = Stationing.objects.filter(
        window=OuterRef("pk"), post=Post.CHIEF_REPRESENTATIVE, end_date__isnull=True
    )
    lettered = chiefs.filter(  # one letter valid today (one filter: the same appointment)
        Q(appointments__valid_until__isnull=True) | Q(appointments__valid_until__gte=today),
        appointments__valid_from__lte=today,
    )
    left = (
        Stationing.objects.filter(
            window=OuterRef("pk"), post=Post.CHIEF_REPRESENTATIVE, end_date__isnull=False
        )
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    qs = (
        Window.objects.filter(active=True)
        .annotate(
            has_chief=Exists(chiefs),
            has_letter=Exists(lettered),
            chief_left_on=Subquery(left),
        )
        .filter(has_letter=False)
        .select_related("department")
    )
    return scope(qs, user, department="department").order_by("department__code", "code", "id")


def replacement_demands_for_user(user: Any, *, open_only: bool = True) -> QuerySet:
    """The center's replacement demands of the user's departments, the most urgent first."""
    from .models import ReplacementDemand

    qs = ReplacementDemand.objects.select_related(
        "window", "department", "returned_stationing__staff", "fulfilled_by"
    )
    if open_only:
        qs = qs.filter(fulfilled_at__isnull=True)
    return scope(qs, user, department="department").order_by("due_date", "id")


# --- stand-ins (AB岗): windows/stand_in_reads.py ------------------------------------------------

from .stand_in_reads import (  # noqa: E402, F401  (re-exported)
    complete_pair_exists,
    stand_in_board,
    stand_in_for,
    stand_in_get_for_user,
    stand_in_list_for_user,
    stand_in_pair_for,
    windows_without_pair_count,
)
