"""The staff detail page's training section: hours, skills and history, computed on every
request from the rows (hours from ``TrainingHours``, kept by the attendance service). The menu
(gaps and the courses closing them) is the heaviest read of the training app (the catalog and
every gap source): the panel loads it from ``training:person_menu`` (htmx), so the staff page
stays within its query budget and the menu within its own."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import selectors


def staff_training_panel(user: Any, person: Any) -> dict[str, Any]:
    """Three queries: skills, history, hours."""
    today = timezone.localdate()
    return {
        "person": person,
        "today": today,
        "skills": list(selectors.staff_skills(person)),
        "history": list(selectors.training_history(person)[:20]),
        "hours": selectors.hours_for_person(person, today.year),
        "target": selectors.annual_target(),
    }
