"""The promotion workflow in a real browser: the center submits a recommendation and sees its
document number; HR searches a person across departments, reads and exports the evidence pack and
asks the center for a performance reference; the center answers; HR reads the answer."""

from __future__ import annotations

import random
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo import windows as windows_demo
from promotions.models import Recommendation, ReferenceRequest
from staff.models import Staff, User

from .conftest import has_cjk, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_promotions_journey(journey):
    windows_demo.build(rng=random.Random(1), today=timezone.localdate())
    liaison = User.objects.get(username="liaison")
    person = (
        Staff.objects.filter(department__in=liaison.departments.all(), stationings__isnull=False)
        .distinct()
        .order_by("staff_number")
        .first()
    )
    other = (
        Staff.objects.filter(stationings__isnull=False)
        .exclude(department__in=liaison.departments.all())
        .distinct()
        .order_by("staff_number")
        .first()
    )

    # --- the center drafts and submits a recommendation ---
    center = journey("promotions-center")
    page = center.page
    center.login("admin")
    center.goto(f"/promotions/recommendations/new/?staff={person.pk}")
    expect(page.get_by_test_id("eligibility-flags")).to_be_visible()
    page.select_option("#id_kind", "title")
    page.select_option("#id_addressed_to", "both")
    page.fill("#id_rationale", "该同志派驻窗口以来业务熟练，群众满意度高。")
    center.shot("draft-form-with-flags")
    page.click("main form button")
    expect(page.get_by_test_id("recommendation-state")).to_have_text(zh("Draft"))
    page.get_by_test_id("submit-recommendation").click()
    number = Recommendation.objects.get(staff=person).snapshot.number
    expect(page.get_by_test_id("document-number")).to_have_text(number)
    expect(page.locator(".messages")).to_contain_text(number)
    assert re.fullmatch(r"TJ-\d{4}-\d{5}", number)
    center.shot("submitted-document-number")

    # --- HR: lands on its home, searches across departments, reads and exports the pack ---
    hr = journey("promotions-hr")
    page = hr.page
    hr.login("hr")
    expect(page).to_have_url(re.compile(r"/promotions/hr/$"))
    expect(page.get_by_test_id("hr-search")).to_be_visible()
    expect(page.locator("main")).to_contain_text(number)  # the recommendation received
    hr.shot("hr-home")
    page.get_by_test_id("hr-search").fill(other.staff_number)
    page.get_by_test_id("hr-search").press("Enter")
    results = page.get_by_test_id("hr-results")
    expect(results).to_contain_text(other.name)
    expect(results).to_contain_text(other.department.display_name)
    hr.shot("search-across-departments")
    results.get_by_role("link", name=zh("Evidence pack")).first.click()
    expect(page.locator("h1, .evidence-title").first).to_be_visible()
    assert has_cjk(page.locator("main").inner_text())
    hr.shot("evidence-pack")
    with page.expect_download() as download:
        page.get_by_test_id("evidence-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    hr.shot("evidence-exported")

    # --- HR asks for a performance reference ---
    hr.goto(f"/promotions/references/new/?staff={other.pk}")
    page.fill("#id_purpose", "拟提拔为副科长人选考察")
    page.fill("#id_message", "请提供该同志派驻期间的表现。")
    hr.shot("reference-form")
    page.get_by_test_id("send-request").click()
    expect(page.locator(".messages")).to_contain_text(zh("The request was sent to the center."))
    ref = ReferenceRequest.objects.get(staff=other)
    assert ref.state == "open" and ref.requested_by.username == "hr"
    hr.shot("reference-sent")

    # --- the center answers from its queue ---
    page = center.page
    center.goto("/promotions/references/")
    page.get_by_role("link", name=other.name).first.click()
    page.fill("#id_appraisal", "该同志政治素质好，业务能力强，服务热情，未发生有效投诉。")
    center.shot("answer-form")
    page.get_by_test_id("answer-reference").click()
    expect(page.get_by_test_id("reference-answer")).to_contain_text("业务能力强")
    center.shot("answered")
    ref.refresh_from_db()
    assert ref.state == "answered"

    # --- HR reads the answer and the frozen evidence ---
    page = hr.page
    hr.goto("/promotions/hr/")
    page.get_by_test_id("hr-requests").get_by_role("link", name=re.compile(other.name)).click()
    expect(page.get_by_test_id("reference-answer")).to_contain_text("业务能力强")
    expect(page.get_by_test_id("document-number")).to_have_text(ref.snapshot.number)
    hr.shot("hr-reads-answer")
    page.get_by_role("link", name=zh("the evidence sent")).click()
    expect(page.get_by_test_id("snapshot-number")).to_have_text(ref.snapshot.number)
    expect(page.get_by_test_id("verified")).to_be_visible()
    hr.shot("hr-reads-frozen-evidence")
