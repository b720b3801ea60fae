"""The staff detail page's training section: skills, gaps (the menu) and history."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import selectors
from .gaps import gap_source_dependencies
from .menu import MENU_DEPENDS, menu_for


def staff_panel_depends() -> tuple[str, ...] | None:
    """What the panel reads (the rendered panel is cached by ``staff.panels`` until one is
    written); ``None`` while a gap source does not say what it reads."""
    sources = gap_source_dependencies()
    if sources is None:
        return None
    return (*MENU_DEPENDS, *sources, "training.StaffSkill", "staff.Department")


def staff_training_panel(user: Any, person: Any) -> dict[str, Any]:
    """Constant number of queries: skills, history, hours, and the one-person menu."""
    today = timezone.localdate()
    hours = selectors.hours_for_person(person, today.year)
    return {
        "person": person,
        "today": today,
        "skills": list(selectors.staff_skills(person)),
        "menu": menu_for(person.pk, today=today),
        "history": list(selectors.training_history(person)[:20]),
        "hours": hours,
        "target": selectors.annual_target(),
    }
