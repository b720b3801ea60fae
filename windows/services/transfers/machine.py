"""The transfer state machine: the sides, the allowed transitions per side, and the locked
begin/finish of every transition (state checked under the row lock, audit entry, notice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from staff.models import Role
from staff.permissions import Perm, can_use_department, has_perm, role_of

from ... import notify
from ...models import EndReason, Side, TransferKind, TransferRequest, TransferState

S = TransferState
RAISER, COUNTERPARTY, CENTER, SYSTEM = "raiser", "counterparty", "center", "system"


class TransferConflict(ValidationError):
    """Someone else changed the request first; nothing of this attempt was applied."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: Any


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({S.DRAFT}), S.SUBMITTED, frozenset({RAISER}), gettext_lazy("Submit")
    ),
    "start_vetting": Transition(
        frozenset({S.SUBMITTED}), S.VETTING, frozenset({CENTER}), gettext_lazy("Start vetting")
    ),
    "approve": Transition(
        frozenset({S.SUBMITTED, S.VETTING}),
        S.APPROVED,
        frozenset({COUNTERPARTY}),
        gettext_lazy("Approve"),
    ),
    "reject": Transition(
        frozenset({S.SUBMITTED, S.VETTING}),
        S.REJECTED,
        frozenset({COUNTERPARTY, CENTER}),
        gettext_lazy("Reject"),
    ),
    "withdraw": Transition(
        frozenset({S.DRAFT, S.SUBMITTED, S.VETTING, S.APPROVED}),
        S.WITHDRAWN,
        frozenset({RAISER}),
        gettext_lazy("Withdraw"),
    ),
    "apply": Transition(
        frozenset({S.APPROVED}),
        S.EFFECTIVE,
        frozenset({SYSTEM, CENTER}),
        gettext_lazy("Apply"),
    ),
}
# Editing is not a state change, but it has its own table: the raiser edits a draft; the
# department may name the incoming person on a submitted request the center raised.
EDITABLE = {S.DRAFT: frozenset({RAISER}), S.SUBMITTED: frozenset({"department_of_center_request"})}

NEEDS_INCOMING = {TransferKind.STATION, TransferKind.REPLACE}
NEEDS_OUTGOING = {TransferKind.REPLACE, TransferKind.WITHDRAW, TransferKind.ROTATE}
END_REASON = {
    TransferKind.REPLACE: EndReason.TRANSFER,
    TransferKind.WITHDRAW: EndReason.WITHDRAWN,
    TransferKind.ROTATE: EndReason.ROTATION,
}
EDIT_FIELDS = (
    "override_reason",
    "kind",
    "window",
    "to_window",
    "outgoing",
    "incoming",
    "incoming_post",
    "reason",
    "early_justification",
    "effective_date",
)


# --- who is acting -------------------------------------------------------------------------------


def side_of(user: Any, department_id: int) -> str | None:
    """The side ``user`` acts for on a request of ``department_id``; None when neither."""
    if user is None:
        return None
    role = role_of(user)
    if role == Role.CENTER_ADMIN:
        return Side.CENTER
    if role == Role.LIAISON and can_use_department(user, department_id):
        return Side.DEPARTMENT
    return None


def roles_of(transfer: TransferRequest, actor: Any) -> set[str]:
    if actor is None:
        return {SYSTEM}
    side = side_of(actor, transfer.department_id)
    if side is None or not has_perm(actor, Perm.TRANSFER_EDIT):
        return set()
    roles = {RAISER if side == transfer.raised_by else COUNTERPARTY}
    if side == Side.CENTER:
        roles.add(CENTER)
    if side == Side.DEPARTMENT and transfer.raised_by == Side.CENTER:
        roles.add("department_of_center_request")
    return roles


def allowed_actions(transfer: TransferRequest, user: Any) -> list[str]:
    """The transitions ``user`` may fire now (for buttons; the services re-check everything)."""
    roles = roles_of(transfer, user)
    actions = [
        name
        for name, t in TRANSITIONS.items()
        if transfer.state in t.sources and roles & t.actors and name != "apply"
    ]
    if (
        "apply" in TRANSITIONS
        and transfer.state == S.APPROVED
        and CENTER in roles
        and transfer.effective_date <= timezone.localdate()
    ):
        actions.append("apply")
    return actions


def can_edit(transfer: TransferRequest, user: Any) -> bool:
    return bool(roles_of(transfer, user) & EDITABLE.get(transfer.state, frozenset()))


def can_vet(transfer: TransferRequest, user: Any) -> bool:
    return (
        transfer.state == S.VETTING
        and CENTER in roles_of(transfer, user)
        and has_perm(user, Perm.VETTING_RECORD)
    )


# --- one transition, under the row lock ---------------------------------------------------------


def lock(pk: int) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related(
            "department", "window", "to_window", "outgoing", "incoming", "outgoing_stationing"
        )
        .get(pk=pk)
    )


def begin(transfer: TransferRequest, action: str, actor: Any) -> TransferRequest:
    """Lock the row and check that ``action`` may fire now, by this actor."""
    locked = lock(transfer.pk)
    rule = TRANSITIONS[action]
    roles = roles_of(locked, actor)
    if not roles:
        raise PermissionDenied(_("You are not allowed to do this."))
    if not roles & rule.actors:
        raise PermissionDenied(
            _("Your side may not “%(action)s” this request.") % {"action": rule.label}
        )
    if locked.state not in rule.sources:
        # checked under the row lock: of two people acting at once, the second lands here
        raise TransferConflict(
            _(
                "This request is already %(state)s, so “%(action)s” was not applied. Someone "
                "may have acted on it at the same time; reload the page."
            )
            % {"state": locked.get_state_display(), "action": rule.label}
        )
    return locked


def finish(locked: TransferRequest, action: str, actor: Any, reason: str = "") -> None:
    locked.state = TRANSITIONS[action].target
    locked.version += 1
    with audited(actor=actor, reason=reason or str(TRANSITIONS[action].label), action=action):
        locked.save()
    notify.queue(locked, action, actor)


def consent(locked: TransferRequest, side: str, actor: Any) -> None:
    now = timezone.now()
    if side == Side.CENTER:
        locked.center_consent_by, locked.center_consent_at = actor, now
    else:
        locked.department_consent_by, locked.department_consent_at = actor, now
