"""Every write of the promotion workflow: recommendations, performance-reference requests, reserve
cadres and their rotation plans.

Recommendations are a state machine with an explicit table (:data:`TRANSITIONS`)::

    draft ─submit─▶ submitted ─adopt──▶ adopted
                        └──────decline─▶ not adopted

Every transition locks the row, re-checks its state (and the version the user saw, when given)
under the lock, so of two people acting at once exactly one wins and the other gets
:class:`WorkflowConflict`; then it writes with one audit entry and notifies in the same
transaction (notification rows commit with the change; e-mail goes after commit). A refused
transition raises before anything is written.
"""

from .common import WorkflowConflict, default_period
from .home import (
    answered_on_behalf,
    can_answer,
    can_record_outcome,
    recommendation_home_answer,
    recommendation_home_outcome,
)
from .recommendations import (
    EDIT_FIELDS,
    TRANSITION_PERMS,
    TRANSITIONS,
    allowed_actions,
    decided_on_behalf,
    recommendation_create,
    recommendation_decide,
    recommendation_submit,
    recommendation_update,
)
from .references import (
    default_due_date,
    reference_request_answer,
    reference_request_create,
    reference_request_withdraw,
)
from .reserve import (
    reserve_mark,
    rotation_plan_cancel,
    rotation_plan_create,
    rotation_plan_propose,
    rotation_plan_start,
)

__all__ = [
    "EDIT_FIELDS",
    "TRANSITIONS",
    "TRANSITION_PERMS",
    "WorkflowConflict",
    "allowed_actions",
    "answered_on_behalf",
    "can_answer",
    "can_record_outcome",
    "decided_on_behalf",
    "default_due_date",
    "default_period",
    "recommendation_create",
    "recommendation_decide",
    "recommendation_home_answer",
    "recommendation_home_outcome",
    "recommendation_submit",
    "recommendation_update",
    "reference_request_answer",
    "reference_request_create",
    "reference_request_withdraw",
    "reserve_mark",
    "rotation_plan_cancel",
    "rotation_plan_create",
    "rotation_plan_propose",
    "rotation_plan_start",
]
