"""Award vetoes: a higher app that knows why someone may not get an award (attendance: five late
arrivals in the month bar the service star) registers a function here; the award selection
leaves out everyone it names. The registry keeps assessments free of imports from above."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# award kind -> functions(period) -> {staff_id: [reasons]}
_VETOES: dict[str, list[Callable[[Any], dict[int, list[str]]]]] = {}


def register(kind: str, veto: Callable[[Any], dict[int, list[str]]]) -> None:
    if veto not in _VETOES.setdefault(kind, []):
        _VETOES[kind].append(veto)


def barred(kind: str, period: Any) -> dict[int, list[str]]:
    """Everyone barred from ``kind`` in ``period``, with the reasons of every registered veto."""
    found: dict[int, list[str]] = {}
    for veto in _VETOES.get(kind, []):
        for staff_id, reasons in veto(period).items():
            found.setdefault(staff_id, []).extend(reasons)
    return found
