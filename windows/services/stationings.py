"""Recording a stationing that began before the system did (the go-live import, issue #16).

A stationing normally opens when a vetted transfer takes effect (``transfers.apply``). A center
going live has hundreds of people already at their windows: this records each as it is, with the
rules a transfer would have checked — the person active and of the window's department, the
window open, one open stationing per person, no overlap with their past stationings (on
PostgreSQL also the exclusion constraint), and a chief representative only through
:func:`appointment_file` (eligibility, one chief per window, a letter).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited
from staff.models import Staff, StaffStatus
from staff.permissions import Perm, has_perm

from ..models import Post, Stationing, Window


@transaction.atomic
def stationing_record_existing(
    *,
    actor: Any,
    staff: Staff,
    window: Window,
    post: str,
    start_date: date,
    reason: str = "",
    announce: bool = True,
) -> tuple[Stationing, bool]:
    """Open the stationing of ``staff`` at ``window`` since ``start_date``; returns it and
    whether it was created. An identical open stationing (same window and date) is returned as
    it is, so a go-live file can be imported twice. Raises ValidationError (keyed by field, in
    the user's language) on any broken rule and writes nothing then; PermissionDenied without
    ``Perm.STATIONING_IMPORT``. ``post`` may not be the chief's: that takes a letter
    (:func:`appointment_file`). ``announce=False`` leaves the ``staff_event`` to the caller (an
    import announces all its people at once: the subscribers take a set)."""
    if not has_perm(actor, Perm.STATIONING_IMPORT):
        raise PermissionDenied(_("You are not allowed to do this."))
    person = Staff.objects.select_for_update().get(pk=staff.pk)
    # One read of the person's stationings: the open one, and those that could overlap.
    past = list(
        Stationing.objects.select_related("window").filter(staff=person).order_by("-start_date")
    )
    current = next((s for s in past if s.end_date is None), None)
    if current is not None and current.window_id == window.pk and current.start_date == start_date:
        return current, False
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if post == Post.CHIEF_REPRESENTATIVE:
        err("post", _("A chief representative is appointed with a letter of appointment."))
    elif post not in Post.values:
        err("post", _("Unknown post."))
    if person.status != StaffStatus.ACTIVE:
        err("staff", _("%(name)s is not active staff.") % {"name": person.name})
    if window.department_id != person.department_id:
        err(
            "window",
            _("Window %(window)s belongs to another department than %(name)s's.")
            % {"window": window.code, "name": person.name},
        )
    if not window.active:
        err("window", _("This window is closed."))
    if start_date > timezone.localdate():
        err("start_date", _("The stationing cannot start in the future."))
    if current is not None:
        err(
            "staff",
            _(
                "%(name)s is already stationed at window %(window)s since %(date)s; a move is a "
                "transfer request."
            )
            % {"name": person.name, "window": current.window.code, "date": current.start_date},
        )
    overlapping = max(
        (s for s in past if s.end_date is not None and s.end_date > start_date),
        key=lambda s: s.end_date,
        default=None,
    )
    if overlapping is not None:
        err(
            "start_date",
            _("The stationing would overlap %(name)s's stationing that ended on %(date)s.")
            % {"name": person.name, "date": overlapping.end_date},
        )
    if errors:
        raise ValidationError(errors)
    stationing = Stationing(staff=person, window=window, post=post, start_date=start_date)
    # Fields only: the staff and window were read above, and the constraints (one open
    # stationing, end after start, no overlap) were checked above and are the database's too.
    stationing.full_clean(exclude=["staff", "window"], validate_constraints=False)
    try:
        with transaction.atomic(), audited(actor=actor, reason=reason):
            stationing.save()
    except IntegrityError as exc:  # the database's guarantees (another import meanwhile)
        raise ValidationError(
            _(
                "The stationing would overlap another stationing of the same person; nothing "
                "was changed."
            )
        ) from exc
    if announce:
        events.emit(events.STAFF_EVENT, staff_ids=[person.pk])
    return stationing, True
