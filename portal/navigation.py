"""The sidebar: what each role sees. Items appear only when the user holds the permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Role
from staff.permissions import Perm, has_perm, role_of


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    icon: str
    perm: str | None
    section: str
    group: str = ""


# Sidebar groups, in order; items of the "" group come first, without a heading.
GROUPS = {
    "": None,
    "people": pgettext_lazy("sidebar group", "People"),
    "windows": pgettext_lazy("sidebar group", "Windows"),
    "assessments": pgettext_lazy("sidebar group", "Assessment"),
    "attendance": pgettext_lazy("sidebar group", "Attendance"),
    "training": pgettext_lazy("sidebar group", "Training"),
    "promotions": pgettext_lazy("sidebar group", "Promotion"),
    "joint": pgettext_lazy("sidebar group", "Joint management"),
    "system": pgettext_lazy("sidebar group", "System"),
}

# Headings appear only in a long sidebar (a window staff member's few entries need none).
HEADINGS_FROM = 10  # a window staff member has 9 (My attendance, issue #17, is the 9th)

ITEMS = [
    NavItem(_("HR home"), "promotions:hr_home", "person-workspace", Perm.HR_HOME, "hr-home"),
    NavItem(_("Dashboard"), "portal:dashboard", "speedometer2", Perm.DASHBOARD_VIEW, "dashboard"),
    NavItem(_("My department"), "portal:liaison_home", "house", Perm.LIAISON_HOME, "liaison"),
    NavItem(
        _("My training"), "training:my", "mortarboard", Perm.TRAINING_SELF_ENROLL, "my-training"
    ),
    NavItem(
        _("Notifications"), "notifications:list", "bell", Perm.NOTIFICATIONS_VIEW, "notifications"
    ),
    # --- staff and departments ---
    NavItem(_("Staff"), "staff:list", "people", Perm.STAFF_LIST, "staff", "people"),
    NavItem(
        _("Departments"),
        "staff:department_list",
        "building",
        Perm.DEPARTMENT_LIST,
        "departments",
        "people",
    ),
    NavItem(_("Roster import"), "staff:import", "upload", Perm.STAFF_IMPORT, "import", "people"),
    NavItem(
        _("Go-live import"),
        "windows:stationing_import",
        "box-arrow-in-down",
        Perm.STATIONING_IMPORT,
        "go-live-import",
        "people",
    ),
    NavItem(
        _("Accounts"), "staff:accounts", "person-badge", Perm.ACCOUNT_MANAGE, "accounts", "people"
    ),
    # --- windows ---
    NavItem(
        _("Window board"), "windows:board", "grid-3x3-gap", Perm.WINDOW_VIEW, "windows", "windows"
    ),
    NavItem(
        _("Transfer requests"),
        "windows:transfer_list",
        "arrow-left-right",
        Perm.TRANSFER_VIEW,
        "transfers",
        "windows",
    ),
    NavItem(
        _("Stand-ins (A/B posts)"),
        "windows:stand_in_board",
        "people-fill",
        Perm.STAND_IN_VIEW,
        "stand-ins",
        "windows",
    ),
    NavItem(
        _("Inspection rounds"),
        "inspections:round_list",
        "binoculars",
        Perm.INSPECTION_VIEW,
        "inspections",
        "windows",
    ),
    # --- assessments ---
    NavItem(
        _("Assessment board"),
        "assessments:board",
        "clipboard-data",
        Perm.ASSESSMENT_BOARD,
        "asb",
        "assessments",
    ),
    NavItem(
        _("Record an entry"),
        "assessments:entry_create",
        "plus-circle",
        Perm.ASSESSMENT_ENTRY_EDIT,
        "ase",
        "assessments",
    ),
    NavItem(
        _("Appeals"),
        "assessments:appeal_list",
        "megaphone",
        Perm.ASSESSMENT_BOARD,
        "asa",
        "assessments",
    ),
    NavItem(
        _("Rankings"), "assessments:rankings", "trophy", Perm.ASSESSMENT_BOARD, "asr", "assessments"
    ),
    NavItem(
        _("Rectification"),
        "assessments:rectification_list",
        "tools",
        Perm.ASSESSMENT_VIEW,
        "asc",
        "assessments",
    ),
    NavItem(
        _("Rating statistics"),
        "assessments:rating_stats",
        "bar-chart",
        Perm.ASSESSMENT_BOARD,
        "ass",
        "assessments",
    ),
    NavItem(
        _("Awards"), "assessments:award_list", "award", Perm.ASSESSMENT_BOARD, "asw", "assessments"
    ),
    NavItem(
        _("Assessment rules"),
        "assessments:rule_list",
        "list-check",
        Perm.ASSESSMENT_BOARD,  # window staff open it from their own record
        "asrl",
        "assessments",
    ),
    NavItem(  # issue #18: the case system's overdue cases
        _("Overdue cases"),
        "assessments:case_deductions",
        "hourglass-split",
        Perm.ASSESSMENT_ENTRY_EDIT,
        "asoc",
        "assessments",
    ),
    # --- workload (issue #18): the page is scoped; window staff see theirs on their staff page ---
    NavItem(
        _("Workload"),
        "workload:month",
        "bar-chart-line",
        Perm.ASSESSMENT_BOARD,
        "workload",
        "assessments",
    ),
    # --- attendance (issue #17) ---
    NavItem(
        _("Attendance"),
        "attendance:day",
        "fingerprint",
        Perm.ATTENDANCE_LIST,
        "attendance",
        "attendance",
    ),
    NavItem(
        _("On-duty board"),
        "attendance:board",
        "person-badge",
        Perm.ATTENDANCE_LIST,
        "on-duty",
        "attendance",
    ),
    NavItem(
        _("My attendance"),
        "attendance:me",
        "fingerprint",
        Perm.ATTENDANCE_REQUEST,
        "my-attendance",
        "attendance",
    ),
    NavItem(
        _("Leave"),
        "attendance:leave_list",
        "calendar-x",
        Perm.ATTENDANCE_LIST,
        "leave",
        "attendance",
    ),
    # --- training ---
    NavItem(
        _("Training catalog"),
        "training:catalog",
        "journal-bookmark",
        Perm.TRAINING_VIEW,
        "training",
        "training",
    ),
    NavItem(
        _("Training calendar"),
        "training:calendar",
        "calendar3",
        Perm.TRAINING_VIEW,
        "training-calendar",
        "training",
    ),
    NavItem(
        _("Policy updates"),
        "training:policy_list",
        "megaphone",
        Perm.TRAINING_VIEW,
        "policy-updates",
        "training",
    ),
    NavItem(
        _("Training hours"),
        "training:hours",
        "hourglass-split",
        Perm.TRAINING_REPORTS,
        "training-hours",
        "training",
    ),
    NavItem(
        _("Training reports"),
        "training:reports",
        "bar-chart",
        Perm.TRAINING_REPORTS,
        "training-reports",
        "training",
    ),
    # --- promotions ---
    NavItem(
        _("Recommendations"),
        "promotions:recommendation_list",
        "hand-thumbs-up",
        Perm.PROMOTION_VIEW,
        "recommendations",
        "promotions",
    ),
    NavItem(
        _("Reference requests"),
        "promotions:reference_list",
        "question-circle",
        Perm.REFERENCE_VIEW,
        "reference-requests",
        "promotions",
    ),
    NavItem(
        _("Reserve cadres"),
        "promotions:reserve_board",
        "stars",
        Perm.RESERVE_MANAGE,
        "reserve",
        "promotions",
    ),
    # --- joint management with the home departments ---
    NavItem(
        _("Department window"),
        "joint:department",
        "people-fill",
        Perm.JOINT_DEPARTMENT,
        "joint",
        "joint",
    ),
    NavItem(
        _("Joint management"),
        "joint:center",
        "chat-heart",
        Perm.JOINT_CENTER,
        "joint-center",
        "joint",
    ),
    NavItem(
        _("Visits"), "joint:visit_list", "signpost-split", Perm.VISIT_LIST, "joint-visits", "joint"
    ),
    # --- system ---
    NavItem(_("Audit trail"), "portal:audit", "journal-text", Perm.AUDIT_VIEW, "audit", "system"),
    NavItem(
        _("System clients"),
        "portal:client_list",
        "plug",
        Perm.SYSTEM_CLIENT_MANAGE,
        "system-clients",
        "system",
    ),
]


# A center administrator holds every permission, but "My department" is a liaison's page and "My
# training" and "My attendance" a window staff member's: shown only to those roles.
PERSONAL_SECTIONS = {
    "liaison": Role.LIAISON,
    "my-training": Role.STAFF,
    "my-attendance": Role.STAFF,
}


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
                    "group": item.group,
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
                "group": "",
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
                "group": "",
            },
        )
    if len(result) >= HEADINGS_FROM:
        seen = set()
        for entry in result:
            if entry["group"] not in seen:
                seen.add(entry["group"])
                entry["heading"] = GROUPS[entry["group"]]
    return result
