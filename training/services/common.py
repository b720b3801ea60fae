"""What the training services share: the permission and scope checks (who manages a course,
whose staff), a model's own validation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from staff.models import Staff
from staff.permissions import Perm, can_use_department, has_perm

from ..models import (
    Course,
    OrganizerSide,
)


def require(actor: Any, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def can_manage_course(actor: Any, course: Course) -> bool:
    """Center-run courses belong to the center; department-run ones to that department's
    liaisons (and the center)."""
    if actor is None:
        return True
    if course.side == OrganizerSide.CENTER:
        return has_perm(actor, Perm.TRAINING_MANAGE_CENTER)
    return has_perm(actor, Perm.TRAINING_MANAGE) and can_use_department(actor, course.department_id)


def require_course(actor: Any, course: Course) -> None:
    if not can_manage_course(actor, course):
        raise PermissionDenied(_("Only the organizer of this course may manage it."))


def require_person(actor: Any, person: Staff) -> None:
    if actor is not None and not can_use_department(actor, person.department_id):
        raise PermissionDenied(_("You may only manage staff of your own department."))


def clean(obj: Any) -> None:
    obj.full_clean()
