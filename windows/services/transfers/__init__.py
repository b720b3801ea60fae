"""The transfer workflow: an explicit state machine with the allowed transitions per role.

::

    draft ─submit─▶ submitted ─start_vetting─▶ vetting ─approve─▶ approved ─apply─▶ effective
      │                   │  └────────approve (no incoming person)──────▶ │
      └──withdraw──┬──────┴──reject──▶ rejected     (a failed vetting also rejects)
                   ▼
               withdrawn

Who may fire a transition is a *side*: the raiser (the side that created the request), the
counterparty (the other side — the center approves what a department raises, the department's
liaison approves what the center raises), the center itself, or the system (the daily task).
Every transition locks the row, re-checks the state under the lock (so of two people approving at
once exactly one wins and the other gets :class:`TransferConflict`), writes an audit entry and
notifies the other side after commit.

The package, in reading order: ``machine`` (the sides, the transition table, one locked
transition), ``validation`` (the request's shape and the window rules), ``drafts`` (raise, edit,
attach), ``transitions`` (submit, vet, approve, reject, withdraw), ``apply`` (taking effect).
"""

from .apply import fulfil_replacement_demand, stationing_end, transfer_apply, transfer_apply_due
from .drafts import transfer_attach, transfer_create, transfer_update
from .machine import TRANSITIONS, TransferConflict, allowed_actions, can_edit, can_vet, side_of
from .transitions import (
    transfer_approve,
    transfer_reject,
    transfer_start_vetting,
    transfer_submit,
    transfer_withdraw,
    vetting_record,
)

__all__ = [
    "TRANSITIONS",
    "TransferConflict",
    "allowed_actions",
    "can_edit",
    "can_vet",
    "fulfil_replacement_demand",
    "side_of",
    "stationing_end",
    "transfer_apply",
    "transfer_apply_due",
    "transfer_approve",
    "transfer_attach",
    "transfer_create",
    "transfer_reject",
    "transfer_start_vetting",
    "transfer_submit",
    "transfer_update",
    "transfer_withdraw",
    "vetting_record",
]
