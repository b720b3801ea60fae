"""The department page's sections (``templates/joint/_*.html``), rendered once here so the
liaison home (portal) includes the same cards as /joint/."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from staff.permissions import Perm, has_perm

from . import report as reports
from . import selectors


def department_sections(user, department, today, staff_page=None) -> dict:
    """The context of the department page's sections (``templates/joint/_*.html``), so the
    liaison home includes the same ones: each card rendered here from indexed rows (the
    suggested talks are rows the services keep, joint/suggestions.py), nothing cached. A constant
    number of queries whatever the department's size."""
    can_record = has_perm(user, Perm.TALK_EDIT)
    try:
        number = max(1, int(staff_page))
    except (TypeError, ValueError):
        number = 1
    suggestions, suggestion_total = selectors.suggested_talks_for_user(user, department, today)
    report = reports.monthly_report(
        user=user, department=department, first=today.replace(day=1), today=today, with_people=False
    )
    return {
        "department": department,
        "today": today,
        "staff_card": _render(
            "joint/_staff.html",
            {
                "staff_page": selectors.department_staff(
                    department, today, number, user=user, count=report.at_windows
                ),
                "query": f"department={department.pk}",
                "can_record": can_record,
            },
        ),
        "visits": selectors.department_visits(department, 10),
        "talks_card": _render(
            "joint/_talks.html",
            {
                "talks": selectors.department_talk_list_for_user(user, department.pk)[:10],
                "department": department,
            },
        ),
        "suggested_card": _render(
            "joint/_suggested.html",
            {
                "suggestions": suggestions,
                "suggestion_total": suggestion_total,
                "department": department,
                "can_record": can_record,
            },
        ),
        "suggestion_total": suggestion_total,
        "follow_ups_card": _render(
            "joint/_follow_ups.html",
            {
                "follow_ups": selectors.department_open_follow_ups(user, department.pk)[:50],
                "today": today,
            },
        ),
        "report_card": _render("joint/_report.html", {"report": report}),
    }


def _render(template: str, context: dict) -> str:
    return mark_safe(render_to_string(template, context))  # noqa: S308 -- our templates
