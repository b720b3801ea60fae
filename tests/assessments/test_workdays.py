"""Working-day deadlines across the 2026 Spring Festival: 2026-02-14 (Saturday) is an adjusted
working day, 2026-02-15..23 are off (checked against the holidays library below)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from core.models import WorkdayOverride
from core.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.django_db
def test_library_knows_the_2026_spring_festival():
    assert is_working_day(date(2026, 2, 14))  # Saturday, adjusted working day
    assert not is_working_day(date(2026, 2, 15))
    assert all(not is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert is_working_day(date(2026, 2, 24))
    assert is_working_day(date(2026, 2, 28))  # Saturday, adjusted working day


@pytest.mark.django_db
def test_add_working_days_across_the_holiday():
    assert add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 14)
    # Fri 13 → Sat 14 (1), Tue 24 .. Fri 27 (5)
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert add_working_days(date(2026, 2, 27), -5) == date(2026, 2, 13)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert working_days_between(date(2026, 2, 27), date(2026, 2, 13)) == -5


@pytest.mark.django_db
def test_center_override_wins_over_the_library():
    WorkdayOverride.objects.create(date=date(2026, 2, 24), is_working_day=False, note="停电")
    assert not is_working_day(date(2026, 2, 24))
    # 14 (1), 25..27 (4), Sat 28 (5): the adjusted Saturday counts
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 28)
    WorkdayOverride.objects.create(date=date(2026, 2, 21), is_working_day=True, note="加班")
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 21)


@pytest.mark.django_db
def test_appeal_deadline_is_five_working_days_across_the_holiday(world, admin_user, fixed_today):
    fixed_today(date(2026, 2, 13))
    entry = entry_record(
        actor=admin_user,
        staff=world["me"],
        rule=world["rules"]["D01"],
        date=date(2026, 2, 12),
    )
    assert entry.appeal_deadline == date(2026, 2, 27)


@pytest.mark.django_db
def test_rectification_deadline_is_fifteen_working_days(world, admin_user):
    served = timezone.make_aware(datetime(2026, 2, 13, 10, 0))
    rating = rating_record(
        actor=admin_user,
        event_ref="EV-SF-1",
        window=world["window_a"],
        staff=world["me"],
        level="1",
        served_at=served,
        received_at=served,  # the deadline counts from the day received (issue #18)
    )
    # 14 (1), 24-27 (5), Sat 28 (6), Mar 2-6 (11), 9-12 (15)
    assert rating.rectification.deadline == date(2026, 3, 12)
