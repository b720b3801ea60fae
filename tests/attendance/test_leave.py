"""Leave in approval tiers (chief ≤ 1 day, center above, the home department's consent from
2 days), the stand-in named before approval, 销假; stepping out flagged overdue live; make-up
punches with their cut-offs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from attendance.models import AttendanceDay, LeaveStatus, Punch, StepOut
from attendance.selectors import with_overdue
from attendance.services import leave as svc
from attendance.services import makeups, step_outs
from attendance.services.days import days_derive
from core.models import WorkdayOverride

from .conftest import at
from .helpers import punch

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def test_tiers_from_the_settings():
    assert svc.leave_steps(Decimal("0.5")) == ["chief"]
    assert svc.leave_steps(Decimal("1")) == ["chief"]
    assert svc.leave_steps(Decimal("1.5")) == ["chief", "center"]
    assert svc.leave_steps(Decimal("2")) == ["chief", "center", "department"]


def test_tiers_follow_changed_settings(settings):
    settings.CENTER = {
        **settings.CENTER,
        "ATTENDANCE": {
            **settings.CENTER["ATTENDANCE"],
            "LEAVE_TIERS": [
                {"max_days": 3, "steps": ["center"]},
                {"max_days": None, "steps": ["chief", "center"]},
            ],
            "LEAVE_DEPARTMENT_CONSENT_DAYS": 5,
        },
    }
    assert svc.leave_steps(Decimal("3")) == ["center"]
    assert svc.leave_steps(Decimal("5")) == ["chief", "center", "department"]


def test_days_count_working_days_and_halves():
    # Friday 6 November pm to Monday 9 November am: the weekend does not count
    assert svc.leave_days(date(2026, 11, 6), "pm", date(2026, 11, 9), "am") == Decimal("1")
    assert svc.leave_days(MONDAY, "am", MONDAY, "am") == Decimal("0.5")


def ask(center, start, end, **kwargs):
    return svc.leave_request(
        actor=center["me"].user,
        staff=center["me"],
        category="personal",
        start_date=start,
        end_date=end,
        reason="家中有事",
        **kwargs,
    )


def test_one_day_needs_only_the_chief_and_the_stand_in_first(center):
    leave = ask(center, MONDAY, MONDAY)
    assert leave.steps == ["chief"]
    with pytest.raises(PermissionDenied):
        svc.leave_decide(actor=center["admin"], leave=leave, approve=True)  # the chief's step
    with pytest.raises(ValidationError, match="stand-in|替岗"):
        svc.leave_decide(actor=center["chief_user"], leave=leave, approve=True)
    svc.leave_set_stand_in(actor=center["me"].user, leave=leave, stand_in=center["person_a"])
    leave = svc.leave_decide(actor=center["chief_user"], leave=leave, approve=True)
    assert leave.status == LeaveStatus.APPROVED
    assert LogEntry.objects.get_for_object(leave).filter(actor=center["chief_user"]).exists()


def test_two_days_need_chief_center_and_the_department(center, liaison_a, liaison_b):
    leave = ask(center, MONDAY, MONDAY + timedelta(days=1), stand_in=center["person_a"])
    assert leave.days == 2 and leave.steps == ["chief", "center", "department"]
    svc.leave_decide(actor=center["chief_user"], leave=leave, approve=True)
    with pytest.raises(PermissionDenied):
        svc.leave_decide(actor=liaison_a, leave=leave, approve=True)  # the center's turn
    svc.leave_decide(actor=center["admin"], leave=leave, approve=True)
    with pytest.raises(PermissionDenied):
        svc.leave_decide(actor=liaison_b, leave=leave, approve=True)  # not their department
    with pytest.raises(PermissionDenied):
        svc.leave_decide(actor=center["admin"], leave=leave, approve=True)  # the liaison's
    leave = svc.leave_decide(actor=liaison_a, leave=leave, approve=True)
    assert leave.status == LeaveStatus.APPROVED


def test_refusal_needs_a_reason_and_ends_the_request(center):
    leave = ask(center, MONDAY, MONDAY)
    with pytest.raises(ValidationError):
        svc.leave_decide(actor=center["chief_user"], leave=leave, approve=False)
    leave = svc.leave_decide(
        actor=center["chief_user"], leave=leave, approve=False, note="人手不足"
    )
    assert leave.status == LeaveStatus.REJECTED
    with pytest.raises(ValidationError):
        svc.leave_decide(actor=center["chief_user"], leave=leave, approve=True)


def test_overlap_bad_stand_in_and_others_leave_are_refused(center):
    ask(center, MONDAY, MONDAY)
    with pytest.raises(ValidationError):
        ask(center, MONDAY, MONDAY + timedelta(days=1))
    with pytest.raises(ValidationError):
        ask(center, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7), stand_in=center["me"])
    with pytest.raises(PermissionDenied):
        svc.leave_request(
            actor=center["me"].user,
            staff=center["person_a"],
            category="sick",
            start_date=MONDAY,
            end_date=MONDAY,
            reason="x",
        )


def test_return_from_leave_gives_the_days_back(center, liaison_a):
    friday = MONDAY + timedelta(days=4)
    leave = ask(center, MONDAY, friday, stand_in=center["person_a"])
    for actor in (center["chief_user"], center["admin"], liaison_a):
        leave = svc.leave_decide(actor=actor, leave=leave, approve=True)
    assert leave.status == LeaveStatus.APPROVED
    days_derive(start=MONDAY, end=friday)
    assert set(
        AttendanceDay.objects.filter(staff=center["me"]).values_list("status", flat=True)
    ) == {"on_leave"}
    svc.leave_return(actor=center["me"].user, leave=leave, back_on=MONDAY + timedelta(days=3))
    statuses = dict(AttendanceDay.objects.filter(staff=center["me"]).values_list("date", "status"))
    assert statuses[MONDAY + timedelta(days=2)] == "on_leave"
    assert statuses[MONDAY + timedelta(days=3)] == "absent"  # back, but no punch
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.RETURNED


# --- stepping out -------------------------------------------------------------------------------


def test_stepping_out_is_overdue_live_after_the_setting(center):
    me = center["me"]
    item = step_outs.step_out_register(
        actor=me.user, staff=me, reason="送件", destination="不动产中心"
    )
    with pytest.raises(ValidationError):
        step_outs.step_out_register(actor=me.user, staff=me, reason="again", destination="x")
    now = timezone.now()
    assert not with_overdue(StepOut.objects.all(), now + timedelta(minutes=29)).get().overdue
    assert with_overdue(StepOut.objects.all(), now + timedelta(minutes=31)).get().overdue
    step_outs.step_out_back(actor=me.user, step_out=item, at=item.out_at + timedelta(minutes=10))
    assert not with_overdue(StepOut.objects.all(), now + timedelta(hours=5)).get().overdue


def test_stepping_out_needs_reason_and_destination(center):
    with pytest.raises(ValidationError):
        step_outs.step_out_register(
            actor=center["me"].user, staff=center["me"], reason="", destination=""
        )
    with pytest.raises(PermissionDenied):
        step_outs.step_out_register(
            actor=center["me"].user, staff=center["person_a"], reason="a", destination="b"
        )


# --- make-up punches ----------------------------------------------------------------------------


def test_makeup_approved_becomes_a_punch_and_fixes_the_day(center):
    me = center["me"]
    day = timezone.localdate() - timedelta(days=1)
    WorkdayOverride.objects.create(date=day, is_working_day=True)
    punch(me, day, "08:55", "12:01", "13:20")
    days_derive(start=day, end=day)
    assert AttendanceDay.objects.get(staff=me, date=day).status == "missing_punch"
    request = makeups.makeup_request(
        actor=me.user, staff=me, at=at(day, "17:35"), reason="忘记打卡"
    )
    with pytest.raises(PermissionDenied):
        makeups.makeup_decide(actor=me.user, request=request, approve=True)
    makeups.makeup_decide(actor=center["admin"], request=request, approve=True)
    assert Punch.objects.filter(staff=me, method="makeup").count() == 1
    assert AttendanceDay.objects.get(staff=me, date=day).status == "on_time"


def test_makeup_cut_off_days_and_monthly_limit(center, settings):
    me = center["me"]
    old = timezone.localtime() - timedelta(days=4)
    with pytest.raises(ValidationError, match="3"):
        makeups.makeup_request(actor=me.user, staff=me, at=old, reason="忘记")
    settings.CENTER = {
        **settings.CENTER,
        "ATTENDANCE": {**settings.CENTER["ATTENDANCE"], "MAKEUP_MAX_PER_MONTH": 1},
    }
    recent = timezone.localtime() - timedelta(minutes=30)
    makeups.makeup_request(actor=me.user, staff=me, at=recent, reason="忘记")
    with pytest.raises(ValidationError, match="1"):
        makeups.makeup_request(
            actor=me.user, staff=me, at=recent - timedelta(minutes=1), reason="又忘"
        )
