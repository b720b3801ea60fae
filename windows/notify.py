"""Tell the other side of a transfer what happened — after commit, never inside the transaction.

SEAM: there is no notifications app yet, so this e-mails the other side's users directly with
``send_mail``. When ``notifications/`` lands, replace the body of :func:`deliver` with one call
that creates notification rows (in-app first, e-mail from the rows), keeping :func:`queue` — the
only function the services call — unchanged.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EVENTS = {
    "submit": gettext_lazy("submitted"),
    "start_vetting": gettext_lazy("sent to vetting"),
    "vetted": gettext_lazy("vetted"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "withdraw": gettext_lazy("withdrawn"),
    "apply": gettext_lazy("took effect"),
}


def queue(transfer: Any, event: str, actor: Any) -> None:
    """Schedule the notification of ``event`` on ``transfer`` for after the commit."""
    if event in ("created", "edited"):
        return  # a draft concerns only its author; edits are seen on the page
    transaction.on_commit(
        partial(deliver, transfer.pk, event, getattr(actor, "pk", None)), robust=True
    )


def recipients(transfer: Any, actor_id: int | None) -> list[str]:
    """E-mail addresses of the other side: the center's administrators when a liaison acted, the
    department's liaisons when the center acted, both when the system acted."""
    from staff.models import Role, User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    actor_is_center = actor is not None and (actor.is_superuser or actor.role == Role.CENTER_ADMIN)
    center = Q(role=Role.CENTER_ADMIN) | Q(is_superuser=True)
    liaisons = Q(role=Role.LIAISON, departments=transfer.department_id)
    # the system acted: both sides; otherwise the side that did not act
    who = (center | liaisons) if actor is None else (liaisons if actor_is_center else center)
    users = User.objects.filter(who, is_active=True).exclude(email="")
    if actor_id:
        users = users.exclude(pk=actor_id)
    return sorted(set(users.values_list("email", flat=True)))


def deliver(transfer_id: int, event: str, actor_id: int | None) -> int:
    from .models import TransferRequest

    transfer = (
        TransferRequest.objects.select_related("window", "department")
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        return 0
    to = recipients(transfer, actor_id)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Transfer request #%(id)d %(event)s") % {
            "id": transfer.pk,
            "event": str(EVENTS.get(event, event)),
        }
        body = _(
            "%(kind)s at window %(window)s (%(department)s), effective %(date)s, is now: %(state)s."
        ) % {
            "kind": transfer.get_kind_display(),
            "window": transfer.window.code,
            "department": transfer.department.name,
            "date": transfer.effective_date.isoformat(),
            "state": transfer.get_state_display(),
        }
    return send_mail(subject, body, None, to, fail_silently=False)
