"""The sidebar: what each role sees. Items appear only when the user holds the permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staff.models import Role
from staff.permissions import Perm, has_perm, role_of


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    icon: str
    perm: str | None
    section: str


ITEMS = [
    NavItem(_("HR home"), "promotions:hr_home", "person-workspace", Perm.HR_HOME, "hr-home"),
    NavItem(_("Dashboard"), "portal:dashboard", "speedometer2", Perm.DASHBOARD_VIEW, "dashboard"),
    NavItem(_("My department"), "portal:liaison_home", "house", Perm.LIAISON_HOME, "liaison"),
    NavItem(_("Staff"), "staff:list", "people", Perm.STAFF_LIST, "staff"),
    NavItem(
        _("Departments"), "staff:department_list", "building", Perm.DEPARTMENT_LIST, "departments"
    ),
    NavItem(
        _("Department window"), "joint:department", "people-fill", Perm.JOINT_DEPARTMENT, "joint"
    ),
    NavItem(_("Joint management"), "joint:center", "chat-heart", Perm.JOINT_CENTER, "joint-center"),
    NavItem(_("Visits"), "joint:visit_list", "signpost-split", Perm.VISIT_LIST, "joint-visits"),
    NavItem(_("Roster import"), "staff:import", "upload", Perm.STAFF_IMPORT, "import"),
    # --- windows app (issue #3) ---
    NavItem(_("Window board"), "windows:board", "grid-3x3-gap", Perm.WINDOW_VIEW, "windows"),
    NavItem(
        _("Transfer requests"),
        "windows:transfer_list",
        "arrow-left-right",
        Perm.TRANSFER_VIEW,
        "transfers",
    ),
    # --- end windows app ---
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
    # --- training (issue #5) ---
    NavItem(
        _("My training"), "training:my", "mortarboard", Perm.TRAINING_SELF_ENROLL, "my-training"
    ),
    NavItem(
        _("Training catalog"),
        "training:catalog",
        "journal-bookmark",
        Perm.TRAINING_VIEW,
        "training",
    ),
    NavItem(
        _("Training calendar"),
        "training:calendar",
        "calendar3",
        Perm.TRAINING_VIEW,
        "training-calendar",
    ),
    NavItem(
        _("Policy updates"),
        "training:policy_list",
        "megaphone",
        Perm.TRAINING_VIEW,
        "policy-updates",
    ),
    NavItem(
        _("Training hours"),
        "training:hours",
        "hourglass-split",
        Perm.TRAINING_REPORTS,
        "training-hours",
    ),
    NavItem(
        _("Training reports"),
        "training:reports",
        "bar-chart",
        Perm.TRAINING_REPORTS,
        "training-reports",
    ),
    # --- end training ---
    # --- promotions (issue #6): the workflow ---
    NavItem(
        _("Recommendations"),
        "promotions:recommendation_list",
        "hand-thumbs-up",
        Perm.PROMOTION_VIEW,
        "recommendations",
    ),
    NavItem(
        _("Reference requests"),
        "promotions:reference_list",
        "question-circle",
        Perm.REFERENCE_VIEW,
        "reference-requests",
    ),
    NavItem(
        _("Reserve cadres"), "promotions:reserve_board", "stars", Perm.RESERVE_MANAGE, "reserve"
    ),
    # --- end promotions workflow ---
    # --- notifications app
    NavItem(
        _("Notifications"), "notifications:list", "bell", Perm.NOTIFICATIONS_VIEW, "notifications"
    ),
]


# A center administrator holds every permission, but "My department" is a liaison's page and "My
# training" a window staff member's: shown only to those roles.
PERSONAL_SECTIONS = {"liaison": Role.LIAISON, "my-training": Role.STAFF}


def items_for(user) -> list[dict]:
    result = []
    role = role_of(user)
    for item in ITEMS:
        if item.section in PERSONAL_SECTIONS and role != PERSONAL_SECTIONS[item.section]:
            continue
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
