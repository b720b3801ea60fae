"""Events this app announces after commit, for whoever wants to react (the notifications app,
wired by the lead in the composition layer): ``subscribe(handler)``; ``handler(kind, **ids)``.

Kinds: ``talk_requested`` (request_id, staff_id), ``talk_recorded`` (talk_id, staff_id),
``follow_up_changed`` (follow_up_id, state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

_HANDLERS: list[Callable[..., Any]] = []


def subscribe(handler: Callable[..., Any]) -> None:
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)


def emit_on_commit(kind: str, **ids: Any) -> None:
    def send() -> None:
        for handler in list(_HANDLERS):
            handler(kind, **ids)

    transaction.on_commit(send)
