"""Training journeys in a real browser: a window staff member enrolls from their menu; a liaison
records attendance of their department's session in bulk."""

from __future__ import annotations

import random
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from staff.models import Staff
from training import demo as training_demo
from training.models import Enrollment, EnrollmentStatus, Session

from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def training_world(demo_center):
    training_demo.build(rng=random.Random(5), today=timezone.localdate())


def test_window_staff_enrolls_from_the_menu(journey, training_world):
    j = journey("training-window-staff")
    page = j.page
    me = Staff.objects.get(user__username="staff")
    j.login("staff")
    page.get_by_role("link", name=zh("My training")).click()
    expect(page).to_have_url(re.compile(rf"/training/staff/{me.pk}/$"))
    expect(page.locator("h1")).to_have_text(zh("My training"))
    menu = page.get_by_test_id("menu")
    expect(menu.locator("li").first).to_be_visible()
    j.shot("menu")
    first_session = menu.locator("a[href*='/training/sessions/']").first
    first_session.click()
    j.shot("session")
    page.get_by_test_id("self-enroll").click()
    expect(page.locator(".alert-success")).to_be_visible()
    j.shot("enrolled")
    session_id = int(re.search(r"/training/sessions/(\d+)/", page.url).group(1))
    assert Enrollment.objects.filter(
        session_id=session_id, staff=me, status=EnrollmentStatus.ENROLLED
    ).exists()
    page.goto(j.url(f"/training/staff/{me.pk}/"))
    expect(page.get_by_test_id("upcoming")).to_contain_text(
        Session.objects.get(pk=session_id).course.title
    )
    j.shot("upcoming")


def test_liaison_records_department_attendance(journey, training_world):
    j = journey("training-liaison")
    page = j.page
    session = (
        Session.objects.filter(
            course__department__code="SCJG",
            starts_at__lt=timezone.now(),
            enrollments__isnull=False,
        )
        .order_by("-starts_at")
        .first()
    )
    enrollment = session.enrollments.order_by("staff__name", "id").first()
    j.login("liaison")
    page.goto(j.url(f"/training/sessions/{session.pk}/"))
    expect(page.get_by_test_id("roll")).to_be_visible()
    page.select_option(f"select[name=status_{enrollment.pk}]", "completed")
    page.fill(f"input[name=score_{enrollment.pk}]", "95")
    j.shot("roll")
    page.get_by_test_id("save-attendance").click()
    expect(page.locator(".alert-success")).to_be_visible()
    j.shot("saved")
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and enrollment.score == 95
    assert enrollment.hours_credited == session.course.hours
    page.goto(j.url("/training/hours/"))
    expect(page.get_by_test_id("hours-table")).to_be_visible()
    j.shot("department-hours")
