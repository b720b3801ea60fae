"""The sidebar: what each role sees. Items appear only when the user holds the permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staff.models import Role
from staff.permissions import Perm, has_perm


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    icon: str
    perm: str | None
    section: str


ITEMS = [
    NavItem(_("Dashboard"), "portal:dashboard", "speedometer2", Perm.DASHBOARD_VIEW, "dashboard"),
    NavItem(_("Staff"), "staff:list", "people", Perm.STAFF_LIST, "staff"),
    NavItem(
        _("Departments"), "staff:department_list", "building", Perm.DEPARTMENT_LIST, "departments"
    ),
    NavItem(_("Roster import"), "staff:import", "upload", Perm.STAFF_IMPORT, "import"),
    NavItem(_("Audit trail"), "portal:audit", "journal-text", Perm.AUDIT_VIEW, "audit"),
    # --- assessments (issue #4) ---
    NavItem(
        _("Assessment board"), "assessments:board", "clipboard-data", Perm.ASSESSMENT_BOARD, "asb"
    ),
    NavItem(
        _("Record an entry"),
        "assessments:entry_create",
        "plus-circle",
        Perm.ASSESSMENT_ENTRY_EDIT,
        "ase",
    ),
    NavItem(_("Appeals"), "assessments:appeal_list", "megaphone", Perm.ASSESSMENT_BOARD, "asa"),
    NavItem(_("Rankings"), "assessments:rankings", "trophy", Perm.ASSESSMENT_BOARD, "asr"),
    NavItem(
        _("Rectification"),
        "assessments:rectification_list",
        "tools",
        Perm.ASSESSMENT_VIEW,
        "asc",
    ),
    NavItem(
        _("Rating statistics"),
        "assessments:rating_stats",
        "bar-chart",
        Perm.ASSESSMENT_BOARD,
        "ass",
    ),
    NavItem(_("Awards"), "assessments:award_list", "award", Perm.ASSESSMENT_BOARD, "asw"),
    # --- notifications app
    NavItem(
        _("Notifications"), "notifications:list", "bell", Perm.NOTIFICATIONS_VIEW, "notifications"
    ),
]


def items_for(user) -> list[dict]:
    result = []
    for item in ITEMS:
        if item.perm is None or has_perm(user, item.perm):
            result.append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "icon": item.icon,
                    "section": item.section,
                }
            )
    person = (
        getattr(user, "staff_profile", None)
        if user.is_authenticated and user.role == Role.STAFF
        else None
    )
    if person is not None:
        result.insert(
            0,
            {
                "label": _("My record"),
                "url": reverse("staff:detail", args=[person.pk]),
                "icon": "person-badge",
                "section": "me",
            },
        )
        # --- assessments (issue #4) ---
        result.insert(
            1,
            {
                "label": _("My assessment"),
                "url": reverse("assessments:my_record"),
                "icon": "clipboard-check",
                "section": "my-assessment",
            },
        )
    return result
