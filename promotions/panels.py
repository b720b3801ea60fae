"""The staff detail page's "Recommendations and eligibility" panel (``staff.panels``): the
person's recommendations (drafts only for the center) and their eligibility flags, in two
queries, computed on every request. Window staff see no panel."""

from __future__ import annotations

from typing import Any

from staff.panels import register_staff_panel
from staff.permissions import Perm, has_perm

from . import eligibility
from .selectors import recommendations_of


def panel_context(user: Any, person: Any) -> dict[str, Any] | None:
    if not has_perm(user, Perm.PROMOTION_VIEW):
        return None
    # ``person`` was fetched through the user's scope by the staff page (404 otherwise)
    recommendations = recommendations_of(user, person)
    return {
        "person": person,
        "recommendations": recommendations,
        "flags": eligibility.flags_for(person.pk),
        "can_recommend": has_perm(user, Perm.RECOMMENDATION_EDIT),
    }


def register() -> None:
    register_staff_panel(
        key="promotions",
        order=70,
        template="promotions/_staff_panel.html",
        context=panel_context,
        perm=Perm.PROMOTION_VIEW,
    )
