"""Month end: proposals from the days, confirmed in one step as assessment entries, nothing
counted twice on a rerun; award vetoes read by the service-star selection."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from assessments.models import AssessmentRule, Entry
from assessments.rules_seed import load
from assessments.services.awards import service_star_candidates
from attendance.models import DeductionState, MonthDeduction
from attendance.services.days import days_derive
from attendance.services.month import award_vetoes, deductions_confirm, deductions_propose

from ..assessments import rows
from .conftest import at
from .helpers import FULL, punch

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
LATE = ("09:20", "12:01", "13:20", "17:31")


@pytest.fixture
def november(center):
    """person A late on five days; me on time but for one missing punch; the rest absent or
    on time as punched. Derived up to the end of November."""
    load(AssessmentRule)  # a transactional test elsewhere may have flushed the seeded rules
    mondays = [date(2026, 11, 2) + timedelta(days=i) for i in range(5)]
    for day in mondays:
        punch(center["person_a"], day, *LATE)
        punch(center["me"], day, *FULL)
        punch(center["chief"], day, *FULL)
        punch(center["person_b"], day, *FULL)
    punch(center["me"], date(2026, 11, 9), "08:50", "12:00", "13:20")
    end = date(2026, 11, 30)
    days_derive(start=date(2026, 11, 2), end=date(2026, 11, 9), now=at(end, "22:00"))
    return center


def test_propose_then_confirm_then_rerun(november, admin_user):
    result = deductions_propose(actor=admin_user, month=NOVEMBER)
    proposals = {(d.staff_id, d.kind): d.quantity for d in MonthDeduction.objects.all()}
    a, me, chief = november["person_a"], november["me"], november["chief"]
    assert proposals[(a.pk, "late")] == 5
    assert proposals[(me.pk, "missing_punch")] == 1
    assert proposals[(chief.pk, "absent")] == 2  # absent on 9 November, both halves
    assert result["created"] == len(proposals)
    assert deductions_propose(actor=admin_user, month=NOVEMBER) == {
        "created": 0,
        "updated": 0,
        "removed": 0,
    }
    confirmed = deductions_confirm(actor=admin_user, month=NOVEMBER)
    assert len(confirmed) == len(proposals)
    late_entry = Entry.objects.get(staff=a, rule__code="A01")
    assert late_entry.quantity == 5 and late_entry.date == date(2026, 11, 30)
    assert Entry.objects.get(staff=chief, rule__code="A04").quantity == 2
    entries = Entry.objects.count()
    assert deductions_propose(actor=admin_user, month=NOVEMBER)["created"] == 0
    assert deductions_confirm(actor=admin_user, month=NOVEMBER) == []
    assert Entry.objects.count() == entries
    assert set(MonthDeduction.objects.values_list("state", flat=True)) == {DeductionState.CONFIRMED}


def test_a_proposal_follows_the_days_until_confirmed(november, admin_user):
    deductions_propose(actor=admin_user, month=NOVEMBER)
    me = november["me"]
    punch(me, date(2026, 11, 9), "17:40")
    days_derive(start=date(2026, 11, 9), end=date(2026, 11, 9), now=at(date(2026, 11, 30), "22:00"))
    assert deductions_propose(actor=admin_user, month=NOVEMBER)["removed"] == 1
    assert not MonthDeduction.objects.filter(staff=me).exists()


def test_only_a_finished_month_and_only_the_center(november, admin_user, liaison_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(ValidationError):
        deductions_propose(actor=admin_user, month=date(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        deductions_propose(actor=liaison_a, month=NOVEMBER)


def test_five_late_arrivals_bar_the_service_star(november, settings):
    a = november["person_a"]
    barred = award_vetoes(start=NOVEMBER, end=date(2026, 11, 30))
    # chief and person B were absent on 9 November (one absence bars too)
    assert set(barred) == {a.pk, november["chief"].pk, november["person_b"].pk}
    assert barred[a.pk][0] == "迟到：5 次（上限 5 次）"
    for person in (a, november["me"]):
        rows.score(person, november["window_a"], NOVEMBER, "100")
    period = rows.month(NOVEMBER)
    assert [award.staff_id for award in service_star_candidates(period, 10)] == [november["me"].pk]
    settings.CENTER = {
        **settings.CENTER,
        "ATTENDANCE": {
            **settings.CENTER["ATTENDANCE"],
            "AWARD_VETOES": {"service_star": {"late": 6}},
        },
    }
    assert award_vetoes(start=NOVEMBER, end=date(2026, 11, 30)) == {}
    assert len(service_star_candidates(period, 10)) == 2
