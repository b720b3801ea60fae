"""The audit trail reads in words in the browser (issue #20): the center administrator edits a
person, then reads /audit/ and the person's history in Chinese, filtered by record type."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from staff.models import Staff

from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVELOPER_WORDS = re.compile(r"\b(create|update|delete|True|False|None|seed_demo)\b")


def test_audit_trail_in_words(journey, full_demo):
    person = Staff.objects.filter(department__code="GAJ", is_reserve_cadre=False).first()
    j = journey("audit-trail")
    page = j.page
    j.login("admin")
    j.goto(f"/staff/{person.pk}/edit/")
    page.check("#id_is_reserve_cadre")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    history = page.get_by_test_id("history").locator("li").first
    expect(history).to_contain_text("中心管理员（")
    expect(history).to_contain_text("修改")
    expect(history).to_contain_text("后备干部：否 → 是")
    j.shot("staff-history")

    j.goto("/audit/")
    expect(page.locator("h1")).to_have_text(zh("Audit trail"))
    rows = page.get_by_test_id("audit-rows")
    expect(rows.locator("tbody tr").first).to_contain_text("后备干部")
    text = rows.inner_text()
    assert not DEVELOPER_WORDS.search(text), DEVELOPER_WORDS.search(text)
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", text)
    j.shot("audit")

    page.select_option("#id_model", "staff.department")
    page.get_by_role("button", name=zh("Filter")).click()
    page.wait_for_load_state()
    expect(rows.locator("tbody tr").first).not_to_contain_text("后备干部")
    j.shot("audit-filtered")
