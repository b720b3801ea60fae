"""Every write of the training app: courses, sessions, enrollment, attendance, feedback, skill
levels and policy updates. Each checks the actor's permission and scope, validates, locks what it
changes, saves inside :func:`core.audit.audited` and raises translated errors.

One module per part: ``courses`` (courses and sessions), ``enrollment`` (enrollment, attendance,
feedback), ``needs`` (skill levels, policy updates); ``common`` holds their checks. Callers use
``training.services``, which exports every service."""

from .common import can_manage_course
from .courses import course_create, session_create
from .enrollment import (
    AttendanceRow,
    attendance_record,
    enrollment_add,
    enrollment_cancel,
    feedback_submit,
)
from .needs import policy_update_close, policy_update_create, staff_skill_set

__all__ = [
    "course_create",
    "session_create",
    "enrollment_add",
    "enrollment_cancel",
    "AttendanceRow",
    "attendance_record",
    "feedback_submit",
    "staff_skill_set",
    "policy_update_create",
    "policy_update_close",
    "can_manage_course",
]
