from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from staff.models import Staff
from staff.permissions import can_use_department, has_perm


def require(actor: Any, perm: str) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def own_person(actor: Any) -> Staff | None:
    if not getattr(actor, "pk", None):
        return None
    return Staff.objects.filter(user=actor).first()


def may_act_for(actor: Any, staff: Staff, manage_perm: str) -> bool:
    """The person themselves, or someone holding ``manage_perm`` over their department."""
    if staff.user_id is not None and staff.user_id == getattr(actor, "pk", None):
        return True
    return has_perm(actor, manage_perm) and can_use_department(actor, staff.department_id)
