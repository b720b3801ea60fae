"""Courses and their sessions (outside working hours, or flagged)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Department
from staff.permissions import Perm

from ..models import (
    Course,
    CourseSkill,
    OrganizerSide,
    Session,
    Skill,
)
from ..schedule import is_outside_hours
from .common import clean, require, require_course


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
    require(actor, Perm.TRAINING_MANAGE)
    if side == OrganizerSide.DEPARTMENT and department is None:
        raise ValidationError({"department": _("A department-run course names its department.")})
    require_course(actor, course)
    clean(course)
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
    require(actor, Perm.TRAINING_MANAGE)
    require_course(actor, course)
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
    clean(session)
    session.outside_hours = is_outside_hours(starts_at, ends_at)
    with audited(actor=actor, reason=reason):
        session.save()
    return session
