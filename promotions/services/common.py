"""What the workflow services share: the conflict error, permission, period and version checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from staff.permissions import has_perm

from ..evidence.pack import default_period


class WorkflowConflict(Conflict):
    """The row changed (or is in another state) since the user looked; nothing was applied."""


def require(actor: Any, perm: str) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def check_period(start: date, end: date) -> None:
    if start is None or end is None:
        raise ValidationError({"period_end": _("Give the evidence period.")})
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if end > timezone.localdate():
        raise ValidationError({"period_end": _("The evidence period cannot end in the future.")})


def check_version(locked: Any, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise WorkflowConflict(
            _(
                "Someone else changed this while you were looking at it. Reload the page to see "
                "their changes; yours were not saved."
            )
        )


__all__ = [
    "WorkflowConflict",
    "check_period",
    "check_version",
    "require",
    "default_period",
]
