"""Targets and reports: hours against the annual target, onboarding and policy-update overdue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from training import selectors
from training.models import CourseCategory, EnrollmentStatus, OrganizerSide, PolicyUpdate

from ..factories import StaffFactory
from .factories import (
    CourseFactory,
    EnrollmentFactory,
    ServiceItemFactory,
    SessionFactory,
    StationingFactory,
    WindowFactory,
    evening,
)

pytestmark = pytest.mark.django_db


def test_pace_target_follows_the_year_and_the_setting(settings):
    assert selectors.pace_target(date(2026, 12, 31)) == Decimal("90.0")
    assert selectors.pace_target(date(2026, 7, 2)) == Decimal("45.1")
    settings.CENTER = {**settings.CENTER, "TRAINING_ANNUAL_HOURS": 120}
    assert selectors.pace_target(date(2026, 12, 31)) == Decimal("120.0")


def test_behind_target_counts_both_sides(admin_user, dept_a, settings):
    settings.CENTER = {**settings.CENTER, "TRAINING_ANNUAL_HOURS": 1}
    today = timezone.localdate()
    on_track = StaffFactory(department=dept_a)
    behind = StaffFactory(department=dept_a)
    department = CourseFactory(side=OrganizerSide.DEPARTMENT, department=dept_a, hours=Decimal("1"))
    session = SessionFactory(course=department, starts_at=evening(-1))
    if timezone.localdate(session.starts_at).year != today.year:
        pytest.skip("first day of the year")
    EnrollmentFactory(
        session=session, staff=on_track, status=EnrollmentStatus.ATTENDED, hours_credited=1
    )
    EnrollmentFactory(session=session, staff=behind, status=EnrollmentStatus.ABSENT)
    ids = set(selectors.behind_target(admin_user, today).values_list("id", flat=True))
    assert behind.pk in ids and on_track.pk not in ids


def test_onboarding_overdue_after_thirty_days(admin_user, liaison_b, dept_a):
    today = timezone.localdate()
    late = StaffFactory(department=dept_a)
    StationingFactory(staff=late, start_date=today - timedelta(days=31))
    recent = StaffFactory(department=dept_a)
    StationingFactory(staff=recent, start_date=today - timedelta(days=10))
    trained = StaffFactory(department=dept_a)
    StationingFactory(staff=trained, start_date=today - timedelta(days=60))
    onboarding = CourseFactory(category=CourseCategory.ONBOARDING)
    EnrollmentFactory(
        session=SessionFactory(course=onboarding, starts_at=evening(-40)),
        staff=trained,
        status=EnrollmentStatus.COMPLETED,
    )
    overdue = selectors.onboarding_overdue(admin_user, today)
    assert [s.staff_id for s in overdue] == [late.pk]
    assert not selectors.onboarding_overdue(liaison_b, today).exists()


def test_policy_overdue_lists_people_of_windows_handling_the_items(admin_user, dept_a):
    today = timezone.localdate()
    window = WindowFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window.service_items.add(item)
    late, done = StaffFactory(department=dept_a), StaffFactory(department=dept_a)
    StationingFactory(staff=late, window=window)
    StationingFactory(staff=done, window=window)
    elsewhere = StaffFactory(department=dept_a)
    StationingFactory(staff=elsewhere)
    course = CourseFactory()
    update = PolicyUpdate.objects.create(
        title="新规",
        published_on=today - timedelta(days=40),
        deadline=today - timedelta(days=10),
        course=course,
    )
    update.service_items.add(item)
    EnrollmentFactory(
        session=SessionFactory(course=course, starts_at=evening(-20)),
        staff=done,
        status=EnrollmentStatus.ATTENDED,
    )
    rows = selectors.policy_overdue(admin_user, today)
    assert [(r["staff_id"], r["days_overdue"]) for r in rows] == [(late.pk, 10)]


def test_reports_page_shows_the_figures(admin_user, dept_a):
    today = timezone.localdate()
    late = StaffFactory(department=dept_a, name="逾期者")
    StationingFactory(staff=late, start_date=today - timedelta(days=45))
    response = client_for(admin_user).get(reverse("training:reports"))
    assert response.status_code == 200
    assert "逾期者" in response.content.decode()
    assert response.context["onboarding_count"] == 1


def test_api_menu_lists_policy_first(as_user, admin_user, dept_a):
    today = timezone.localdate()
    window = WindowFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window.service_items.add(item)
    person = StaffFactory(department=dept_a)
    StationingFactory(staff=person, window=window, start_date=today - timedelta(days=400))
    onboarding = CourseFactory(category=CourseCategory.ONBOARDING)
    EnrollmentFactory(
        session=SessionFactory(course=onboarding, starts_at=evening(-300)),
        staff=person,
        status=EnrollmentStatus.COMPLETED,
    )
    course = CourseFactory(title="新规解读")
    SessionFactory(course=course)
    update = PolicyUpdate.objects.create(
        title="新规", published_on=today, deadline=today + timedelta(days=7), course=course
    )
    update.service_items.add(item)
    data = as_user(admin_user).get(reverse("training-menu-list", args=[person.pk])).json()
    assert data["items"][0]["course"]["id"] == course.pk
    assert data["items"][0]["course"]["hours"] == f"{course.hours:.1f}"  # a string, as documented
    assert data["items"][0]["due"] == (today + timedelta(days=7)).isoformat()
    assert len(data["items"][0]["sessions"]) == 1


@pytest.mark.parametrize(
    "model", ["skill", "windowskillrequirement", "categoryskill", "course", "policyupdate"]
)
def test_admin_configuration_pages(admin_user, model):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    assert client.get(f"/admin/training/{model}/").status_code == 200
    assert client.get(f"/admin/training/{model}/add/").status_code == 200
