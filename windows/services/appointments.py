"""Filing a chief representative's letters of appointment and authorization."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.permissions import Perm, has_perm

from .. import rules
from ..models import AuthorizedItem, ChiefAppointment, Post, ServiceItem, Stationing


@transaction.atomic
def appointment_file(
    *,
    actor: Any,
    stationing: Stationing,
    appointment_number: str,
    authorization_number: str,
    valid_from: date,
    valid_until: date | None,
    items: list[dict[str, Any]],
    replace_current: bool = False,
) -> ChiefAppointment:
    """Make the person of an open stationing the window's chief representative.

    ``items`` lists ``{"service_item": ServiceItem, "can_accept": bool, "can_review": bool,
    "can_decide": bool}`` — the authority delegated per service item of the window. Refuses an
    ineligible person with every reason, in the user's language, and a second chief at a window:
    with ``replace_current`` the current chief is explicitly relieved instead (back to window
    staff, their letters ending the day before ``valid_from``), in the same transaction.
    """
    if not has_perm(actor, Perm.APPOINTMENT_EDIT):
        raise PermissionDenied(_("You are not allowed to do this."))
    locked = (
        Stationing.objects.select_for_update(of=("self",))
        .select_related("staff", "window")
        .get(pk=stationing.pk)
    )
    if locked.end_date is not None:
        raise ValidationError(_("This stationing has ended."))
    reasons = rules.chief_ineligibility(locked.staff, on=valid_from)
    if reasons:
        raise ValidationError({"__all__": reasons})
    other = (
        Stationing.objects.select_related("staff")
        .filter(window=locked.window, end_date__isnull=True, post=Post.CHIEF_REPRESENTATIVE)
        .exclude(pk=locked.pk)
        .first()
    )
    if other is not None and not replace_current:
        raise ValidationError(
            _(
                "Window %(window)s already has a chief representative: %(name)s. Choose to "
                "replace them explicitly; a window has one chief."
            )
            % {"window": locked.window.code, "name": other.staff.name}
        )
    if not items:
        raise ValidationError({"items": _("Authorize at least one service item.")})
    allowed = set(locked.window.service_items.values_list("pk", flat=True))
    for item in items:
        service_item: ServiceItem = item["service_item"]
        if service_item.pk not in allowed:
            raise ValidationError(
                {"items": _("%(item)s is not handled at this window.") % {"item": service_item}}
            )
        if not (item.get("can_accept") or item.get("can_review") or item.get("can_decide")):
            raise ValidationError(
                {
                    "items": _("Authorize acceptance, review or decision for %(item)s.")
                    % {"item": service_item}
                }
            )
    appointment = ChiefAppointment(
        stationing=locked,
        appointment_number=(appointment_number or "").strip(),
        authorization_number=(authorization_number or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        filed_by=actor,
    )
    appointment.full_clean()
    with audited(actor=actor, reason=_("Chief representative appointed")):
        if other is not None:
            _relieve(other, last_day=valid_from - timedelta(days=1), actor=actor)
        appointment.save()
        AuthorizedItem.objects.bulk_create(
            [
                AuthorizedItem(
                    appointment=appointment,
                    service_item=item["service_item"],
                    can_accept=bool(item.get("can_accept")),
                    can_review=bool(item.get("can_review")),
                    can_decide=bool(item.get("can_decide")),
                )
                for item in items
            ]
        )
        if locked.post != Post.CHIEF_REPRESENTATIVE:
            locked.post = Post.CHIEF_REPRESENTATIVE
            locked.save(update_fields=["post"])
    return appointment


@transaction.atomic
def appointment_end(
    *, actor: Any, appointment: ChiefAppointment, last_day: date, reason: str
) -> ChiefAppointment:
    """End a chief representative's letters on ``last_day`` (today or earlier) with a written
    reason: the person stays at the window as staff, and the window is explicitly without a
    chief (``windows_without_chief`` lists it) until another is appointed. Refuses a letter
    that has already ended by then, a day before the letter began or in the future."""
    if not has_perm(actor, Perm.APPOINTMENT_EDIT):
        raise PermissionDenied(_("You are not allowed to do this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for ending the appointment.")]})
    # the stationing first, then its letter: the order appointment_file locks them in
    Stationing.objects.select_for_update().filter(pk=appointment.stationing_id).first()
    locked = (
        ChiefAppointment.objects.select_for_update(of=("self",))
        .select_related("stationing__staff", "stationing__window")
        .get(pk=appointment.pk)
    )
    if last_day > timezone.localdate():
        raise ValidationError({"last_day": [_("The date cannot be in the future.")]})
    if last_day < locked.valid_from:
        raise ValidationError(
            {
                "last_day": [
                    _("The appointment cannot end before it began (%(date)s).")
                    % {"date": locked.valid_from.isoformat()}
                ]
            }
        )
    if locked.valid_until is not None and locked.valid_until <= last_day:
        raise ValidationError(
            _("This appointment already ended on %(date)s.")
            % {"date": locked.valid_until.isoformat()}
        )
    with audited(
        actor=actor,
        reason=_("Chief representative appointment ended: %(reason)s") % {"reason": reason},
    ):
        stationing = locked.stationing
        if stationing.end_date is None and stationing.post == Post.CHIEF_REPRESENTATIVE:
            _relieve(stationing, last_day=last_day, actor=actor)
        else:
            locked.valid_until = last_day
            locked.save(update_fields=["valid_until"])
    locked.refresh_from_db()
    return locked


def _relieve(chief: Stationing, *, last_day: date, actor: Any) -> None:
    """The chief of ``chief`` (an open stationing) stays at the window as staff; their letters
    end on ``last_day``."""
    chief = Stationing.objects.select_for_update().get(pk=chief.pk)
    chief.post = Post.STAFF
    chief.save(update_fields=["post"])
    for letter in ChiefAppointment.objects.select_for_update().filter(stationing=chief):
        if letter.valid_until is None or letter.valid_until > last_day:
            letter.valid_until = max(last_day, letter.valid_from)
            letter.save(update_fields=["valid_until"])
