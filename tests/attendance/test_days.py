"""Each person's day derived from punches, leave and stepping out; a rerun writes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from attendance.models import AttendanceDay, LeaveRequest, LeaveStatus, StepOut
from attendance.services.days import days_derive

from .conftest import at
from .helpers import FULL, punch

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)
NOW = at(date(2026, 11, 30), "20:00")


def derive(day=MONDAY, **kwargs):
    return days_derive(start=day, end=day, now=NOW, **kwargs)


def day_of(staff, day=MONDAY):
    return AttendanceDay.objects.get(staff=staff, date=day)


def test_statuses_from_punches(center):
    assert MONDAY.weekday() == 0
    me, a, b = center["me"], center["person_a"], center["person_b"]
    chief = center["chief"]
    punch(me, MONDAY, *FULL)
    punch(a, MONDAY, "09:12", "12:00", "13:30", "17:00")
    punch(b, MONDAY, "08:50", "12:00", "13:25")
    result = derive()
    assert result.created == 4
    assert day_of(me).status == "on_time"
    late = day_of(a)
    assert (late.status, late.late, late.late_minutes, late.left_early) == ("late", 1, 12, 1)
    missing = day_of(b)
    assert (missing.status, missing.missing) == ("missing_punch", 1)
    assert [c["result"] for c in missing.checks] == ["ok", "ok", "ok", "missing"]
    absent = day_of(chief)
    assert (absent.status, absent.absent_halves, absent.missing) == ("absent", 2, 0)
    assert missing.department_id == b.department_id and missing.window == center["window_b"]


def test_a_missing_half_is_half_a_day_absent(center):
    punch(center["me"], MONDAY, "13:20", "17:40")
    derive()
    day = day_of(center["me"])
    assert (day.status, day.absent_halves, day.missing) == ("missing_punch", 1, 0)


def test_rerun_writes_nothing_and_a_new_punch_updates_one_row(center):
    punch(center["me"], MONDAY, "08:55", "12:01", "13:20")
    first = derive()
    assert first.written == 4
    again = derive()
    assert again.written == 0 and again.unchanged == 4
    punch(center["me"], MONDAY, "17:35")
    third = derive()
    assert (third.created, third.updated, third.deleted) == (0, 1, 0)
    assert day_of(center["me"]).status == "on_time"


def test_adjusted_working_sunday_is_derived_and_a_holiday_is_not(center):
    result = days_derive(start=date(2026, 1, 1), end=date(2026, 1, 4), now=NOW)
    days = set(AttendanceDay.objects.values_list("date", flat=True))
    assert days == {date(2026, 1, 4)}  # 1-3 January are the New Year holiday, 4 a working Sunday
    assert result.created == 4


def _leave(staff, category, start, end, start_half="am", end_half="pm"):
    return LeaveRequest.objects.create(
        staff=staff,
        category=category,
        start_date=start,
        end_date=end,
        start_half=start_half,
        end_half=end_half,
        days=Decimal(1),
        reason="x",
        status=LeaveStatus.APPROVED,
    )


def test_leave_and_public_duty(center):
    me, a, b = center["me"], center["person_a"], center["person_b"]
    _leave(me, "sick", MONDAY, MONDAY)
    _leave(a, "public_duty", MONDAY, MONDAY)
    _leave(b, "personal", MONDAY, MONDAY, end_half="am")
    punch(b, MONDAY, "13:25", "17:31")
    derive()
    assert day_of(me).status == "on_leave"
    assert day_of(a).status == "on_duty"
    half = day_of(b)
    assert (half.status, half.absent_halves) == ("on_leave", 0)
    assert [c["result"] for c in half.checks] == ["leave", "leave", "ok", "ok"]


def test_stepping_out_excuses_a_check_and_counts_overdue(center):
    me = center["me"]
    punch(me, MONDAY, "08:55", "13:20", "17:31")
    StepOut.objects.create(
        staff=me,
        out_at=at(MONDAY, "11:30"),
        back_at=at(MONDAY, "12:40"),
        reason="取件",
        destination="档案馆",
    )
    derive()
    day = day_of(me)
    assert [c["result"] for c in day.checks] == ["ok", "out", "ok", "ok"]
    assert (day.status, day.step_out_overdue) == ("on_time", 1)


def test_checks_still_ahead_today_are_pending(center):
    now = at(MONDAY, "10:00")
    punch(center["me"], MONDAY, "08:58")
    days_derive(start=MONDAY, end=MONDAY + timedelta(days=3), now=now)
    day = day_of(center["me"])
    assert [c["result"] for c in day.checks] == ["ok", "pending", "pending", "pending"]
    assert day.status == "on_time"
    assert not AttendanceDay.objects.filter(date__gt=MONDAY).exists()


def test_the_beat_task_derives_recent_days_and_a_rerun_writes_nothing(center):
    from attendance.tasks import derive_recent_days

    first = derive_recent_days(days_back=10)
    assert first["created"] > 0
    assert derive_recent_days(days_back=10) == {"created": 0, "updated": 0, "deleted": 0}


def test_everyone_at_once_leaves_people_without_a_window_alone(center, dept_a):
    from tests.factories import StaffFactory

    from ..assessments.factories import StationingFactory

    loose = StaffFactory(department=dept_a, name="未派驻")  # no window
    later = StaffFactory(department=dept_a, name="后派驻")  # an id after it, stationed
    StationingFactory(staff=later, window=center["window_a"], start_date=date(2024, 1, 1))
    assert center["me"].pk < loose.pk < later.pk
    punch(loose, MONDAY, *FULL)
    punch(later, MONDAY, *FULL)
    derive()
    assert not AttendanceDay.objects.filter(staff=loose).exists()
    assert day_of(later).status == "on_time"
    assert derive().written == 0
