"""The two workflows as tables: which role may move a case from which state to which.

Services look the transition up here before changing anything (django-oscar's ``set_status``
pattern); the tables are also what the tests and the UI read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from staff.models import Role
from staff.permissions import role_of

from .models import AppealStatus as A
from .models import RectificationStatus as R

ADMIN = Role.CENTER_ADMIN
STAFF = Role.STAFF
LIAISON = Role.LIAISON  # the home department: the rated side for its windows (issue #16)

APPEAL_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (A.SUBMITTED, A.UPHELD): frozenset({ADMIN}),
    (A.SUBMITTED, A.REDUCED): frozenset({ADMIN}),
    (A.SUBMITTED, A.CANCELLED): frozenset({ADMIN}),
    (A.SUBMITTED, A.WITHDRAWN): frozenset({STAFF}),
}

# action → (from, to, roles). "appeal", "respond" and "note" add to the follow-up log without
# moving. "respond" is the home department's statement of the measures it took.
RECTIFICATION_ACTIONS: dict[str, tuple[str, str, frozenset[str]]] = {
    "appeal": (R.PENDING, R.PENDING, frozenset({STAFF, LIAISON, ADMIN})),
    "confirm": (R.PENDING, R.VALID, frozenset({ADMIN})),
    "invalidate": (R.PENDING, R.INVALID, frozenset({ADMIN})),
    "start": (R.VALID, R.RECTIFYING, frozenset({STAFF, LIAISON, ADMIN})),
    "respond": (R.RECTIFYING, R.RECTIFYING, frozenset({LIAISON, ADMIN})),
    "finish": (R.RECTIFYING, R.DONE, frozenset({ADMIN})),
    "cannot_fix": (R.RECTIFYING, R.CANNOT_FIX, frozenset({ADMIN})),
}


def check_appeal(user: Any, current: str, target: str) -> None:
    roles = APPEAL_TRANSITIONS.get((current, target))
    if roles is None:
        raise ValidationError(
            _("An appeal that is %(current)s cannot become %(target)s.")
            % {"current": A(current).label, "target": A(target).label}
        )
    if role_of(user) not in roles:
        raise PermissionDenied(_("You are not allowed to do this."))


def check_rectification(user: Any, current: str, action: str) -> str:
    """Return the target state, or raise."""
    if action not in RECTIFICATION_ACTIONS:
        raise ValidationError(_("Unknown step."))
    source, target, roles = RECTIFICATION_ACTIONS[action]
    if role_of(user) not in roles:
        raise PermissionDenied(_("You are not allowed to do this."))
    if current != source:
        raise ValidationError(
            _("This step is not possible while the case is %(state)s.")
            % {"state": R(current).label}
        )
    return target


def rectification_actions_for(user: Any, current: str) -> list[str]:
    role = role_of(user)
    return [
        action
        for action, (source, _target, roles) in RECTIFICATION_ACTIONS.items()
        if source == current and role in roles
    ]
