"""A window is never left empty: stepping out needs the stand-in (or, without an A/B pair, a
colleague) on duty; a leave's stand-in is not on leave those days, and a person standing in for a
colleague cannot take leave on those days; a make-up punch cannot rewrite a settled month."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance.models import (
    DeductionState,
    LeaveRequest,
    LeaveStatus,
    MakeupRequest,
    MonthDeduction,
    StepOut,
)
from attendance.services import leave as svc
from attendance.services import makeups, step_outs
from windows.models import StandIn

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def _away_on_leave(person, day=None):
    day = day or timezone.localdate()
    return LeaveRequest.objects.create(
        staff=person,
        category="personal",
        start_date=day,
        end_date=day,
        days=1,
        reason="x",
        status=LeaveStatus.APPROVED,
        steps=[],
        requested_by=person.user if person.user_id else None,
    )


def _pair(center, a, b):
    return StandIn.objects.create(window=center["window_a"], a=a, b=b, valid_from=date(2024, 1, 1))


def test_stepping_out_needs_the_stand_in_on_duty(center):
    me, partner = center["me"], center["person_a"]
    _pair(center, me, partner)
    leave = _away_on_leave(partner)
    with pytest.raises(ValidationError, match=partner.name):
        step_outs.step_out_register(actor=me.user, staff=me, reason="送件", destination="档案馆")
    assert not StepOut.objects.filter(staff=me).exists()
    leave.status = LeaveStatus.RETURNED
    leave.save()
    step_outs.step_out_register(actor=me.user, staff=me, reason="送件", destination="档案馆")
    assert StepOut.objects.filter(staff=me, back_at__isnull=True).exists()


def test_stand_in_out_blocks_the_a_post_too(center):
    me, partner = center["me"], center["person_a"]
    _pair(center, me, partner)
    StepOut.objects.create(
        staff=partner, out_at=timezone.now(), reason="x", destination="y", registered_by=None
    )
    with pytest.raises(ValidationError):
        step_outs.step_out_register(actor=me.user, staff=me, reason="送件", destination="档案馆")


def test_without_a_pair_a_colleague_must_be_on_duty(center):
    me = center["me"]
    for colleague in (center["chief"], center["person_a"]):
        StepOut.objects.create(
            staff=colleague, out_at=timezone.now(), reason="x", destination="y", registered_by=None
        )
    with pytest.raises(ValidationError, match="nobody|无人|没有"):
        step_outs.step_out_register(actor=me.user, staff=me, reason="送件", destination="档案馆")
    StepOut.objects.filter(staff=center["chief"]).update(back_at=timezone.now())
    step_outs.step_out_register(actor=me.user, staff=me, reason="送件", destination="档案馆")


def _ask(center, person, start, end, stand_in=None):
    return svc.leave_request(
        actor=center["admin"],
        staff=person,
        category="personal",
        start_date=start,
        end_date=end,
        reason="家中有事",
        stand_in=stand_in,
    )


def test_the_stand_in_is_not_on_leave_those_days(center):
    me, partner = center["me"], center["person_a"]
    _ask(center, partner, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        _ask(center, me, MONDAY, MONDAY + timedelta(days=2), stand_in=partner)
    assert "stand_in" in caught.value.message_dict
    assert LeaveRequest.objects.filter(staff=me).count() == 0
    # naming the stand-in later is checked the same way
    mine = _ask(center, me, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7))
    _ask(center, partner, MONDAY + timedelta(days=7), MONDAY + timedelta(days=8))
    with pytest.raises(ValidationError):
        svc.leave_set_stand_in(actor=center["admin"], leave=mine, stand_in=partner)
    mine.refresh_from_db()
    assert mine.stand_in_id is None


def test_a_stand_in_cannot_take_leave_on_the_days_they_stand_in(center):
    me, partner = center["me"], center["person_a"]
    _ask(center, me, MONDAY, MONDAY + timedelta(days=2), stand_in=partner)
    with pytest.raises(ValidationError) as caught:
        _ask(center, partner, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1))
    assert me.name in " ".join(caught.value.message_dict["start_date"])
    # other days are fine
    _ask(center, partner, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7))


def test_approval_rechecks_the_stand_in(center):
    me, partner = center["me"], center["person_a"]
    leave = _ask(center, me, MONDAY, MONDAY, stand_in=partner)
    _away_on_leave(partner, MONDAY)  # approved behind the request's back (say, by the center)
    with pytest.raises(ValidationError) as caught:
        svc.leave_decide(actor=center["chief_user"], leave=leave, approve=True)
    assert "stand_in" in caught.value.message_dict
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_no_make_up_punch_in_a_settled_month(center):
    me = center["me"]
    recent = timezone.localtime() - timedelta(minutes=30)
    first = recent.date().replace(day=1)
    MonthDeduction.objects.create(
        staff=me,
        department=me.department,
        month=first,
        kind="late",
        quantity=1,
        state=DeductionState.CONFIRMED,
    )
    with pytest.raises(ValidationError) as caught:
        makeups.makeup_request(actor=me.user, staff=me, at=recent, reason="忘记")
    assert "at" in caught.value.message_dict
    assert not MakeupRequest.objects.filter(staff=me).exists()


def test_a_pending_make_up_is_not_approved_once_the_month_is_settled(center):
    me = center["me"]
    recent = timezone.localtime() - timedelta(minutes=30)
    request = makeups.makeup_request(actor=me.user, staff=me, at=recent, reason="忘记")
    MonthDeduction.objects.create(
        staff=me,
        department=me.department,
        month=recent.date().replace(day=1),
        kind="late",
        quantity=1,
        state=DeductionState.CONFIRMED,
    )
    with pytest.raises(ValidationError):
        makeups.makeup_decide(actor=center["admin"], request=request, approve=True)
    request.refresh_from_db()
    assert request.status == "pending"
    # refusing stays possible
    makeups.makeup_decide(actor=center["admin"], request=request, approve=False, note="月度已结算")
