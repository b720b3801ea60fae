"""A tiny in-process registry through which a lower app's service tells the apps above it that
something happened, without importing them (apps import one way only; see README).

The writer calls :func:`emit` *inside its transaction*, so every subscriber's work (rows it keeps
exact, e.g. joint's suggested talks) commits or rolls back with the write itself::

    # windows/services/transfers/apply.py, inside transaction.atomic
    events.emit("staff_event", staff_ids=[person.pk])

    # joint/apps.py, JointConfig.ready()
    events.subscribe("staff_event", suggestions.on_staff_event)

A handler is ``handler(**payload)``; it runs synchronously, in subscription order, and an
exception it raises propagates to the writer (rolling back the write) — a subscriber keeping rows
exact must not be skipped silently. Not a signal: nothing fires on ``save()``; only services
emit, explicitly, one line each.

Topics:

``staff_event`` (``staff_ids``: the people concerned)
    Something happened to these people that may call for a heart-to-heart talk or settle one: a
    stationing started or ended (a transfer took effect), a deduction or bonus was recorded, an
    appeal was decided, a citizen rating was recorded or invalidated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STAFF_EVENT = "staff_event"

_HANDLERS: dict[str, list[Callable[..., Any]]] = {}


def subscribe(topic: str, handler: Callable[..., Any]) -> None:
    """Call ``handler(**payload)`` on every :func:`emit` of ``topic`` (once, however often it
    subscribes)."""
    handlers = _HANDLERS.setdefault(topic, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(topic: str, handler: Callable[..., Any]) -> None:
    handlers = _HANDLERS.get(topic, [])
    if handler in handlers:
        handlers.remove(handler)


def emit(topic: str, **payload: Any) -> None:
    """Run every handler of ``topic`` now, in the caller's transaction."""
    for handler in list(_HANDLERS.get(topic, ())):
        handler(**payload)
