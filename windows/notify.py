"""Tell the other side of a transfer what happened.

Through the notifications app: ``notify`` writes one row per recipient inside the caller's
transaction (so the notice commits with the change, or not at all), and e-mail goes out after the
commit from those rows — a broker outage only delays it. Services call :func:`queue` only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Text, register_kind
from notifications.services import notify

TRANSFER_CHANGED = register_kind(
    key="transfer.changed",
    label=_("Transfer request changed"),
    title=_("Transfer request #%(id)s %(event)s"),
    body=_(
        "%(kind)s at window %(window)s (%(department)s), effective %(date)s, is now: "
        "%(state)s. %(note)s"
    ),
)

EVENTS = {
    "submit": _("submitted"),
    "start_vetting": _("sent to vetting"),
    "vetted": _("vetted"),
    "approve": _("approved"),
    "reject": _("rejected"),
    "withdraw": _("withdrawn"),
    "apply": _("took effect"),
}


def recipients(transfer: Any, actor: Any) -> list[int]:
    """The other side: the center's administrators when a liaison acted, the department's
    liaisons when the center acted, both when the system acted. Never the actor."""
    from staff.models import Role, User

    actor_id = getattr(actor, "pk", None)
    actor_is_center = actor_id is not None and (
        actor.is_superuser or actor.role == Role.CENTER_ADMIN
    )
    center = Q(role=Role.CENTER_ADMIN) | Q(is_superuser=True)
    liaisons = Q(role=Role.LIAISON, departments=transfer.department_id)
    # the system acted: both sides; otherwise the side that did not act
    who = (center | liaisons) if actor_id is None else (liaisons if actor_is_center else center)
    users = User.objects.filter(who, is_active=True)
    if actor_id is not None:
        users = users.exclude(pk=actor_id)
    return sorted(set(users.values_list("pk", flat=True)))


EARLY_WARNING = _(
    "This is an early transfer, before %(months)s months at the window: it needs the "
    "center's explicit consent. Justification: %(justification)s"
)


def _note(transfer: Any, event: str) -> list[Any]:
    """The decision note; when an early transfer is raised (submitted), first a warning that it
    needs the center's explicit consent, with the justification (translated when shown)."""
    from . import rules

    parts: list[Any] = []
    if event == "submit" and transfer.is_early:
        parts.append(
            Text(
                EARLY_WARNING,
                months=rules.min_tenure_months(),
                justification=transfer.early_justification or "—",
            )
        )
    if transfer.decision_note:
        parts.append(transfer.decision_note)
    return parts


def queue(transfer: Any, event: str, actor: Any) -> int:
    """Notify the other side of ``event`` on ``transfer``, with the caller's transaction."""
    if event not in EVENTS:
        return 0  # a draft being written or edited concerns only its author
    from .models import TransferKind, TransferState

    return notify(
        kind=TRANSFER_CHANGED.key,
        subject=(type(transfer), transfer.pk),
        period=f"v{transfer.version}-{event}"[:32],
        recipients=recipients(transfer, actor),
        params={
            "id": transfer.pk,
            "event": EVENTS[event],
            "kind": TransferKind(transfer.kind).label,
            "window": transfer.window.code,
            "department": transfer.department.name,
            "date": transfer.effective_date,
            "state": TransferState(transfer.state).label,
            "note": _note(transfer, event),
        },
        link=reverse("windows:transfer_detail", args=[transfer.pk]),
    )


REPLACEMENT_DEMANDED = register_kind(
    key="windows.replacement_demanded",
    label=_("Replacement demanded"),
    title=_("Replacement demanded at window %(window)s by %(date)s"),
    body=_(
        "%(name)s was returned to %(department)s for poor performance: %(reason)s. Station a "
        "replacement at window %(window)s by %(date)s."
    ),
)


def replacement_demanded(demand: Any, actor: Any) -> int:
    """Tell the department's liaisons that the center demands a replacement (with the caller's
    transaction)."""
    from staff.models import Role, User

    liaisons = User.objects.filter(
        role=Role.LIAISON, departments=demand.department_id, is_active=True
    ).exclude(pk=getattr(actor, "pk", None))
    return notify(
        kind=REPLACEMENT_DEMANDED.key,
        subject=(type(demand), demand.pk),
        period="raised",
        recipients=sorted(set(liaisons.values_list("pk", flat=True))),
        params={
            "name": demand.returned_stationing.staff.name,
            "department": demand.department.name,
            "reason": demand.reason,
            "window": demand.window.code,
            "date": demand.due_date,
        },
        link=reverse("windows:replacement_demands"),
    )
