"""Windows, the service items they handle, and who is stationed at them when, one module per
part: ``windows`` (service items, windows, stationings), ``chiefs`` (appointment letters and the
items they authorize), ``transfers`` (requests, attachments, vetting), ``replacements``
(replacement demands), ``stand_ins`` (AB岗).

The windows issue (#3) builds the transfer workflow, vetting and chief-representative rules on top
of these tables; assessments and training read them (which window a person served, when).
"""

from .chiefs import AuthorizedItem, ChiefAppointment
from .replacements import ReplacementDemand
from .stand_ins import StandIn
from .transfers import (
    OPEN_STATES,
    Side,
    TransferAttachment,
    TransferKind,
    TransferRequest,
    TransferState,
    Vetting,
    VettingDecision,
    attachment_path,
)
from .windows import EndReason, Post, ServiceItem, Stationing, Window, add_months, months_between

__all__ = [
    "ServiceItem",
    "Window",
    "Post",
    "EndReason",
    "Stationing",
    "months_between",
    "add_months",
    "ChiefAppointment",
    "AuthorizedItem",
    "TransferKind",
    "TransferState",
    "OPEN_STATES",
    "Side",
    "TransferRequest",
    "attachment_path",
    "TransferAttachment",
    "VettingDecision",
    "Vetting",
    "ReplacementDemand",
    "StandIn",
]
