"""Every write of the training app: courses, sessions, enrollment, attendance, feedback, skill
levels and policy updates. Each checks the actor's permission and scope, validates, locks what it
changes, saves inside :func:`core.audit.audited` and raises translated errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Department, Staff
from staff.permissions import Perm, can_use_department, has_perm
from windows.models import ServiceItem

from .hours import training_hours_refresh
from .models import (
    DONE_STATUSES,
    SEAT_STATUSES,
    Course,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    OrganizerSide,
    PolicyUpdate,
    Session,
    Skill,
    SkillSource,
    StaffSkill,
)
from .schedule import is_outside_hours


def _require(actor: Any, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def can_manage_course(actor: Any, course: Course) -> bool:
    """Center-run courses belong to the center; department-run ones to that department's
    liaisons (and the center)."""
    if actor is None:
        return True
    if course.side == OrganizerSide.CENTER:
        return has_perm(actor, Perm.TRAINING_MANAGE_CENTER)
    return has_perm(actor, Perm.TRAINING_MANAGE) and can_use_department(actor, course.department_id)


def _require_course(actor: Any, course: Course) -> None:
    if not can_manage_course(actor, course):
        raise PermissionDenied(_("Only the organizer of this course may manage it."))


def _require_person(actor: Any, person: Staff) -> None:
    if actor is not None and not can_use_department(actor, person.department_id):
        raise PermissionDenied(_("You may only manage staff of your own department."))


def _clean(obj: Any) -> None:
    obj.full_clean()


@transaction.atomic
def course_create(
    *,
    actor: Any,
    code: str,
    title: str,
    category: str,
    side: str,
    hours: Decimal,
    department: Department | None = None,
    mandatory: bool = False,
    materials: str = "",
    skills: Sequence[tuple[Skill, int]] = (),
    reason: str = "",
) -> Course:
    """Create a course with the skills it covers and the level each reaches. A liaison creates
    department-run courses of their own department only."""
    if side == OrganizerSide.CENTER:
        department = None
    course = Course(
        code=(code or "").strip(),
        title=(title or "").strip(),
        category=category,
        side=side,
        department=department,
        hours=hours,
        mandatory=mandatory,
        materials=materials,
    )
    _require(actor, Perm.TRAINING_MANAGE)
    if side == OrganizerSide.DEPARTMENT and department is None:
        raise ValidationError({"department": _("A department-run course names its department.")})
    _require_course(actor, course)
    _clean(course)
    seen = set()
    for skill, level in skills:
        if skill.pk in seen:
            raise ValidationError({"skills": _("A skill is listed twice.")})
        seen.add(skill.pk)
        if not 1 <= int(level) <= 5:
            raise ValidationError({"skills": _("A level is between 1 and 5.")})
    with audited(actor=actor, reason=reason):
        course.save()
        for skill, level in skills:
            CourseSkill.objects.create(course=course, skill=skill, level=int(level))
    return course


@transaction.atomic
def session_create(
    *,
    actor: Any,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
    online: bool = False,
    trainer: str = "",
    reason: str = "",
) -> Session:
    """Schedule a session; whether it lies outside working hours is derived from the center's
    working hours and calendar."""
    _require(actor, Perm.TRAINING_MANAGE)
    _require_course(actor, course)
    if not course.active:
        raise ValidationError({"course": _("This course is no longer offered.")})
    if not online and not (place or "").strip():
        raise ValidationError({"place": _("Give a place, or mark the session as online.")})
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=(place or "").strip(),
        online=online,
        trainer=(trainer or "").strip(),
    )
    _clean(session)
    session.outside_hours = is_outside_hours(starts_at, ends_at)
    with audited(actor=actor, reason=reason):
        session.save()
    return session


def _lock_session(session: Session) -> Session:
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
        _require(actor, Perm.TRAINING_SELF_ENROLL)
        if own is None or any(p.pk != own.pk for p in people):
            raise PermissionDenied(_("You may only enroll yourself."))
    else:
        for person in people:
            _require_person(actor, person)
    locked = _lock_session(session)
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
    _require(actor, Perm.TRAINING_SELF_ENROLL)
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
    locked = _lock_session(session)
    _require(actor, Perm.TRAINING_MANAGE)
    _require_course(actor, locked.course)
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
    _require(actor, Perm.TRAINING_SELF_ENROLL)
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


@transaction.atomic
def staff_skill_set(
    *,
    actor: Any,
    person: Staff,
    skill: Skill,
    level: int,
    assessed_on: date,
    source: str = SkillSource.ASSESSMENT,
    reason: str = "",
) -> StaffSkill:
    """Record a person's assessed level of a skill (replaces the current one; the audit trail
    keeps the earlier levels)."""
    _require(actor, Perm.TRAINING_SKILL_EDIT)
    _require_person(actor, person)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    row = StaffSkill.objects.select_for_update().filter(
        staff=person, skill=skill
    ).first() or StaffSkill(staff=person, skill=skill)
    row.level, row.assessed_on, row.source = level, assessed_on, source
    row.full_clean(validate_unique=False)
    with audited(actor=actor, reason=reason):
        row.save()
    return row


@transaction.atomic
def policy_update_create(
    *,
    actor: Any,
    title: str,
    published_on: date,
    course: Course,
    service_items: Sequence[ServiceItem],
    deadline: date | None = None,
    summary: str = "",
    reason: str = "",
) -> PolicyUpdate:
    """Publish a policy update; the staff of windows handling its service items need its course by
    the deadline (default: publication + TRAINING_POLICY_DEADLINE_DAYS)."""
    from datetime import timedelta

    from django.conf import settings

    _require(actor, Perm.POLICY_UPDATE_EDIT)
    if not service_items:
        raise ValidationError({"service_items": _("Tag at least one service item.")})
    if deadline is None:
        deadline = published_on + timedelta(days=settings.CENTER["TRAINING_POLICY_DEADLINE_DAYS"])
    update = PolicyUpdate(
        title=(title or "").strip(),
        summary=summary,
        published_on=published_on,
        deadline=deadline,
        course=course,
    )
    update.full_clean()
    with audited(actor=actor, reason=reason):
        update.save()
        update.service_items.set(service_items)
    return update


@transaction.atomic
def policy_update_close(*, actor: Any, update: PolicyUpdate, reason: str = "") -> PolicyUpdate:
    _require(actor, Perm.POLICY_UPDATE_EDIT)
    locked = PolicyUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.closed:
        raise ValidationError(_("This policy update is already closed."))
    locked.closed = True
    with audited(actor=actor, reason=reason):
        locked.save()
    return locked
