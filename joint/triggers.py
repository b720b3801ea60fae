"""Suggested talks: a registry of trigger functions, each proposing people a department should
talk with, and why.

A trigger is ``trigger(department_ids, today) -> list[SuggestedTalk]``: ``department_ids`` is a
frozenset of department ids, or ``None`` for every department; it must run a constant number of
queries (whatever the number of people) and propose only people who have had no talk since the
event it reports (``since``), so a suggestion disappears once the talk is recorded.

Built in: 12 months without a talk, a transfer in the last 30 days, a person's own request. The
assessments app (deductions, bad-rating streaks, upheld appeals) registers its own from the
composition layer with :func:`register_trigger`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staff.models import Staff, StaffStatus
from windows.models import Stationing

from .models import Talk, TalkKind, TalkRequest, TalkRequestState


@dataclass(frozen=True)
class SuggestedTalk:
    staff_id: int
    reason: str  # the registered trigger's key; its label is shown
    since: date  # the event that calls for the talk (a talk on or after it settles it)
    kind: str = TalkKind.ROUTINE  # the kind of talk to hold, preset in the talk form


Trigger = Callable[[frozenset[int] | None, date], list[SuggestedTalk]]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    function: Trigger


_TRIGGERS: dict[str, _Registered] = {}


def register_trigger(key: str, label: str | Promise, function: Trigger) -> None:
    """Add (or replace) a trigger. ``label`` is the reason shown on the suggested-talk list."""
    _TRIGGERS[key] = _Registered(key=key, label=label, function=function)


def reason_labels() -> dict[str, str]:
    return {key: str(entry.label) for key, entry in _TRIGGERS.items()}


def suggested_talks(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """Every registered trigger's suggestions, oldest event first, then by person."""
    found: list[SuggestedTalk] = []
    for entry in _TRIGGERS.values():
        found.extend(entry.function(department_ids, today))
    return sorted(found, key=lambda s: (s.since, s.staff_id, s.reason))


# --- helpers for trigger authors ---


def people(department_ids: Iterable[int] | None) -> QuerySet[Staff]:
    """Window staff still in service, limited to ``department_ids`` (None: all)."""
    qs = Staff.objects.exclude(status=StaffStatus.LEFT)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return qs


# --- built-in triggers ---

TALK_INTERVAL_DAYS = 365
TRANSFER_WINDOW_DAYS = 30


def twelve_months_without_talk(
    department_ids: frozenset[int] | None, today: date
) -> list[SuggestedTalk]:
    """People with an open stationing whose last talk (or, never talked with, their stationing
    start) is 12 months ago or more. ``since`` is that date."""
    open_start = Stationing.objects.filter(staff_id=OuterRef("pk"), end_date__isnull=True).values(
        "start_date"
    )[:1]
    last_talk = (
        Talk.objects.filter(staff_id=OuterRef("pk"))
        .values("staff_id")
        .annotate(last=Max("date"))
        .values("last")[:1]
    )
    cutoff = today - timedelta(days=TALK_INTERVAL_DAYS)
    rows = (
        people(department_ids)
        .annotate(
            open_start=Subquery(open_start, output_field=DateField()),
            last_talk=Subquery(last_talk, output_field=DateField()),
        )
        .filter(open_start__isnull=False)
        .annotate(since=Coalesce(F("last_talk"), F("open_start"), output_field=DateField()))
        .filter(since__lte=cutoff)
        .values_list("id", "since")
    )
    return [SuggestedTalk(staff_id=pk, reason="no_talk_12_months", since=s) for pk, s in rows]


def recent_transfer(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """A stationing that started or ended in the last 30 days, with no talk since: an
    after-transfer talk (started) or a before/after-transfer talk (ended)."""
    start = today - timedelta(days=TRANSFER_WINDOW_DAYS)
    qs = Stationing.objects.filter(
        Q(start_date__gte=start, start_date__lte=today)
        | Q(end_date__gte=start, end_date__lte=today)
    ).exclude(staff__status=StaffStatus.LEFT)
    if department_ids is not None:
        qs = qs.filter(staff__department_id__in=department_ids)
    latest: dict[int, SuggestedTalk] = {}
    rows = qs.values_list("staff_id", "start_date", "end_date")
    events = []
    for staff_id, started, ended in rows:
        if ended is not None and start <= ended <= today:
            events.append((staff_id, ended, TalkKind.AFTER_TRANSFER))
        if start <= started <= today:
            events.append((staff_id, started, TalkKind.AFTER_TRANSFER))
    if not events:
        return []
    talked = dict(
        Talk.objects.filter(staff_id__in={e[0] for e in events}, date__gte=start)
        .values_list("staff_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    for staff_id, when, kind in events:
        if talked.get(staff_id) is not None and talked[staff_id] >= when:
            continue
        current = latest.get(staff_id)
        if current is None or when > current.since:
            latest[staff_id] = SuggestedTalk(
                staff_id=staff_id, reason="transfer", since=when, kind=kind
            )
    return list(latest.values())


def requested_by_person(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """Open requests the people made from their own record page."""
    qs = TalkRequest.objects.filter(state=TalkRequestState.OPEN)
    if department_ids is not None:
        qs = qs.filter(staff__department_id__in=department_ids)
    rows = qs.annotate(day=TruncDate("created_at")).values_list("staff_id", "day")
    return [
        SuggestedTalk(staff_id=pk, reason="requested", since=day, kind=TalkKind.ON_REQUEST)
        for pk, day in rows
    ]


def register_builtin_triggers() -> None:
    register_trigger("no_talk_12_months", _("No talk for 12 months"), twelve_months_without_talk)
    register_trigger("transfer", _("Transferred in the last 30 days"), recent_transfer)
    register_trigger("requested", _("Requested by the person"), requested_by_person)
