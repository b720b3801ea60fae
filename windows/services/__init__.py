"""Every write of the windows app. Views, the API, Celery tasks and the demo come through here."""

from .appointments import appointment_end, appointment_file
from .returns import stationing_return
from .stand_ins import stand_in_create, stand_in_end, stand_in_update
from .stationings import stationing_record_existing
from .transfers import (
    TRANSITIONS,
    TransferConflict,
    allowed_actions,
    side_of,
    transfer_apply,
    transfer_apply_due,
    transfer_approve,
    transfer_attach,
    transfer_create,
    transfer_reject,
    transfer_start_vetting,
    transfer_submit,
    transfer_update,
    transfer_withdraw,
    vetting_record,
)

__all__ = [
    "TRANSITIONS",
    "TransferConflict",
    "allowed_actions",
    "appointment_end",
    "appointment_file",
    "side_of",
    "stationing_return",
    "stationing_record_existing",
    "stand_in_create",
    "stand_in_end",
    "stand_in_update",
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
