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
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin as DjangoPermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from rest_framework.permissions import BasePermission

from .models import Role


class Perm:
    DASHBOARD_VIEW = "portal.dashboard"
    AUDIT_VIEW = "portal.audit"
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
    # --- assessments (issue #4) ---
    ASSESSMENT_VIEW = "assessments.view"  # results, entries, ratings in the user's scope
    ASSESSMENT_BOARD = "assessments.board"  # period board, rankings, statistics
    ASSESSMENT_RULE_EDIT = "assessments.rule_edit"
    ASSESSMENT_ENTRY_EDIT = "assessments.entry_edit"  # record deductions and bonuses
    ASSESSMENT_PERIOD_MANAGE = "assessments.period_manage"  # close, recompute, review, grades
    ASSESSMENT_APPEAL_SUBMIT = "assessments.appeal_submit"
    ASSESSMENT_APPEAL_DECIDE = "assessments.appeal_decide"
    RATING_IMPORT = "assessments.rating_import"  # import and post citizen ratings
    RATING_RATER_VIEW = "assessments.rating_rater_view"  # see who rated
    RECTIFICATION_ACT = "assessments.rectification_act"  # the rated side's steps
    RECTIFICATION_DECIDE = "assessments.rectification_decide"  # the center's steps
    AWARD_MANAGE = "assessments.award_manage"
    # --- notifications app: everyone has a notification center (showing only their own) ---
    NOTIFICATIONS_VIEW = "notifications.view"


_READ_EVERYWHERE = {
    Perm.DEPARTMENT_LIST,
    Perm.DEPARTMENT_VIEW,
    Perm.STAFF_LIST,
    Perm.STAFF_VIEW,
    Perm.STAFF_EXPORT,
}

# --- assessments (issue #4): liaison and HR read results in their scope; staff read their own
# record, appeal their entries and take the rated side's rectification steps. ---
_ASSESSMENT_LIAISON = {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_BOARD}
_ASSESSMENT_HR = {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_BOARD}
_ASSESSMENT_STAFF = {
    Perm.ASSESSMENT_VIEW,
    Perm.ASSESSMENT_APPEAL_SUBMIT,
    Perm.RECTIFICATION_ACT,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CENTER_ADMIN: frozenset({value for key, value in vars(Perm).items() if key.isupper()}),
    Role.LIAISON: frozenset(
        _READ_EVERYWHERE
        | {Perm.STAFF_EDIT, Perm.STAFF_IMPORT, Perm.CERTIFICATE_EDIT}
        | _ASSESSMENT_LIAISON
    ),
    Role.HR: frozenset(
        _READ_EVERYWHERE | {Perm.DASHBOARD_VIEW, Perm.ID_NUMBER_VIEW} | _ASSESSMENT_HR
    ),
    Role.STAFF: frozenset({Perm.STAFF_VIEW} | _ASSESSMENT_STAFF),
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
