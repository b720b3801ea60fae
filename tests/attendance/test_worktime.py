"""Working time: the Chinese calendar with its adjusted working days, the center's overrides and
the per-window exceptions."""

from datetime import date

import pytest

from attendance.models import ExceptionKind, ScheduleException
from attendance.worktime import Calendar, windows_of
from core.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def test_adjusted_working_sunday_has_the_standard_schedule_and_a_holiday_none():
    cal = Calendar(date(2026, 1, 1), date(2026, 2, 16))
    assert cal.schedule_name(date(2026, 1, 4), None) == "standard"  # Sunday, 调休 working day
    assert cal.schedule_name(date(2026, 2, 14), None) == "standard"  # Saturday, working
    assert cal.schedule_name(date(2026, 2, 15), None) is None  # Sunday of the Spring Festival
    assert cal.schedule_name(date(2026, 1, 1), None) is None  # New Year's Day
    assert cal.schedule_name(date(2026, 1, 10), None) is None  # an ordinary Saturday
    assert cal.schedule_name(date(2026, 1, 5), None) == "standard"


def test_center_override_wins_over_the_library():
    WorkdayOverride.objects.create(date=date(2026, 1, 10), is_working_day=True)
    WorkdayOverride.objects.create(date=date(2026, 1, 5), is_working_day=False)
    cal = Calendar(date(2026, 1, 5), date(2026, 1, 10))
    assert cal.schedule_name(date(2026, 1, 10), None) == "standard"
    assert cal.schedule_name(date(2026, 1, 5), None) is None


def test_window_exception_wins_over_the_center_and_the_calendar(center):
    window = center["window_a"]
    saturday, monday = date(2026, 1, 10), date(2026, 1, 12)
    ScheduleException.objects.create(date=saturday, window=window, kind=ExceptionKind.SERVICE_DAY)
    ScheduleException.objects.create(date=monday, kind=ExceptionKind.EXTENDED)
    ScheduleException.objects.create(date=monday, window=window, kind=ExceptionKind.CLOSED)
    cal = Calendar(saturday, monday)
    assert cal.schedule_name(saturday, window.pk) == "weekend"
    assert cal.schedule_name(saturday, center["window_b"].pk) is None
    assert cal.schedule_name(monday, window.pk) is None  # the window is closed that day
    assert cal.schedule_name(monday, center["window_b"].pk) == "extended"
    assert [c.code for c in cal.checks(saturday, window.pk)] == ["am_in", "pm_out"]
    assert str(cal.checks(monday, center["window_b"].pk)[-1].at) == "19:00:00"


def test_punch_spans_meet_half_way_between_checks():
    cal = Calendar(date(2026, 1, 5), date(2026, 1, 5))
    spans = windows_of(cal.checks(date(2026, 1, 5), None), date(2026, 1, 5))
    assert [f"{low:%H:%M}-{high:%H:%M}" for _moment, low, high in spans] == [
        "07:00-10:30",
        "10:30-12:45",
        "12:45-15:30",
        "15:30-21:30",
    ]
