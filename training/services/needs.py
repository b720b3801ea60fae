"""What people need to learn: a person's assessed skill levels, and policy updates (their course
needed by the staff of the tagged service items by a deadline)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from staff.models import Staff
from staff.permissions import Perm
from windows.models import ServiceItem

from ..models import (
    Course,
    PolicyUpdate,
    Skill,
    SkillSource,
    StaffSkill,
)
from .common import require, require_person


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
    require(actor, Perm.TRAINING_SKILL_EDIT)
    require_person(actor, person)
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

    require(actor, Perm.POLICY_UPDATE_EDIT)
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
    require(actor, Perm.POLICY_UPDATE_EDIT)
    locked = PolicyUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.closed:
        raise ValidationError(_("This policy update is already closed."))
    locked.closed = True
    with audited(actor=actor, reason=reason):
        locked.save()
    return locked
