"""Eligibility flags from the record, configurable, one query for any number of people; reserve
cadres and the progress of their rotation read from stationings."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from promotions import eligibility, selectors, services
from promotions.selectors import Progress
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.factories import StaffFactory
from tests.queries import count_queries
from windows.models import EndReason

from .workflow_fixtures import annual_grade

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def test_three_consecutive_excellent_years_make_a_candidate(person_a, person_b):
    for year in (2023, 2024, 2025):
        annual_grade(person_a, year, suggested="excellent")
    # the department's decision wins over the center's suggestion
    annual_grade(person_b, 2023, suggested="excellent")
    annual_grade(person_b, 2024, suggested="excellent", decided="competent")
    annual_grade(person_b, 2025, suggested="excellent")
    flags = eligibility.flags_for_many([person_a.pk, person_b.pk], TODAY)
    assert flags[person_a.pk].reserve_candidate
    assert flags[person_a.pk].excellent_years == [2023, 2024, 2025]
    assert not flags[person_b.pk].reserve_candidate
    assert flags[person_b.pk].excellent_years == [2025]


def test_the_run_must_reach_the_latest_graded_year_without_gaps(person_a, person_b):
    for year in (2020, 2021, 2022):
        annual_grade(person_a, year, suggested="excellent")
    annual_grade(person_a, 2023, suggested="competent")
    for year in (2021, 2022, 2024):  # 2023 missing: not consecutive
        annual_grade(person_b, year, decided="excellent")
    flags = eligibility.flags_for_many([person_a.pk, person_b.pk], TODAY)
    assert not flags[person_a.pk].reserve_candidate
    assert flags[person_a.pk].excellent_years == []
    assert flags[person_b.pk].excellent_years == [2024]


def test_thresholds_are_settings(person_a, settings):
    annual_grade(person_a, 2024, suggested="excellent")
    annual_grade(person_a, 2025, suggested="excellent")
    assert not eligibility.flags_for(person_a.pk, TODAY).reserve_candidate
    settings.PROMOTIONS = {**settings.PROMOTIONS, "RESERVE_EXCELLENT_YEARS": 2}
    assert eligibility.flags_for(person_a.pk, TODAY).reserve_candidate


def test_returned_for_poor_performance_bars_for_three_years(person_a, settings):
    window = WindowFactory(department=person_a.department)
    StationingFactory(
        staff=person_a,
        window=window,
        start_date=date(2021, 1, 1),
        end_date=date(2023, 7, 1),
        end_reason=EndReason.RETURNED,
    )
    flags = eligibility.flags_for(person_a.pk, TODAY)
    assert flags.barred and flags.barred_until == date(2026, 7, 1)
    assert "2023-07-01" in flags.bar_reason()
    assert not eligibility.flags_for(person_a.pk, date(2026, 7, 1)).barred
    settings.PROMOTIONS = {**settings.PROMOTIONS, "RETURNED_BAR_YEARS": 2}
    assert not eligibility.flags_for(person_a.pk, TODAY).barred


def test_other_end_reasons_do_not_bar(person_a):
    window = WindowFactory(department=person_a.department)
    StationingFactory(
        staff=person_a,
        window=window,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 1, 1),
        end_reason=EndReason.TRANSFER,
    )
    assert not eligibility.flags_for(person_a.pk, TODAY).barred


def test_tenure_adds_up_every_stationing(person_a, settings):
    settings.PROMOTIONS = {**settings.PROMOTIONS, "MIN_TENURE_MONTHS": 24}
    w1 = WindowFactory(department=person_a.department)
    w2 = WindowFactory(department=person_a.department)
    StationingFactory(
        staff=person_a, window=w1, start_date=date(2023, 1, 1), end_date=date(2024, 1, 1)
    )
    StationingFactory(staff=person_a, window=w2, start_date=date(2025, 7, 1))
    flags = eligibility.flags_for(person_a.pk, TODAY)
    assert flags.tenure_months == 12 + 11 and not flags.tenure_met
    assert eligibility.flags_for(person_a.pk, date(2026, 7, 1)).tenure_met


def test_flags_take_one_query_for_any_number(dept_a):
    people = []

    def grow(n):
        for _ in range(n):
            person = StaffFactory(department=dept_a)
            annual_grade(person, 2025, suggested="excellent")
            StationingFactory(staff=person, window=WindowFactory(department=dept_a))
            people.append(person.pk)

    grow(3)
    assert count_queries(lambda: eligibility.flags_for_many(people, TODAY)) == 1
    grow(6)
    assert count_queries(lambda: eligibility.flags_for_many(people, TODAY)) == 1
    assert count_queries(lambda: eligibility.flags_for_many([], TODAY)) == 0


# --- reserve cadres --------------------------------------------------------------------------


def test_rotation_needs_a_reserve_cadre_and_one_plan(admin_user, person_a):
    with pytest.raises(ValidationError):
        services.rotation_plan_create(actor=admin_user, staff=person_a, planned_start=TODAY)
    services.reserve_mark(actor=admin_user, staff=person_a, reserve=True)
    plan = services.rotation_plan_create(actor=admin_user, staff=person_a, planned_start=TODAY)
    assert plan.minimum_months == 12  # ROTATION_MIN_MONTHS
    with pytest.raises(ValidationError):
        services.rotation_plan_create(actor=admin_user, staff=person_a, planned_start=TODAY)
    services.rotation_plan_cancel(actor=admin_user, plan=plan)
    services.rotation_plan_create(actor=admin_user, staff=person_a, planned_start=TODAY)


def test_progress_is_read_from_stationings(admin_user, dept_a):
    window = WindowFactory(department=dept_a)
    other = WindowFactory(department=dept_a)

    def case(stationing_kwargs=None, window_planned=window):
        person = StaffFactory(department=dept_a)
        services.reserve_mark(actor=admin_user, staff=person, reserve=True)
        plan = services.rotation_plan_create(
            actor=admin_user, staff=person, planned_start=date(2025, 1, 1), window=window_planned
        )
        if stationing_kwargs:
            StationingFactory(staff=person, **stationing_kwargs)
        return plan

    not_started = case()
    elsewhere = case({"window": other, "start_date": date(2025, 1, 1)})
    at_window = case({"window": window, "start_date": date(2025, 12, 1)})
    completed = case({"window": window, "start_date": date(2025, 1, 1)})
    short = case({"window": window, "start_date": date(2025, 1, 1), "end_date": date(2025, 6, 1)})
    any_window = case({"window": other, "start_date": date(2025, 2, 1)}, window_planned=None)

    rows = {r.plan.pk: r.progress for r in selectors.reserve_board(admin_user, TODAY)}
    assert rows[not_started.pk].status == Progress.NOT_STARTED
    assert rows[elsewhere.pk].status == Progress.NOT_STARTED
    assert (rows[at_window.pk].status, rows[at_window.pk].months) == (Progress.AT_WINDOW, 6)
    assert rows[completed.pk].status == Progress.COMPLETED
    assert (rows[short.pk].status, rows[short.pk].months) == (Progress.ENDED_SHORT, 5)
    assert rows[any_window.pk].status == Progress.COMPLETED


def test_reserve_marking_is_audited_and_center_only(admin_user, hr_user, person_a):
    from auditlog.models import LogEntry
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reserve_mark(actor=hr_user, staff=person_a, reserve=True)
    person = services.reserve_mark(actor=admin_user, staff=person_a, reserve=True)
    assert person.is_reserve_cadre
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.actor == admin_user and "reason" in entry.additional_data
