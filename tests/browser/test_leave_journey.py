"""Leave on a phone, end to end: the window worker asks for a day and a half with their A/B
partner filled in as the stand-in, the chief representative and the center approve from their
lists of waiting requests, and the on-duty board shows the worker on leave with the stand-in
while the partner holds the window."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from attendance.models import LeaveRequest, LeaveStatus, Punch
from core.models import WorkdayOverride
from staff.models import Role, Staff, User
from tests.factories import StaffFactory
from tests.windows.factories import StationingFactory, WindowFactory
from windows.models import Post, StandIn

from .conftest import DEMO_PASSWORD, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def label(choice) -> str:
    """A choice's label as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return str(choice.label)


def _window_of_three(person: Staff):
    """The worker, their A/B partner and a chief representative with a login, at one window;
    today and tomorrow working days whatever the calendar says (the journey runs any day)."""
    today = timezone.localdate()
    for day in (today, today + timedelta(days=1)):
        WorkdayOverride.objects.update_or_create(date=day, defaults={"is_working_day": True})
    window = WindowFactory(code="A10", name="企业开办窗口", department=person.department)
    partner = StaffFactory(department=person.department, name="林晓雯")
    chief_user = User.objects.create_user(
        username="chief10", password=DEMO_PASSWORD, role=Role.STAFF, first_name="周建国"
    )
    chief = StaffFactory(department=person.department, name="周建国", user=chief_user)
    start = today - timedelta(days=400)
    for someone, post in (
        (chief, Post.CHIEF_REPRESENTATIVE),
        (person, Post.STAFF),
        (partner, Post.STAFF),
    ):
        StationingFactory(staff=someone, window=window, post=post, start_date=start)
    StandIn.objects.create(window=window, a=person, b=partner, valid_from=start)
    # the partner punched in this morning (or a minute ago, just after midnight)
    now = timezone.localtime()
    morning = datetime.combine(today, time(8, 52), tzinfo=now.tzinfo)
    Punch.objects.create(
        staff=partner,
        at=min(morning, now - timedelta(minutes=1)),
        method="face",
        source="device:hall",
        record_id="journey-partner-in",
    )
    return window, partner


def test_worker_asks_for_leave_on_a_phone_and_the_board_shows_the_stand_in(journey):
    person = User.objects.get(username="staff").staff_profile
    window, partner = _window_of_three(person)
    today = timezone.localdate()

    worker = journey("leave-worker", viewport=PHONE)
    page = worker.page
    worker.login("staff")
    worker.goto("/attendance/me/")
    page.get_by_role("link", name=zh("Ask for leave")).first.click()
    expect(page.locator("#id_stand_in")).to_have_value(partner.staff_number)  # the B post
    expect(page.locator("main")).to_contain_text(partner.name)
    page.select_option("#id_category", "personal")
    page.fill("#id_start_date", today.isoformat())
    page.select_option("#id_start_half", "am")
    page.fill("#id_end_date", (today + timedelta(days=1)).isoformat())
    page.select_option("#id_end_half", "am")
    page.fill("#id_reason", "孩子发烧，需陪同就医")
    worker.shot("leave-form")
    page.get_by_test_id("submit-leave").click()
    expect(page.get_by_test_id("stand-in")).to_contain_text(partner.name)
    expect(page.get_by_test_id("leave-status")).to_contain_text(label(LeaveStatus.PENDING))
    worker.shot("leave-sent")
    leave = LeaveRequest.objects.get(staff=person)
    assert leave.days == 1.5 and leave.steps == ["chief", "center"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    chief = journey("leave-chief", viewport=PHONE)
    chief.login("chief10")
    chief.goto("/attendance/leave/")
    chief.page.get_by_role("link", name=person.name).first.click()
    chief.shot("waiting-for-the-chief")
    chief.page.get_by_test_id("approve").click()
    expect(chief.page.get_by_test_id("leave-status")).to_contain_text(label(LeaveStatus.PENDING))
    leave.refresh_from_db()
    assert leave.next_step == "center"

    center = journey("leave-center")
    center.login("admin")
    center.goto("/attendance/leave/")
    center.page.get_by_role("link", name=person.name).first.click()
    center.page.get_by_test_id("approve").click()
    expect(center.page.get_by_test_id("leave-status")).to_contain_text(label(LeaveStatus.APPROVED))
    center.shot("approved")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED

    center.goto("/attendance/board/")
    card = center.page.locator(f'[data-window="{window.code}"]')
    expect(card).to_have_attribute("data-status", "staffed")  # the partner holds the window
    expect(card.get_by_test_id("seat-on-leave")).to_contain_text(partner.name)
    expect(card).to_contain_text(zh("At the window"))
    center.shot("board-shows-the-stand-in")

    # the worker's own page shows the approved leave
    worker.goto("/attendance/me/")
    expect(page.locator("main")).to_contain_text(label(LeaveStatus.APPROVED))
    worker.shot("my-month")
