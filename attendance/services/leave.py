"""Leave: asked with a named stand-in, approved in tiers, withdrawn, ended early (销假). Stepping
out is in ``step_outs``, make-up punches in ``makeups``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.workdays import is_working_day
from staff.models import Role, Staff, StaffStatus
from staff.permissions import Perm, can_use_department, has_perm, role_of
from windows.models import Post, Stationing

from ..conf import conf
from ..models import (
    Half,
    LeaveApproval,
    LeaveCategory,
    LeaveRequest,
    LeaveStatus,
    LeaveStep,
)
from .common import may_act_for, require
from .cover import check_not_standing_in, check_stand_in_available
from .days import person_days_refresh


def leave_days(start: date, start_half: str, end: date, end_half: str) -> Decimal:
    """Working days of the leave, halves counted as 0.5."""
    total = Decimal(0)
    day = start
    while day <= end:
        if is_working_day(day):
            share = Decimal(1)
            if day == start and start_half == Half.PM:
                share -= Decimal("0.5")
            if day == end and end_half == Half.AM:
                share -= Decimal("0.5")
            total += max(share, Decimal(0))
        day += timedelta(days=1)
    return total


def leave_steps(days: Decimal) -> list[str]:
    """The approval steps of a leave this long (``LEAVE_TIERS``), and the home department's
    consent from ``LEAVE_DEPARTMENT_CONSENT_DAYS``."""
    steps: list[str] = []
    for tier in conf("LEAVE_TIERS"):
        if tier["max_days"] is None or days <= Decimal(str(tier["max_days"])):
            steps = list(tier["steps"])
            break
    if days >= Decimal(str(conf("LEAVE_DEPARTMENT_CONSENT_DAYS"))) and "department" not in steps:
        steps.append(LeaveStep.DEPARTMENT)
    return steps


def chief_users(staff_ids: list[int]) -> dict[int, int | None]:
    """Per person: the user id of the chief representative of the window they are stationed at
    today (the one who decides the chief's step), None when the window has none. Two queries."""
    today = timezone.localdate()
    windows = dict(
        Stationing.objects.current_on(today)
        .filter(staff_id__in=staff_ids)
        .values_list("staff_id", "window_id")
    )
    chiefs = dict(
        Stationing.objects.current_on(today)
        .filter(window_id__in=set(windows.values()), post=Post.CHIEF_REPRESENTATIVE)
        .values_list("window_id", "staff__user_id")
    )
    return {staff_id: chiefs.get(windows.get(staff_id)) for staff_id in staff_ids}


def _check_stand_in(staff: Staff, stand_in: Staff | None) -> None:
    if stand_in is None:
        return
    if stand_in.pk == staff.pk:
        raise ValidationError({"stand_in": [_("The stand-in cannot be the person on leave.")]})
    if stand_in.status != StaffStatus.ACTIVE:
        raise ValidationError({"stand_in": [_("The stand-in must be active staff.")]})


@transaction.atomic
def leave_request(
    *,
    actor: Any,
    staff: Staff,
    category: str,
    start_date: date,
    end_date: date,
    reason: str,
    start_half: str = Half.AM,
    end_half: str = Half.PM,
    stand_in: Staff | None = None,
) -> LeaveRequest:
    """Ask for leave for oneself (or, for the center, for a person). Its steps are fixed now.
    Raises ValidationError (bad dates, no working day, overlap, bad stand-in) or
    PermissionDenied."""
    require(actor, Perm.ATTENDANCE_REQUEST)
    if not may_act_for(actor, staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may ask for leave only for yourself."))
    errors: dict[str, list[str]] = {}
    if category not in LeaveCategory.values:
        errors["category"] = [_("Choose a leave category.")]
    if end_date < start_date or (
        end_date == start_date and start_half == Half.PM and end_half == Half.AM
    ):
        errors["end_date"] = [_("The leave ends before it starts.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if errors:
        raise ValidationError(errors)
    days = leave_days(start_date, start_half, end_date, end_half)
    if days <= 0:
        raise ValidationError({"start_date": [_("The leave covers no working day.")]})
    overlap = LeaveRequest.objects.filter(
        staff=staff,
        status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
        start_date__lte=end_date,
        end_date__gte=start_date,
    ).exists()
    if overlap:
        raise ValidationError({"start_date": [_("Another leave request covers these days.")]})
    _check_stand_in(staff, stand_in)
    check_stand_in_available(staff, stand_in, start_date, end_date)
    check_not_standing_in(staff, start_date, end_date)
    leave = LeaveRequest(
        staff=staff,
        category=category,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=reason.strip(),
        stand_in=stand_in,
        steps=leave_steps(days),
        requested_by=actor,
    )
    leave.full_clean()
    with audited(actor=actor, reason=_("Leave requested")):
        leave.save()
    return leave


def may_decide(
    actor: Any, leave: LeaveRequest, step: str, chiefs: dict[int, int | None] | None = None
) -> bool:
    """Who decides a step: the chief representative of the person's window (the center when
    the window has none, or when the person is the chief), the center, the home department's
    liaison. ``chiefs`` is :func:`chief_users` for a list of leaves."""
    if step == LeaveStep.CHIEF:
        chiefs = chiefs if chiefs is not None else chief_users([leave.staff_id])
        chief_user = chiefs.get(leave.staff_id)
        if chief_user is not None and chief_user != leave.staff.user_id:
            return chief_user == actor.pk
        return has_perm(actor, Perm.ATTENDANCE_MANAGE)
    if step == LeaveStep.CENTER:
        return has_perm(actor, Perm.ATTENDANCE_MANAGE)
    if step == LeaveStep.DEPARTMENT:
        return (
            role_of(actor) == Role.LIAISON
            and has_perm(actor, Perm.LEAVE_CONSENT)
            and can_use_department(actor, leave.staff.department_id)
        )
    return False


@transaction.atomic
def leave_decide(*, actor: Any, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """Decide the leave's next step. The stand-in must be named before any approval. The last
    approval approves the leave (and re-derives its past days); a refusal refuses it."""
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave.pk)
    step = leave.next_step
    if step is None:
        raise ValidationError(_("This leave request is not waiting for a decision."))
    if not may_decide(actor, leave, step):
        raise PermissionDenied(_("This step is not yours to decide."))
    if approve and leave.stand_in_id is None:
        raise ValidationError({"stand_in": [_("Name the stand-in before the leave is approved.")]})
    if approve:
        # the stand-in's own leave may have been approved since they were named
        check_stand_in_available(
            leave.staff,
            leave.stand_in,
            leave.start_date,
            leave.end_date,
            statuses=(LeaveStatus.APPROVED,),
        )
    if not approve and not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason for refusing.")]})
    with audited(actor=actor, reason=_("Leave decision")):
        LeaveApproval.objects.create(
            leave=leave, step=step, approved=approve, note=(note or "").strip(), decided_by=actor
        )
        if not approve:
            leave.status = LeaveStatus.REJECTED
        elif leave.next_step is None:
            leave.status = LeaveStatus.APPROVED
        leave.save(update_fields=["status"])
    if leave.status == LeaveStatus.APPROVED:
        person_days_refresh(staff_id=leave.staff_id, start=leave.start_date, end=leave.end_date)
    return leave


@transaction.atomic
def leave_set_stand_in(*, actor: Any, leave: LeaveRequest, stand_in: Staff) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave.pk)
    if not may_act_for(actor, leave.staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may not change this leave request."))
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(_("Only a pending leave request can change its stand-in."))
    _check_stand_in(leave.staff, stand_in)
    check_stand_in_available(leave.staff, stand_in, leave.start_date, leave.end_date)
    leave.stand_in = stand_in
    with audited(actor=actor, reason=_("Stand-in named")):
        leave.save(update_fields=["stand_in"])
    return leave


@transaction.atomic
def leave_withdraw(*, actor: Any, leave: LeaveRequest) -> LeaveRequest:
    """The person withdraws a pending leave, or an approved one that has not started."""
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave.pk)
    if not may_act_for(actor, leave.staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may not change this leave request."))
    started = leave.start_date <= timezone.localdate()
    if leave.status not in (LeaveStatus.PENDING, LeaveStatus.APPROVED) or (
        leave.status == LeaveStatus.APPROVED and started
    ):
        raise ValidationError(_("This leave request can no longer be withdrawn."))
    leave.status = LeaveStatus.WITHDRAWN
    with audited(actor=actor, reason=_("Leave withdrawn")):
        leave.save(update_fields=["status"])
    return leave


@transaction.atomic
def leave_return(*, actor: Any, leave: LeaveRequest, back_on: date | None = None) -> LeaveRequest:
    """Cancel the leave on return (销假): the person is back at work on ``back_on`` (today by
    default); days from then on are working days again."""
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave.pk)
    if not may_act_for(actor, leave.staff, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You may not change this leave request."))
    back_on = back_on or timezone.localdate()
    if leave.status != LeaveStatus.APPROVED:
        raise ValidationError(_("Only approved leave is closed on return."))
    if back_on <= leave.start_date or back_on > leave.end_date + timedelta(days=1):
        raise ValidationError(
            {"back_on": [_("The day back is after the first day and at most the day after.")]}
        )
    if back_on > timezone.localdate():
        raise ValidationError({"back_on": [_("The day back cannot be in the future.")]})
    leave.returned_on = back_on
    leave.status = LeaveStatus.RETURNED
    with audited(actor=actor, reason=_("Back from leave (销假)")):
        leave.save(update_fields=["returned_on", "status"])
    person_days_refresh(staff_id=leave.staff_id, start=back_on, end=leave.end_date)
    return leave
