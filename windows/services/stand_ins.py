"""A/B pairs (AB岗 / 替岗): who handles a window's business while its A is away.

Rules (each a translated ValidationError, nothing written):

* A and B are two different people;
* both are stationed at the window on the first day of validity — or are staff of the window's
  department and ``exception_note`` says why not (a documented exception);
* a service item, when given, is one the window handles;
* one A has one B at a time for the same window and item: validity periods of such rows do not
  overlap;
* the center edits every window's pairs, a liaison only their own departments' windows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm, can_use_department, has_perm

from ..models import ServiceItem, StandIn, Stationing, Window


def _require(actor: Any, window: Window) -> None:
    if not has_perm(actor, Perm.STAND_IN_EDIT):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not can_use_department(actor, window.department_id):
        raise PermissionDenied(_("This window belongs to another department."))


def stationed_on(person: Staff, window: Window, day: date) -> bool:
    """Whether ``person`` has a stationing at ``window`` covering ``day`` (end date exclusive)."""
    return (
        Stationing.objects.filter(staff=person, window=window, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .exists()
    )


def _check(
    *,
    window: Window,
    service_item: ServiceItem | None,
    a: Staff,
    b: Staff,
    valid_from: date,
    valid_until: date | None,
    exception_note: str,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if a.pk == b.pk:
        errors.setdefault("b", []).append(_("A and B must be two different people."))
    if valid_until is not None and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The end of validity cannot be before its start.")
        )
    if service_item is not None and not window.service_items.filter(pk=service_item.pk).exists():
        errors.setdefault("service_item", []).append(
            _("%(item)s is not handled at this window.") % {"item": service_item}
        )
    for field, person in (("a", a), ("b", b)):
        if stationed_on(person, window, valid_from):
            continue
        if person.department_id != window.department_id:
            errors.setdefault(field, []).append(
                _("%(name)s is neither stationed at window %(window)s nor staff of its department.")
                % {"name": person.name, "window": window.code}
            )
        elif not exception_note:
            errors.setdefault(field, []).append(
                _(
                    "%(name)s is not stationed at window %(window)s on %(date)s; "
                    "document the exception or choose someone stationed there."
                )
                % {
                    "name": person.name,
                    "window": window.code,
                    "date": valid_from.strftime("%Y-%m-%d"),
                }
            )
    if errors:
        raise ValidationError(errors)
    overlapping = StandIn.objects.filter(window=window, service_item=service_item, a=a).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.select_related("b").first()
    if other is not None:
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "%(a)s already has a stand-in for this at window %(window)s from "
                        "%(date)s: %(b)s. End that pair first."
                    )
                    % {
                        "a": a.name,
                        "window": window.code,
                        "date": other.valid_from.strftime("%Y-%m-%d"),
                        "b": other.b.name,
                    }
                ]
            }
        )


def _lock(window: Window) -> Window:
    # Serializes the pairs of one window (the overlap check reads, then inserts).
    return Window.objects.select_for_update().get(pk=window.pk)


@transaction.atomic
def stand_in_create(
    *,
    actor: Any,
    window: Window,
    a: Staff,
    b: Staff,
    valid_from: date,
    valid_until: date | None = None,
    service_item: ServiceItem | None = None,
    exception_note: str = "",
) -> StandIn:
    """Name ``b`` as the stand-in of ``a`` at ``window`` (for ``service_item`` only when given).

    Raises PermissionDenied (not the center nor the window's liaison) or ValidationError (the
    rules in the module docstring)."""
    _require(actor, window)
    window = _lock(window)
    exception_note = (exception_note or "").strip()
    _check(
        window=window,
        service_item=service_item,
        a=a,
        b=b,
        valid_from=valid_from,
        valid_until=valid_until,
        exception_note=exception_note,
    )
    pair = StandIn(
        window=window,
        service_item=service_item,
        a=a,
        b=b,
        valid_from=valid_from,
        valid_until=valid_until,
        exception_note=exception_note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    pair.full_clean()
    with audited(actor=actor, reason=_("Stand-in named")):
        pair.save()
    return pair


@transaction.atomic
def stand_in_update(
    *,
    actor: Any,
    pair: StandIn,
    b: Staff,
    valid_from: date,
    valid_until: date | None,
    exception_note: str = "",
    reason: str = "",
) -> StandIn:
    """Change the stand-in, the dates or the documented exception of a pair (same rules)."""
    _require(actor, pair.window)
    _lock(pair.window)
    locked = StandIn.objects.select_for_update().select_related("window", "a").get(pk=pair.pk)
    exception_note = (exception_note or "").strip()
    _check(
        window=locked.window,
        service_item=locked.service_item,
        a=locked.a,
        b=b,
        valid_from=valid_from,
        valid_until=valid_until,
        exception_note=exception_note,
        exclude_pk=locked.pk,
    )
    locked.b = b
    locked.valid_from = valid_from
    locked.valid_until = valid_until
    locked.exception_note = exception_note
    locked.full_clean()
    with audited(actor=actor, reason=reason.strip() or _("Stand-in changed")):
        locked.save()
    return locked


@transaction.atomic
def stand_in_end(*, actor: Any, pair: StandIn, on: date, reason: str = "") -> StandIn:
    """End a pair: its last day of validity is ``on`` (not before it started)."""
    _require(actor, pair.window)
    locked = StandIn.objects.select_for_update().get(pk=pair.pk)
    if on < locked.valid_from:
        raise ValidationError(
            {"valid_until": [_("The end of validity cannot be before its start.")]}
        )
    locked.valid_until = on
    with audited(actor=actor, reason=reason.strip() or _("Stand-in ended")):
        locked.save(update_fields=["valid_until"])
    return locked
