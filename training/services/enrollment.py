"""Enrollment (by the person or for them, cancelled before the session starts), attendance with
the hours and skill levels it brings, and feedback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm, has_perm

from ..hours import training_hours_refresh
from ..models import (
    DONE_STATUSES,
    SEAT_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Session,
    SkillSource,
    StaffSkill,
)
from .common import require, require_course, require_person


def lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


@transaction.atomic
def enrollment_add(
    *,
    actor: Any,
    session: Session,
    people: Iterable[Staff],
    status: str = EnrollmentStatus.ENROLLED,
    reason: str = "",
) -> list[Enrollment]:
    """Enroll or invite people. Staff may enroll only themselves; a liaison only their own staff.
    Refuses a cancelled or past session, a full session, and a person already on the roll."""
    people = list(people)
    if not people:
        raise ValidationError(_("Choose at least one person."))
    if status not in (EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED):
        raise ValidationError({"status": _("New enrollments are invited or enrolled.")})
    own = getattr(actor, "staff_profile", None) if actor is not None else None
    self_only = actor is not None and not has_perm(actor, Perm.TRAINING_MANAGE)
    if self_only:
        require(actor, Perm.TRAINING_SELF_ENROLL)
        if own is None or any(p.pk != own.pk for p in people):
            raise PermissionDenied(_("You may only enroll yourself."))
    else:
        for person in people:
            require_person(actor, person)
    locked = lock_session(session)
    if locked.cancelled:
        raise ValidationError(_("This session was cancelled."))
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started."))
    course_department = locked.course.department_id
    for person in people:
        if course_department is not None and person.department_id != course_department:
            raise ValidationError(
                _("%(name)s is not in the department that runs this course.")
                % {"name": person.name}
            )
    existing = set(
        Enrollment.objects.filter(session=locked, staff__in=people).values_list(
            "staff_id", flat=True
        )
    )
    if existing:
        names = ", ".join(p.name for p in people if p.pk in existing)
        raise ValidationError(_("Already on the roll: %(names)s") % {"names": names})
    taken = Enrollment.objects.filter(session=locked, status__in=SEAT_STATUSES).count()
    if taken + len(people) > locked.capacity:
        raise ValidationError(
            _("Not enough seats: %(left)s left.") % {"left": max(locked.capacity - taken, 0)}
        )
    created = []
    with audited(actor=actor, reason=reason):
        for person in people:
            enrollment = Enrollment(session=locked, staff=person, status=status)
            enrollment.save()
            created.append(enrollment)
    return created


@transaction.atomic
def enrollment_cancel(*, actor: Any, enrollment: Enrollment, reason: str = "") -> None:
    """The person withdraws from a session they are enrolled in or invited to, before it starts;
    the seat is free again. Only their own enrollment; the audit trail keeps the removed row."""
    require(actor, Perm.TRAINING_SELF_ENROLL)
    locked = (
        Enrollment.objects.select_for_update()
        .select_related("session", "session__course", "staff")
        .get(pk=enrollment.pk)
    )
    own = getattr(actor, "staff_profile", None)
    if own is None or own.pk != locked.staff_id:
        raise PermissionDenied(_("You may only cancel your own enrollment."))
    if locked.status not in (EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED):
        raise ValidationError(_("Only an enrollment that has not been attended can be cancelled."))
    if locked.session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started."))
    with audited(actor=actor, reason=reason or _("Enrollment cancelled by the person")):
        locked.delete()


@dataclass(frozen=True)
class AttendanceRow:
    enrollment_id: int
    status: str
    hours: Decimal | None = None
    score: Decimal | None = None
    result: str = ""


@transaction.atomic
def attendance_record(
    *, actor: Any, session: Session, rows: Sequence[AttendanceRow], reason: str = ""
) -> list[Enrollment]:
    """Record attendance for many people of one session at once (all or nothing).

    Attended and completed credit the course's hours unless other hours are given (never more than
    the course's); absent credits none (recording a row again corrects it). Completion raises the
    person's level of each skill the course covers to the level it reaches (source: training).
    The people's ``TrainingHours`` rows for the session's year are recomputed in the same
    transaction."""
    locked = lock_session(session)
    require(actor, Perm.TRAINING_MANAGE)
    require_course(actor, locked.course)
    if locked.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    allowed = {EnrollmentStatus.ATTENDED, EnrollmentStatus.ABSENT, EnrollmentStatus.COMPLETED}
    by_id = {
        e.pk: e
        for e in Enrollment.objects.select_for_update()
        .select_related("staff")
        .filter(session=locked, pk__in=[r.enrollment_id for r in rows])
    }
    course_hours = locked.course.hours
    errors = []
    changes = []
    for row in rows:
        enrollment = by_id.get(row.enrollment_id)
        if enrollment is None:
            errors.append(
                _("Enrollment %(id)s is not on this session.") % {"id": row.enrollment_id}
            )
            continue
        if row.status not in allowed:
            errors.append(
                _("%(name)s: attendance is attended, absent or completed.")
                % {"name": enrollment.staff.name}
            )
            continue
        hours = Decimal("0")
        if row.status in DONE_STATUSES:
            hours = course_hours if row.hours is None else Decimal(row.hours)
            if hours < 0 or hours > course_hours:
                errors.append(
                    _("%(name)s: hours credited must be between 0 and %(max)s.")
                    % {"name": enrollment.staff.name, "max": course_hours}
                )
                continue
        enrollment.status = row.status
        enrollment.hours_credited = hours
        enrollment.score = row.score
        enrollment.result = (row.result or "").strip()
        try:
            enrollment.full_clean(exclude=["session", "staff"])
        except ValidationError as exc:
            errors.append(f"{enrollment.staff.name}: {'; '.join(exc.messages)}")
            continue
        changes.append(enrollment)
    if errors:
        raise ValidationError(errors)
    completed = [e.staff_id for e in changes if e.status == EnrollmentStatus.COMPLETED]
    with audited(actor=actor, reason=reason):
        for enrollment in changes:
            enrollment.save()
        if completed:
            _raise_skills(
                completed,
                list(locked.course.skill_links.values_list("skill_id", "level")),
                timezone.localdate(locked.starts_at),
            )
        training_hours_refresh(
            staff_ids=[e.staff_id for e in changes],
            years=[timezone.localtime(locked.starts_at).year],
        )
    return changes


def _raise_skills(person_ids: list[int], levels: list[tuple[int, int]], on: date) -> None:
    if not levels:
        return
    current = {
        (s.staff_id, s.skill_id): s
        for s in StaffSkill.objects.select_for_update().filter(
            staff_id__in=person_ids, skill_id__in=[k for k, _l in levels]
        )
    }
    for person_id in person_ids:
        for skill_id, level in levels:
            row = current.get((person_id, skill_id))
            if row is None:
                StaffSkill.objects.create(
                    staff_id=person_id,
                    skill_id=skill_id,
                    level=level,
                    assessed_on=on,
                    source=SkillSource.TRAINING,
                )
            elif row.level < level:
                row.level, row.assessed_on, row.source = level, on, SkillSource.TRAINING
                row.save()


@transaction.atomic
def feedback_submit(
    *, actor: Any, enrollment: Enrollment, feedback: str, rating: int | None = None
) -> Enrollment:
    """Feedback on a session, only from the person who attended it."""
    require(actor, Perm.TRAINING_SELF_ENROLL)
    locked = Enrollment.objects.select_for_update().select_related("staff").get(pk=enrollment.pk)
    own = getattr(actor, "staff_profile", None)
    if own is None or own.pk != locked.staff_id:
        raise PermissionDenied(_("Only the attendee may give feedback."))
    if locked.status not in DONE_STATUSES:
        raise ValidationError(_("Feedback is open to attendees only."))
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": _("Write your feedback.")})
    locked.feedback = feedback
    locked.feedback_rating = rating
    locked.full_clean(exclude=["session", "staff"])
    with audited(actor=actor):
        locked.save()
    return locked
