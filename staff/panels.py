"""Sections that higher apps add to the staff detail page, without ``staff`` importing them.

An app registers a panel from its ``AppConfig.ready()``::

    from staff.panels import register_staff_panel
    register_staff_panel(key="stationings", order=20, template="windows/_staff_panel.html",
                         context=stationing_panel_context, perm=Perm.STAFF_VIEW)

``context(user, person)`` returns the template's context (or ``None`` to hide the panel). It must
run a constant number of queries and read only what ``user`` may see.

A panel that names the models it reads (``depends_on``) is rendered once and its HTML cached by
``core.derived`` until a write to one of them: per person, per viewer (user, role, departments,
language, day, and ``cache_key(user, person)`` for anything else its context depends on), so no
viewer ever gets another's panel. Such a template sees only ``panel`` (no request, ``user`` or
``perms``: put what it needs in the context) and may show of the person only ``person.pk``
unless it depends on ``staff.Staff``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import derived

from .permissions import has_perm, scope_key


@dataclass(frozen=True)
class StaffPanel:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    perm: str | None = None
    depends_on: tuple[str, ...] | Callable[[], Iterable[str] | None] = ()
    cache_key: Callable[[Any, Any], Hashable] | None = None


_PANELS: dict[str, StaffPanel] = {}


def register_staff_panel(
    *,
    key: str,
    order: int,
    template: str,
    context: Callable[[Any, Any], dict[str, Any] | None],
    perm: str | None = None,
    depends_on: Iterable[str] | Callable[[], Iterable[str] | None] = (),
    cache_key: Callable[[Any, Any], Hashable] | None = None,
) -> None:
    """``depends_on``: the models the context reads, or a function returning them (``None``:
    not known, so not cached) when that is only known later."""
    if not callable(depends_on):
        depends_on = tuple(depends_on)
        derived.watch(*depends_on)  # from AppConfig.ready(): every process bumps on writes
    _PANELS[key] = StaffPanel(
        key=key,
        order=order,
        template=template,
        context=context,
        perm=perm,
        depends_on=depends_on,
        cache_key=cache_key,
    )


def _viewer(user: Any, person: Any) -> tuple:
    """What a panel's context may depend on besides the models it reads."""
    return (
        person.pk,
        person.department_id,
        user.pk,
        scope_key(user),
        get_language(),
        timezone.localdate(),
    )


def _cached_html(panel: StaffPanel, user: Any, person: Any, depends_on) -> str | None:
    def build() -> str | None:
        context = panel.context(user, person)
        if context is None:
            return None
        return str(render_to_string(panel.template, {"panel": context}))

    parts = (_viewer(user, person), panel.cache_key(user, person) if panel.cache_key else None)
    return derived.cached(f"staff.panel.{panel.key}", parts, build, depends_on=depends_on)


def panels_for(user: Any, person: Any) -> list[dict[str, Any]]:
    """The panels ``user`` may see for ``person``, in order: each either ``html`` (rendered, from
    the cache when the panel says what it reads) or a ``template`` and its ``context``."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.perm is not None and not has_perm(user, panel.perm):
            continue
        depends_on = panel.depends_on() if callable(panel.depends_on) else panel.depends_on
        if depends_on:
            html = _cached_html(panel, user, person, depends_on)
            if html is not None:
                rendered.append({"key": panel.key, "html": mark_safe(html)})  # noqa: S308
            continue
        context = panel.context(user, person)
        if context is not None:
            rendered.append({"key": panel.key, "template": panel.template, "context": context})
    return rendered
