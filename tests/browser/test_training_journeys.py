"""Training journeys in a real browser: a window staff member enrolls from their menu; a liaison
records attendance of their department's session in bulk."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from demo import training as training_demo
from staff.models import Staff
from training.models import Course, Enrollment, EnrollmentStatus, Session

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


def test_center_schedules_a_session_and_records_attendance(journey, training_world):
    """The center schedules an evening session through the pages, enrolls two people by staff
    number, and once it has taken place records one as completed and one as absent."""
    j = journey("training-center-session")
    page = j.page
    course = Course.objects.filter(active=True, side="center").order_by("code", "id").first()
    people = list(Staff.objects.filter(status="active", department__code="SCJG").order_by("id")[:2])
    tomorrow = timezone.localdate() + timedelta(days=1)
    j.login("admin")
    page.locator("#sidebar").get_by_role("link", name=zh("Training calendar"), exact=True).click()
    page.get_by_role("link", name=zh("Schedule a session")).first.click()
    expect(page.locator("h1")).to_have_text(zh("Schedule a session"))
    page.select_option("#id_course", str(course.pk))
    page.fill("#id_starts_at", f"{tomorrow.isoformat()}T19:00")
    page.fill("#id_ends_at", f"{tomorrow.isoformat()}T21:00")
    page.fill("#id_place", "中心三楼培训室")
    page.fill("#id_capacity", "20")
    page.fill("#id_trainer", "张老师")
    j.shot("schedule-form")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.locator(".alert-success")).to_contain_text(zh("The session was scheduled."))
    expect(page.locator("h1")).to_contain_text(course.title)
    expect(page.locator("main")).to_contain_text("中心三楼培训室")
    expect(page.get_by_test_id("seats")).to_have_text("0/20")
    j.shot("scheduled")
    session = Session.objects.get(pk=re.search(r"/training/sessions/(\d+)/", page.url).group(1))
    assert (session.course, session.place, session.capacity) == (course, "中心三楼培训室", 20)
    assert session.outside_hours  # an evening session is offered on the menus

    page.fill("#id_staff_numbers", " ".join(p.staff_number for p in people))
    page.get_by_role("button", name=zh("Enroll"), exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    roll = page.get_by_test_id("roll")
    for person in people:
        expect(roll).to_contain_text(person.name)
    expect(page.get_by_test_id("seats")).to_have_text("2/20")
    expect(page.get_by_test_id("save-attendance")).to_have_count(0)  # not before it starts
    j.shot("enrolled")

    # The evening comes and goes (the clock is moved, not the pages): attendance opens.
    Session.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") - timedelta(days=2), ends_at=F("ends_at") - timedelta(days=2)
    )
    page.reload()
    present, absent = (session.enrollments.get(staff=p) for p in people)
    page.select_option(f"select[name=status_{present.pk}]", "completed")
    page.fill(f"input[name=score_{present.pk}]", "88")
    page.select_option(f"select[name=status_{absent.pk}]", "absent")
    j.shot("attendance-form")
    page.get_by_test_id("save-attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    row = roll.locator("tr", has_text=people[0].staff_number)
    expect(row.locator(f"input[name=hours_{present.pk}]")).to_have_value(str(course.hours))
    j.shot("attendance-recorded")
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.status, present.score, present.hours_credited) == (
        "completed",
        88,
        course.hours,
    )
    assert (absent.status, absent.hours_credited) == ("absent", 0)

    # The completed session counts on the person's training page.
    j.goto(f"/training/staff/{people[0].pk}/")
    expect(page.locator("main")).to_contain_text(course.title)
    j.shot("person-history")
