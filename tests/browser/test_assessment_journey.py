"""A deduction through the browser, end to end: the center records it, the person sees it on
their record and appeals, the center cancels it, and the person's month is back to 100."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import rules_seed
from assessments.models import Appeal, AssessmentRule, Entry
from staff.models import Role, User

from .conftest import DEMO_PASSWORD, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deduction_appeal_and_decision(journey):
    rules_seed.load(AssessmentRule)  # the data migration's rows do not survive a flushed test DB
    rule = AssessmentRule.objects.get(code="D01")
    person = User.objects.get(username="staff").staff_profile
    today = timezone.localdate()

    center = journey("assessment-center")
    page = center.page
    center.login("admin")
    center.goto("/entries/new/")
    page.fill("#id_staff", person.staff_number)
    page.select_option("#id_rule", str(rule.pk))
    page.fill("#id_date", today.isoformat())
    page.fill("#id_quantity", "1")
    page.fill("#id_notes", "上午迟到8分钟")
    center.shot("entry-form")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text(person.name)
    expect(page.get_by_test_id("entry-points")).to_contain_text("1")
    center.shot("entry-recorded")
    entry = Entry.objects.get(staff=person, rule=rule)

    me = journey("assessment-staff")
    page = me.page
    me.login("staff")
    me.goto("/my-assessment/")
    expect(page.get_by_test_id("my-scores")).to_contain_text("99")
    me.shot("my-record")
    me.goto(f"/entries/{entry.pk}/")
    page.get_by_test_id("appeal-button").click()
    page.fill("#id_reason", "当天系统故障，签到记录有误，有同事可以证明")
    me.shot("appeal-form")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("appeal-status")).to_contain_text(zh("Submitted"))
    me.shot("appealed")
    appeal = Appeal.objects.get(entry=entry)

    # another administrator decides: the recorder of a deduction may not decide its appeal
    User.objects.create_user(username="admin2", password=DEMO_PASSWORD, role=Role.CENTER_ADMIN)
    decider = journey("assessment-center-decider")
    page = decider.page
    decider.login("admin2")
    decider.goto("/appeals/")
    expect(page.locator("main")).to_contain_text(person.name)
    decider.goto(f"/appeals/{appeal.pk}/decide/")
    page.check("input[name=outcome][value=cancelled]")
    page.fill("#id_note", "经核实系统故障，撤销扣分")
    decider.shot("decide")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    decider.shot("decided")

    page = me.page
    me.goto("/my-assessment/")
    expect(page.get_by_test_id("my-scores")).to_contain_text("100")
    me.shot("score-restored")
    entry.refresh_from_db()
    assert entry.points == 0 or entry.status != "active"
