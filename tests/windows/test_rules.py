"""Tenure and chief-representative eligibility (DESIGN.md §2)."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import translation

from staff.models import EmploymentType, StaffStatus
from windows import rules, services
from windows.models import ChiefAppointment, Post, Stationing, add_months, months_between

from ..factories import CertificateFactory, StaffFactory
from .factories import ServiceItemFactory, StationingFactory

pytestmark = pytest.mark.django_db


def test_months_between_counts_whole_months():
    assert months_between(date(2024, 1, 31), date(2026, 1, 30)) == 23
    assert months_between(date(2024, 1, 31), date(2026, 1, 31)) == 24
    assert months_between(date(2026, 5, 1), date(2026, 4, 1)) == 0
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_tenure_is_derived_from_dates(veteran_a, today):
    stationing = Stationing.objects.get(staff=veteran_a)
    assert stationing.tenure_months(today) in (35, 36)
    stationing.end_date = stationing.start_date + timedelta(days=40)
    assert stationing.tenure_months(today) == 1


def test_early_rule_follows_the_setting(settings):
    start = date(2025, 1, 10)
    assert rules.is_early(start, date(2026, 12, 31))
    assert not rules.is_early(start, date(2027, 1, 10))
    settings.CENTER = settings.CENTER | {"MIN_TENURE_MONTHS": 12}
    assert not rules.is_early(start, date(2026, 1, 10))


@pytest.mark.parametrize(
    ("employment_type", "status", "words"),
    [
        (EmploymentType.TEMPORARY, StaffStatus.ACTIVE, "临时"),
        (EmploymentType.RETIRED_REHIRED, StaffStatus.ACTIVE, "退休返聘"),
        (EmploymentType.CONTRACT, StaffStatus.ACTIVE, "合同"),
        (EmploymentType.CIVIL_SERVANT, StaffStatus.SECOND_LINE, "二线"),
    ],
)
def test_ineligible_people_are_named_with_the_rule(dept_a, today, employment_type, status, words):
    person = StaffFactory(department=dept_a, employment_type=employment_type, status=status)
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=9), expires_on=today + timedelta(days=9)
    )
    with translation.override("zh-hans"):
        reasons = rules.chief_ineligibility(person, on=today)
    assert len(reasons) == 1
    assert words in reasons[0]
    assert "首席代表任职条件" in reasons[0]
    assert person.name in reasons[0]


def test_missing_or_expired_certificate_makes_ineligible(dept_a, today):
    person = StaffFactory(department=dept_a)
    with translation.override("zh-hans"):
        assert any("执法证" in r for r in rules.chief_ineligibility(person, on=today))
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=900), expires_on=today - timedelta(days=1)
    )
    assert rules.chief_ineligibility(person, on=today)
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=9), expires_on=today + timedelta(days=9)
    )
    assert rules.chief_ineligibility(person, on=today) == []


def test_institution_staff_are_eligible_by_default_and_setting_can_narrow(dept_a, today, settings):
    person = StaffFactory(department=dept_a, employment_type=EmploymentType.INSTITUTION)
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=9), expires_on=today + timedelta(days=9)
    )
    assert rules.chief_ineligibility(person, on=today) == []
    settings.CENTER = settings.CENTER | {"CHIEF_ELIGIBLE_EMPLOYMENT_TYPES": ["civil_servant"]}
    assert rules.chief_ineligibility(person, on=today)


def test_sql_rule_matches_python_rule(dept_a, today):
    from staff.models import Staff

    people = [
        StaffFactory(department=dept_a, employment_type=kind, status=status)
        for kind in EmploymentType.values
        for status in (StaffStatus.ACTIVE, StaffStatus.SECOND_LINE)
    ]
    for person in people[::2]:
        CertificateFactory(
            staff=person, issued_on=today - timedelta(days=9), expires_on=today + timedelta(days=9)
        )
    in_sql = set(Staff.objects.filter(rules.ineligible_chief_q(today)).values_list("pk", flat=True))
    in_python = {p.pk for p in people if rules.chief_ineligibility(p, on=today)}
    assert in_sql == in_python
    assert 0 < len(in_python) < len(people)


# --- appointment ------------------------------------------------------------------------------


def test_appointing_an_eligible_person_files_the_letters(
    admin_user, chief_stationing, licensing_item, today
):
    appointment = services.appointment_file(
        actor=admin_user,
        stationing=chief_stationing,
        appointment_number="任〔2026〕1号",
        authorization_number="授〔2026〕1号",
        valid_from=today,
        valid_until=today + timedelta(days=365),
        items=[{"service_item": licensing_item, "can_accept": True, "can_decide": True}],
    )
    chief_stationing.refresh_from_db()
    assert chief_stationing.post == Post.CHIEF_REPRESENTATIVE
    item = appointment.items.get()
    assert (item.can_accept, item.can_review, item.can_decide) == (True, False, True)
    entry = LogEntry.objects.get_for_object(appointment).get()
    assert entry.actor == admin_user


def test_appointing_an_ineligible_person_is_refused_in_chinese(
    admin_user, dept_a, window_a, licensing_item, today
):
    rehired = StaffFactory(department=dept_a, employment_type=EmploymentType.RETIRED_REHIRED)
    stationing = StationingFactory(
        staff=rehired, window=window_a, start_date=today - timedelta(days=30)
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.appointment_file(
            actor=admin_user,
            stationing=stationing,
            appointment_number="x",
            authorization_number="y",
            valid_from=today,
            valid_until=None,
            items=[{"service_item": licensing_item, "can_accept": True}],
        )
    text = " ".join(caught.value.messages)
    assert "退休返聘" in text and "执法证" in text
    assert not ChiefAppointment.objects.exists()
    stationing.refresh_from_db()
    assert stationing.post == Post.STAFF


def test_a_window_has_one_chief_and_items_must_be_the_windows(
    admin_user, chief_stationing, dept_a, window_a, licensing_item, today
):
    other_item = ServiceItemFactory(department=dept_a)
    with pytest.raises(ValidationError):
        services.appointment_file(
            actor=admin_user,
            stationing=chief_stationing,
            appointment_number="x",
            authorization_number="y",
            valid_from=today,
            valid_until=None,
            items=[{"service_item": other_item, "can_accept": True}],
        )
    services.appointment_file(
        actor=admin_user,
        stationing=chief_stationing,
        appointment_number="x",
        authorization_number="y",
        valid_from=today,
        valid_until=None,
        items=[{"service_item": licensing_item, "can_accept": True}],
    )
    second = StaffFactory(department=dept_a)
    CertificateFactory(
        staff=second, issued_on=today - timedelta(days=9), expires_on=today + timedelta(days=99)
    )
    stationing = StationingFactory(
        staff=second, window=window_a, start_date=today - timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="A-01"):
        services.appointment_file(
            actor=admin_user,
            stationing=stationing,
            appointment_number="x2",
            authorization_number="y2",
            valid_from=today,
            valid_until=None,
            items=[{"service_item": licensing_item, "can_accept": True}],
        )


def test_only_the_center_appoints(liaison_a, chief_stationing, licensing_item, today):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appointment_file(
            actor=liaison_a,
            stationing=chief_stationing,
            appointment_number="x",
            authorization_number="y",
            valid_from=today,
            valid_until=None,
            items=[{"service_item": licensing_item, "can_accept": True}],
        )
