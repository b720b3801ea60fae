from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from staff.permissions import has_perm

CENT = Decimal("0.01")


def require(actor: Any, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def dec(value: Any) -> Decimal:
    if value is None:
        return Decimal("0")
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
