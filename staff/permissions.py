"""Who may do what, and which rows they may see. The one place that decides it.

Two questions, answered separately:

* **Action** — may this role do this at all? ``ROLE_PERMISSIONS`` below, exposed to Django through
  :class:`RolePermissionBackend` so ``user.has_perm("staff.edit")``, ``{% if perms.staff.edit %}``,
  ``PermissionRequiredMixin`` and :class:`HasPermission` (DRF) all read the same table. A missing
  permission answers 403.
* **Scope** — which rows? :func:`scope` filters any queryset by the user's departments (liaison),
  by the user's own person (window staff) or not at all (center, HR). Objects are always fetched
  through a scoped queryset, so another department's object answers 404.

Higher apps add their permissions here as plain strings; nothing here imports them.

Long because: besides the mechanism (the role table's backend, ``scope``, the three adapters) it
still holds every app's permission names and role grants; issue #21's "each app registers its own
permissions" moves those into the apps and leaves the mechanism alone here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin as DjangoPermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from rest_framework.permissions import BasePermission

from notifications.permissions import VIEW as _NOTIFICATIONS_VIEW

from .models import Role


class Perm:
    DASHBOARD_VIEW = "portal.dashboard"
    DASHBOARD_REFRESH = "portal.dashboard_refresh"  # retake the snapshot now (the center)
    AUDIT_VIEW = "portal.audit"
    SYSTEM_CLIENT_MANAGE = "portal.system_clients"  # issue #18: the hall's systems' tokens
    DEPARTMENT_LIST = "staff.department_list"
    DEPARTMENT_VIEW = "staff.department_view"
    DEPARTMENT_EDIT = "staff.department_edit"
    STAFF_LIST = "staff.list"
    STAFF_VIEW = "staff.view"
    STAFF_EDIT = "staff.edit"
    STAFF_IMPORT = "staff.import"
    STAFF_EXPORT = "staff.export"
    ID_NUMBER_VIEW = "staff.view_id_number"
    CERTIFICATE_EDIT = "staff.certificate_edit"
    # go-live (issue #16): logins in bulk, disable/enable, the center's password reset
    ACCOUNT_MANAGE = "staff.account_manage"
    # --- training (issue #5) ---
    TRAINING_VIEW = "training.view"  # catalog, calendar, sessions open to the user
    TRAINING_MANAGE = "training.manage"  # department-run courses/sessions, enrollment, attendance
    TRAINING_MANAGE_CENTER = "training.manage_center"  # center-run courses and sessions
    TRAINING_MENU = "training.menu"  # a person's menu, hours and history (scoped)
    TRAINING_SELF_ENROLL = "training.self_enroll"  # enroll oneself, give feedback
    TRAINING_SKILL_EDIT = "training.skill_edit"  # record a person's assessed skill level
    TRAINING_REPORTS = "training.reports"  # hours reports (liaison: own departments)
    POLICY_UPDATE_EDIT = "training.policy_update_edit"
    # --- end training ---
    # --- joint management (joint app): visits, talks, follow-ups, department report ---
    JOINT_DEPARTMENT = "joint.department"  # the department's page at /joint/ and its report
    JOINT_CENTER = "joint.center"  # the center's overview across departments
    VISIT_LIST = "joint.visit_list"
    VISIT_EDIT = "joint.visit_edit"
    TALK_LIST = "joint.talk_list"  # window staff: their own talks, without the notes
    TALK_EDIT = "joint.talk_edit"
    TALK_REQUEST = "joint.talk_request"  # window staff ask their department for a talk
    FOLLOW_UP_LIST = "joint.follow_up_list"
    FOLLOW_UP_TRANSITION = "joint.follow_up_transition"
    # --- end joint ---
    # --- assessments (issue #4) ---
    ASSESSMENT_VIEW = "assessments.view"  # results, entries, ratings in the user's scope
    ASSESSMENT_BOARD = "assessments.board"  # period board, rankings, statistics
    ASSESSMENT_RULE_EDIT = "assessments.rule_edit"
    ASSESSMENT_ENTRY_EDIT = "assessments.entry_edit"  # record deductions and bonuses
    ASSESSMENT_PERIOD_MANAGE = "assessments.period_manage"  # close, recompute, year-end review
    ASSESSMENT_GRADE_RECORD = "assessments.grade_record"  # the grade the home department decided
    ASSESSMENT_APPEAL_SUBMIT = "assessments.appeal_submit"
    ASSESSMENT_APPEAL_DECIDE = "assessments.appeal_decide"
    RATING_IMPORT = "assessments.rating_import"  # import and post citizen ratings
    RATING_RATER_VIEW = "assessments.rating_rater_view"  # see who rated
    RECTIFICATION_ACT = "assessments.rectification_act"  # the rated side's steps
    RECTIFICATION_DECIDE = "assessments.rectification_decide"  # the center's steps
    # --- assessments, ratings feed (issue #18) ---
    RECTIFICATION_EXTEND_REQUEST = "assessments.rectification_extend_request"  # the rated side
    RECTIFICATION_EXTEND_DECIDE = "assessments.rectification_extend_decide"  # the center only
    RATING_CALLBACK_RECORD = "assessments.rating_callback_record"  # the center only
    AWARD_MANAGE = "assessments.award_manage"
    # --- notifications app: everyone has a notification center (showing only their own) ---
    NOTIFICATIONS_VIEW = _NOTIFICATIONS_VIEW
    # --- windows app (issue #3): windows, stationings, transfers, vetting, chief appointments ---
    WINDOW_VIEW = "windows.view"
    TRANSFER_VIEW = "windows.transfer_view"
    TRANSFER_EDIT = "windows.transfer_edit"
    VETTING_RECORD = "windows.vetting_record"
    APPOINTMENT_EDIT = "windows.appointment_edit"
    STATIONING_RETURN = "windows.stationing_return"  # return a person for poor performance
    STATIONING_IMPORT = "windows.stationing_import"  # existing stationings, letters, certificates
    STAND_IN_VIEW = "windows.stand_in_view"  # A/B pairs (AB岗) and the window notice
    STAND_IN_EDIT = "windows.stand_in_edit"  # the center; a liaison for their own windows
    LIAISON_HOME = "portal.liaison_home"
    # --- end windows app ---
    # --- promotions (issue #6): recommendations, reference requests, reserve cadres, evidence ---
    PROMOTION_VIEW = "promotions.view"  # recommendations and flags in the user's scope
    RECOMMENDATION_EDIT = "promotions.recommendation_edit"  # draft, edit, submit (the center)
    RECOMMENDATION_DECIDE = "promotions.recommendation_decide"  # record adopted / not adopted
    # issue #16: the home department answers what is addressed to it and records what followed
    RECOMMENDATION_HOME_ANSWER = "promotions.recommendation_home_answer"
    REFERENCE_VIEW = "promotions.reference_view"
    REFERENCE_REQUEST = "promotions.reference_request"  # HR raises and withdraws its own
    REFERENCE_ANSWER = "promotions.reference_answer"  # the center answers
    EVIDENCE_VIEW = "promotions.evidence"  # a person's evidence pack (scoped)
    EVIDENCE_EXPORT = "promotions.evidence_export"  # batch export of packs
    RESERVE_MANAGE = "promotions.reserve_manage"  # mark reserve cadres, plan rotations
    # issue #16: the home department proposes its reserve cadres' rotations and starts them
    ROTATION_PROPOSE = "promotions.rotation_propose"
    HR_HOME = "portal.hr_home"
    # --- end promotions ---
    # --- attendance (issue #17): days in the user's scope; the center manages; staff ask ---
    ATTENDANCE_VIEW = "attendance.view"  # days, leave, stepping out (scoped)
    ATTENDANCE_LIST = "attendance.list"  # the day view and monthly sheets (not window staff)
    ATTENDANCE_MANAGE = "attendance.manage"  # import, derive, make-ups, leave, month end
    ATTENDANCE_REQUEST = "attendance.request"  # ask for leave, a make-up; register stepping out
    LEAVE_CONSENT = "attendance.leave_consent"  # the home department's consent (liaison)
    # --- end attendance ---
    # --- inspections (issue #17): inspection rounds and their findings ---
    INSPECTION_VIEW = "inspections.view"  # rounds and findings (liaison: their departments')
    INSPECTION_RECORD = "inspections.record"  # open and close rounds, record findings
    CHECKLIST_EDIT = "inspections.checklist_edit"  # the checklist templates
    # --- end inspections ---
    # --- workload (issue #18): figures in the user's scope; the center imports and weighs ---
    WORKLOAD_VIEW = "workload.view"  # monthly workload figures (scoped)
    WORKLOAD_IMPORT = "workload.import"  # import a queue system's export
    WORKLOAD_WEIGHT_EDIT = "workload.weight_edit"  # the service items' difficulty weights
    # --- end workload ---


_READ_EVERYWHERE = {
    Perm.DEPARTMENT_LIST,
    Perm.DEPARTMENT_VIEW,
    Perm.STAFF_LIST,
    Perm.STAFF_VIEW,
    Perm.STAFF_EXPORT,
}

# --- windows app (issue #3) ---
_WINDOWS_READ = {Perm.WINDOW_VIEW, Perm.TRANSFER_VIEW, Perm.STAND_IN_VIEW}
_WINDOWS_LIAISON = _WINDOWS_READ | {Perm.TRANSFER_EDIT, Perm.LIAISON_HOME, Perm.STAND_IN_EDIT}
# --- end windows app ---
# --- training (issue #5) ---
_TRAINING_ALL = {Perm.TRAINING_VIEW, Perm.TRAINING_MENU}
_TRAINING_BY_ROLE = {
    Role.LIAISON: _TRAINING_ALL
    | {Perm.TRAINING_MANAGE, Perm.TRAINING_SKILL_EDIT, Perm.TRAINING_REPORTS},
    Role.HR: _TRAINING_ALL | {Perm.TRAINING_REPORTS},
    Role.STAFF: _TRAINING_ALL | {Perm.TRAINING_SELF_ENROLL},
}
# --- end training ---

# --- joint management (joint app) ---
# Talks are confidential: HR reads visits only; window staff see their own talks (without notes)
# and follow-ups and may ask for a talk. Which talks and whose notes: joint/permissions.py.
_JOINT_STAFF_ONLY = {Perm.TALK_REQUEST}
_JOINT_LIAISON = {
    Perm.JOINT_DEPARTMENT,
    Perm.VISIT_LIST,
    Perm.VISIT_EDIT,
    Perm.TALK_LIST,
    Perm.TALK_EDIT,
    Perm.FOLLOW_UP_LIST,
    Perm.FOLLOW_UP_TRANSITION,
}
_JOINT_HR = {Perm.VISIT_LIST}
_JOINT_STAFF = {Perm.TALK_LIST, Perm.FOLLOW_UP_LIST, Perm.TALK_REQUEST}
# --- end joint ---
# --- assessments (issue #4): liaison and HR read results in their scope; staff read their own
# record, appeal their entries and take the rated side's rectification steps. ---
_ASSESSMENT_LIAISON = {
    Perm.ASSESSMENT_VIEW,
    Perm.ASSESSMENT_BOARD,
    Perm.ASSESSMENT_GRADE_RECORD,
    Perm.RECTIFICATION_EXTEND_REQUEST,  # issue #18: the rated department asks for more time
    Perm.RECTIFICATION_ACT,  # issue #16: the home department appeals, replies, responds
}
_ASSESSMENT_HR = {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_BOARD}
_ASSESSMENT_STAFF = {
    Perm.ASSESSMENT_VIEW,
    Perm.ASSESSMENT_APPEAL_SUBMIT,
    Perm.RECTIFICATION_ACT,
    Perm.RECTIFICATION_EXTEND_REQUEST,  # issue #18: the rated person or the window's chief
}

# --- promotions (issue #6): HR reads everywhere and acts only on its own requests and on the
# recommendations addressed to it; a liaison sees those concerning their department's people. ---
_PROMOTIONS_CENTER_ONLY = {Perm.HR_HOME, Perm.REFERENCE_REQUEST}
_PROMOTIONS_LIAISON = {
    Perm.PROMOTION_VIEW,
    Perm.EVIDENCE_VIEW,
    Perm.RECOMMENDATION_HOME_ANSWER,
    Perm.ROTATION_PROPOSE,
}
_PROMOTIONS_HR = {
    Perm.PROMOTION_VIEW,
    Perm.RECOMMENDATION_DECIDE,
    Perm.REFERENCE_VIEW,
    Perm.REFERENCE_REQUEST,
    Perm.EVIDENCE_VIEW,
    Perm.EVIDENCE_EXPORT,
    Perm.HR_HOME,
}
# --- end promotions ---
# --- attendance (issue #17): the department's consent is the liaison's alone ---
_ATTENDANCE_LIAISON_ONLY = {Perm.LEAVE_CONSENT}
_ATTENDANCE_LIAISON = {Perm.ATTENDANCE_VIEW, Perm.ATTENDANCE_LIST, Perm.LEAVE_CONSENT}
_ATTENDANCE_HR = {Perm.ATTENDANCE_VIEW, Perm.ATTENDANCE_LIST}
_ATTENDANCE_STAFF = {Perm.ATTENDANCE_VIEW, Perm.ATTENDANCE_REQUEST}
# --- end attendance ---

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CENTER_ADMIN: frozenset(
        {value for key, value in vars(Perm).items() if key.isupper()}
        - _JOINT_STAFF_ONLY
        - _PROMOTIONS_CENTER_ONLY
        - _ATTENDANCE_LIAISON_ONLY
    ),
    Role.LIAISON: frozenset(
        _READ_EVERYWHERE
        | {Perm.STAFF_EDIT, Perm.STAFF_IMPORT, Perm.CERTIFICATE_EDIT}
        | _WINDOWS_LIAISON
        | _ASSESSMENT_LIAISON
        | _TRAINING_BY_ROLE[Role.LIAISON]
        | _JOINT_LIAISON
        | _PROMOTIONS_LIAISON
        | _ATTENDANCE_LIAISON
        | {Perm.INSPECTION_VIEW}
        | {Perm.WORKLOAD_VIEW}  # workload (issue #18)
    ),
    Role.HR: frozenset(
        _READ_EVERYWHERE
        | {Perm.DASHBOARD_VIEW, Perm.ID_NUMBER_VIEW}
        | _WINDOWS_READ
        | _ASSESSMENT_HR
        | _TRAINING_BY_ROLE[Role.HR]
        | _JOINT_HR
        | _PROMOTIONS_HR
        | _ATTENDANCE_HR
        | {Perm.INSPECTION_VIEW}
        | {Perm.WORKLOAD_VIEW}  # workload (issue #18)
    ),
    Role.STAFF: frozenset(
        {Perm.STAFF_VIEW}
        | _ASSESSMENT_STAFF
        | _TRAINING_BY_ROLE[Role.STAFF]
        | _JOINT_STAFF
        | _ATTENDANCE_STAFF
        | {Perm.WORKLOAD_VIEW}  # workload (issue #18): their own
    ),
}

# --- notifications app: granted to every role -------------------------------------------------
ROLE_PERMISSIONS = {
    role: perms | {Perm.NOTIFICATIONS_VIEW} for role, perms in ROLE_PERMISSIONS.items()
}


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Role.CENTER_ADMIN if user.is_superuser else user.role


def has_perm(user: Any, perm: str) -> bool:
    role = role_of(user)
    return role is not None and perm in ROLE_PERMISSIONS.get(role, frozenset())


class RolePermissionBackend:
    """An authentication backend that only answers permission questions, from the role table."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if has_perm(user_obj, perm):
            return True
        if any(perm in granted for granted in ROLE_PERMISSIONS.values()):
            # Ours, and refused: stop here rather than let ModelBackend load group permissions
            # (two queries per request for every non-admin page).
            raise PermissionDenied
        return False

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        prefix = app_label + "."
        role = role_of(user_obj)
        return role is not None and any(
            p.startswith(prefix) for p in ROLE_PERMISSIONS.get(role, ())
        )


# --- center leadership (joint app: private talks) -------------------------------------------------
#
# "Center leadership" (中心领导) is a notion on top of the center-administrator role: superusers,
# and center administrators who are members of the auth group named CENTER_LEADERSHIP_GROUP
# (managed in the Django admin; no schema change to the shared User table). Only leadership (and
# a talk's own author) reads a talk marked private; other center administrators read standard
# talks only. A liaison or HR user in the group is not leadership: the role comes first.

CENTER_LEADERSHIP_GROUP = "center_leadership"


def is_center_leadership(user: Any) -> bool:
    """Superuser, or an active center administrator in the leadership group. Cached per request."""
    if role_of(user) != Role.CENTER_ADMIN:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_center_leadership", None)
    if cached is None:
        cached = user.groups.filter(name=CENTER_LEADERSHIP_GROUP).exists()
        user._is_center_leadership = cached
    return cached


# --- scope ------------------------------------------------------------------------------------


def department_ids(user: Any) -> frozenset[int] | None:
    """The departments a user is confined to; ``None`` means every department.

    Cached on the user object for the request.
    """
    role = role_of(user)
    if role in (Role.CENTER_ADMIN, Role.HR):
        return None
    if role == Role.LIAISON:
        cached = getattr(user, "_department_ids", None)
        if cached is None:
            cached = frozenset(user.departments.values_list("id", flat=True))
            user._department_ids = cached
        return cached
    return frozenset()


def scope(
    queryset: QuerySet,
    user: Any,
    *,
    department: str | None = "department",
    person: str | None = None,
) -> QuerySet:
    """Filter ``queryset`` to what ``user`` may see.

    ``department`` is the lookup path from the model to its Department, ``person`` the path to the
    Staff row whose ``user`` is the viewer (window staff see only their own rows).
    """
    role = role_of(user)
    if role in (Role.CENTER_ADMIN, Role.HR):
        return queryset
    if role == Role.LIAISON and department is not None:
        return queryset.filter(**{f"{department}__in": department_ids(user)})
    if role == Role.STAFF and person is not None:
        lookup = f"{person}__user" if person else "user"
        return queryset.filter(Q(**{lookup: user}))
    return queryset.none()


def can_use_department(user: Any, department_id: int | None) -> bool:
    ids = department_ids(user)
    return ids is None or department_id in ids


# --- three adapters of the same rule ------------------------------------------------------------


class PermissionRequiredMixin(DjangoPermissionRequiredMixin):
    """Class-based views: anonymous → login page, missing permission → 403."""


class LoadFirstMixin(PermissionRequiredMixin):
    """A page about one scoped object: anonymous → the login page, a missing permission → 403,
    then ``load()`` fetches the object through the user's scope (another department's → 404).
    The order matters: a signed-out visitor never learns whether an object exists."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission_required):
            raise PermissionDenied
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs) -> None:
        """Fetch what the page is about (scoped) and keep it on ``self``."""


def permission_required(perm: str) -> Callable:
    """Function views: anonymous → login page, missing permission → 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasPermission(BasePermission):
    """DRF: ``permission_map = {"list": Perm.X, "create": Perm.Y, ...}`` on the view.

    Actions not in the map are refused. Object scope is the view's scoped ``get_queryset``.
    """

    def has_permission(self, request, view) -> bool:
        perm = getattr(view, "permission_map", {}).get(getattr(view, "action", None))
        return perm is not None and has_perm(request.user, perm)
