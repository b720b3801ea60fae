"""The demo center holds four weeks of attendance: punches, derived days of every kind, leave
with stand-ins decided through the services, people stepping out (one overdue), make-ups waiting
and last month's deduction proposals for the center to confirm."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from attendance.models import (
    AttendanceDay,
    DayStatus,
    LeaveRequest,
    LeaveStatus,
    MonthDeduction,
    Punch,
    StepOut,
)
from attendance.services.day_status import overdue_limit

pytestmark = pytest.mark.django_db


def test_demo_holds_a_month_of_attendance():
    call_command("seed_demo", staff=120, seed=7, verbosity=0)
    assert Punch.objects.count() > 120 * 15 * 3
    statuses = set(AttendanceDay.objects.values_list("status", flat=True))
    assert {DayStatus.ON_TIME, DayStatus.LATE, DayStatus.MISSING} <= statuses
    approved = LeaveRequest.objects.filter(status=LeaveStatus.APPROVED)
    assert approved.exists() and all(leave.stand_in_id for leave in approved)
    assert AttendanceDay.objects.filter(status=DayStatus.ON_LEAVE).exists()
    out = StepOut.objects.filter(back_at__isnull=True)
    assert out.count() >= 3
    assert any(timezone.now() - s.out_at > overdue_limit() for s in out)  # one is overdue
    assert MonthDeduction.objects.exists()  # last month's proposals wait for the center
