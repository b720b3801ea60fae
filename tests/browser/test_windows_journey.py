"""A transfer through the browser: the liaison raises and submits a withdrawal (the form explains
the tenure rule first), the center approves it, and the stationing closes the same day."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo import windows as windows_demo
from staff.models import User
from windows.models import Stationing, TransferRequest, TransferState

from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_transfer_journey(journey):
    today = timezone.localdate()
    windows_demo.build(rng=random.Random(1), today=today)
    liaison = User.objects.get(username="liaison")
    busy = TransferRequest.objects.open().values("outgoing_id")
    stationing = next(
        s
        for s in Stationing.objects.open()
        .filter(window__department__in=liaison.departments.all(), post="staff")
        .exclude(staff_id__in=busy)
        .select_related("staff", "window")
        .order_by("id")
        if s.tenure_months(today) >= 24
    )

    j = journey("windows-liaison")
    page = j.page
    j.login("liaison")
    expect(page.locator("h1")).to_contain_text(zh("My department"))
    j.shot("liaison-home")

    j.goto(
        f"/transfers/new/?kind=withdraw&window={stationing.window_id}&outgoing={stationing.staff_id}"
    )
    expect(page.get_by_test_id("tenure-rule")).to_contain_text("24")
    page.fill("#id_effective_date", today.isoformat())
    page.fill("#id_reason", "因工作需要调回本单位")
    j.shot("form")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text(zh("Draft"))
    page.click("[data-action=submit]")
    expect(page.locator("h1")).to_contain_text(zh("Submitted"))
    j.shot("submitted")
    transfer = TransferRequest.objects.get(outgoing=stationing.staff)

    center = journey("windows-center")
    page = center.page
    center.login("admin")
    center.goto(f"/transfers/{transfer.pk}/")
    page.fill("#id_note", "同意调回")
    page.click("[data-action=approve]")
    expect(page.locator("h1")).to_contain_text(zh("Effective"))
    expect(page.locator(".timeline")).to_contain_text("同意调回")
    center.shot("approved-effective")

    transfer.refresh_from_db()
    stationing.refresh_from_db()
    assert transfer.state == TransferState.EFFECTIVE
    assert stationing.end_date == today and stationing.end_reason == "withdrawn"
