from datetime import date

import pytest

from core.models import WorkdayOverride
from core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_library_knows_adjusted_working_weekends():
    assert is_working_day(date(2026, 1, 4))  # Sunday, worked for New Year (调休)
    assert is_working_day(date(2026, 2, 14))  # Saturday before Spring Festival
    assert not is_working_day(date(2026, 2, 15))  # Spring Festival holiday
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 11, 27))  # an ordinary Friday
    assert not is_working_day(date(2026, 11, 28))  # an ordinary Saturday


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri → Mon
    assert add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)
    # 7 working days from Friday 2026-09-25 cross the National Day week
    result = add_working_days(date(2026, 9, 25), 7)
    assert working_days_between(date(2026, 9, 25), result) == 7
    assert result > date(2026, 10, 7)


def test_add_negative_working_days():
    assert add_working_days(date(2026, 11, 30), -1) == date(2026, 11, 27)


def test_working_days_between():
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 27)) == 4
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 23)) == -4
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0


def test_center_override_wins_over_the_library():
    saturday = date(2026, 11, 28)
    monday = date(2026, 11, 30)
    WorkdayOverride.objects.create(date=saturday, is_working_day=True, note="临时调休")
    WorkdayOverride.objects.create(date=monday, is_working_day=False, note="停电")
    assert is_working_day(saturday)
    assert not is_working_day(monday)
    assert add_working_days(date(2026, 11, 27), 1) == saturday
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 1)) == 2
