"""What a system client may hold: a registry of scopes, each declared by the app that serves it
with a translated label (``register_scope`` in the app's ``AppConfig.ready``). ``core`` knows no
app: it validates a client's scopes against whatever the apps registered, and shows them in words.

Registered today: ``attendance.punch`` and ``hall.screen`` (attendance), ``ratings.push`` and
``cases.push`` (assessments); ``workload.push`` is the workload app's.
"""

from __future__ import annotations

from django.utils.functional import Promise

_SCOPES: dict[str, str | Promise] = {}


def register_scope(name: str, label: str | Promise) -> None:
    """Declare (or relabel) a scope a system client may hold."""
    _SCOPES[name] = label


def scope_choices() -> list[tuple[str, str]]:
    """(name, label in words) of every registered scope, by name."""
    return [(name, str(label)) for name, label in sorted(_SCOPES.items())]


def scope_label(name: str) -> str:
    """The scope in words (an unregistered one, kept from before, by its name)."""
    label = _SCOPES.get(name)
    return str(label) if label is not None else name


def unknown_scopes(names: list[str]) -> list[str]:
    return sorted(set(names) - set(_SCOPES))
