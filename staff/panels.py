"""Sections that higher apps add to the staff detail page, without ``staff`` importing them.

An app registers a panel from its ``AppConfig.ready()``::

    from staff.panels import register_staff_panel
    register_staff_panel(key="stationings", order=20, template="windows/_staff_panel.html",
                         context=stationing_panel_context, perm=Perm.STAFF_VIEW)

``context(user, person)`` returns the template's context (or ``None`` to hide the panel). It must
run a constant number of queries and read only what ``user`` may see. Panels are computed on every
request (nothing is cached), so a write shows at once: keep a panel cheap by reading indexed rows
of one person, or rows a service keeps up to date, never an aggregate over a big table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .permissions import has_perm


@dataclass(frozen=True)
class StaffPanel:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    perm: str | None = None


_PANELS: dict[str, StaffPanel] = {}


def register_staff_panel(
    *,
    key: str,
    order: int,
    template: str,
    context: Callable[[Any, Any], dict[str, Any] | None],
    perm: str | None = None,
) -> None:
    """Add (or replace) the panel named ``key``; ``perm``, when given, is checked first."""
    _PANELS[key] = StaffPanel(key=key, order=order, template=template, context=context, perm=perm)


def panels_for(user: Any, person: Any) -> list[dict[str, Any]]:
    """The panels ``user`` may see for ``person``, in order, each a ``template`` and its
    ``context``."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.perm is not None and not has_perm(user, panel.perm):
            continue
        context = panel.context(user, person)
        if context is not None:
            rendered.append({"key": panel.key, "template": panel.template, "context": context})
    return rendered
