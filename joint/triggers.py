"""Suggested talks: a registry of trigger functions, each proposing people a department should
talk with, and why. What they propose is kept as rows (``joint.SuggestedTalk``) by
``joint/suggestions.py``; pages read the rows, never the triggers.

A trigger is ``trigger(staff_ids, today) -> list[Suggestion]``: ``staff_ids`` is a frozenset of
people to recompute (a service refreshing the people an event concerns), or ``None`` for everyone
(the daily sweep and the rebuild); it must run a constant number of queries (whatever the number
of people) and propose only people who have had no talk since the event it reports (``since``),
so a suggestion disappears once the talk is recorded. A suggestion that comes or goes with the
calendar says so (``due``, ``until``), so the rows stay exact between sweeps without a write.

The built-in triggers are in ``joint/builtin_triggers.py``. Other apps add theirs with
:func:`register_trigger`; an event that raises or settles one of theirs must be announced with
``core.events.emit("staff_event", staff_ids=[...])`` by the service that writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.functional import Promise

from staff.models import Staff, StaffStatus

from .models import TalkKind


@dataclass(frozen=True)
class Suggestion:
    staff_id: int
    reason: str  # the registered trigger's key; its label is shown
    since: date  # the event that calls for the talk (a talk on or after it settles it)
    kind: str = TalkKind.ROUTINE  # the kind of talk to hold, preset in the talk form
    due: date | None = None  # shown from this day (None: from ``since``)
    until: date | None = None  # shown up to this day (None: until recomputed)

    @property
    def shown_from(self) -> date:
        return self.due or self.since


Trigger = Callable[[frozenset[int] | None, date], list[Suggestion]]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    function: Trigger


_TRIGGERS: dict[str, _Registered] = {}


def register_trigger(key: str, label: str | Promise, function: Trigger) -> None:
    """Add (or replace) a trigger. ``label`` is the reason shown on the suggested-talk list.
    Rows of a newly registered trigger appear at the next rebuild or sweep (or refresh of a
    person)."""
    _TRIGGERS[key] = _Registered(key=key, label=label, function=function)


def reason_labels() -> dict[str, str]:
    return {key: str(entry.label) for key, entry in _TRIGGERS.items()}


def compute(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """Every registered trigger's suggestions for ``staff_ids`` (None: everyone), as of
    ``today``: what the rows should hold. A constant number of queries."""
    found: list[Suggestion] = []
    for entry in list(_TRIGGERS.values()):
        found.extend(entry.function(staff_ids, today))
    return found


# --- helpers for trigger authors ---


def people(staff_ids: Iterable[int] | None) -> QuerySet[Staff]:
    """Window staff still in service, limited to ``staff_ids`` (None: all)."""
    qs = Staff.objects.exclude(status=StaffStatus.LEFT)
    if staff_ids is not None:
        qs = qs.filter(pk__in=staff_ids)
    return qs


def of_people(qs: QuerySet, staff_ids: Iterable[int] | None, staff: str = "staff") -> QuerySet:
    """Rows of ``qs`` about people in service, limited to ``staff_ids`` (None: all)."""
    qs = qs.exclude(**{f"{staff}__status": StaffStatus.LEFT})
    if staff_ids is not None:
        qs = qs.filter(**{f"{staff}_id__in": staff_ids})
    return qs
