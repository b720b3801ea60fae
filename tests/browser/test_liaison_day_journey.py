"""A liaison's day in a real browser (issue #16): they sign in and land on their home, which
counts their department's open bad-rating cases and the recommendations waiting for its answer;
they appeal one case, reply to and record the measures on another, accept one recommendation
with the post that followed, and decline another with the reason (refused first without it);
their home then shows nothing left to answer."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from assessments.models import Rectification, RectificationStatus
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from demo import windows as windows_demo
from promotions import services as promotions
from promotions.models import HomeDecision, Recommendation, RecommendationState
from staff.models import User
from windows.models import Stationing

from .conftest import has_cjk, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pzh(context: str, msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.pgettext(context, msgid)


def _setting_up():
    """Two bad ratings at the liaison's windows (one confirmed by the center) and two
    recommendations addressed to the department (home only; home and organization)."""
    windows_demo.build(rng=random.Random(3), today=timezone.localdate())
    admin = User.objects.get(username="admin")
    liaison = User.objects.get(username="liaison")
    stationed = list(
        Stationing.objects.filter(
            end_date__isnull=True,
            staff__department__in=liaison.departments.all(),
            start_date__lte=timezone.localdate() - timedelta(days=2),
        )
        .select_related("staff", "window")
        .order_by("staff__staff_number")[:2]
    )
    assert len(stationed) == 2
    served = timezone.now() - timedelta(hours=20)
    cases = []
    for index, stationing in enumerate(stationed):
        rating = rating_record(
            actor=admin,
            event_ref=f"LD-{index}",
            window=stationing.window,
            staff=stationing.staff,
            level="2",
            served_at=served,
            received_at=served + timedelta(minutes=3),
            comment="等候时间过长，告知材料不一次性说清",
        )
        cases.append(rating.rectification)
    rectification_step(actor=admin, case=cases[1], action="confirm")
    recommendations = []
    for stationing, addressed_to in zip(stationed, ("home", "both"), strict=True):
        rec = promotions.recommendation_create(
            actor=admin,
            staff=stationing.staff,
            kind="mid_level",
            addressed_to=addressed_to,
            rationale="派驻窗口两年，业务骨干，群众满意度高。",
        )
        recommendations.append(promotions.recommendation_submit(actor=admin, recommendation=rec))
    return cases, recommendations


def test_a_liaisons_day(journey):
    (appealed, rectified), (accepted, declined) = _setting_up()

    day = journey("liaison-day")
    page = day.page
    day.login("liaison")
    expect(page).to_have_url(re.compile(r"/liaison/$"))
    card = page.get_by_test_id("home-decisions")
    expect(card.get_by_test_id("open-cases")).to_contain_text("2")
    expect(card.get_by_test_id("awaiting-answers")).to_contain_text("2")
    assert has_cjk(card.inner_text())
    day.shot("home-with-what-waits")

    # --- the cases: appeal the first, reply to and record the measures on the second ---
    card.get_by_test_id("open-cases").click()
    table = page.get_by_test_id("rectifications")
    expect(table).to_contain_text("LD-0")
    expect(table).to_contain_text("LD-1")
    day.shot("open-cases")
    table.locator("tr", has_text="LD-0").get_by_role("link").click()
    page.fill("#id_note", "经调取录音录像，窗口已一次性告知所需材料，申请复核。")
    page.locator('button[data-action="appeal"]').click()
    expect(page.locator(".messages")).to_contain_text(zh("The case was updated."))
    expect(page.get_by_test_id("case-log")).to_contain_text("申请复核")
    day.shot("case-appealed")

    day.goto(f"/rectifications/{rectified.pk}/")
    page.fill("#id_note", "已电话向群众致歉，并说明补正材料清单和办理时限。")
    page.locator('button[data-action="start"]').click()
    expect(page.get_by_test_id("case-status")).to_have_text(zh("Rectifying"))
    page.locator('button[data-action="respond"]').click()  # no measures written: refused
    expect(page.locator(".invalid-feedback")).to_contain_text(
        zh("Describe the measures the department took.")
    )
    page.fill("#id_note", "单位已与当事人谈话提醒，并组织窗口人员一次性告知制度再培训。")
    page.locator('button[data-action="respond"]').click()
    expect(page.get_by_test_id("department-response")).to_contain_text("一次性告知制度再培训")
    day.shot("case-measures-recorded")

    # --- the recommendations: accept one with the post, decline the other with the reason ---
    day.goto("/liaison/")
    page.get_by_test_id("home-decisions").get_by_test_id("awaiting-answers").click()
    expect(page.get_by_test_id("awaiting-home")).to_be_visible()
    day.shot("recommendations-to-answer")
    page.locator(f'a[href="/promotions/recommendations/{accepted.pk}/"]').click()
    form = page.get_by_test_id("home-answer-form")
    form.locator('input[value="accepted"]').check()
    form.locator("#id_reason").fill("经单位党组会议研究，同意推荐意见。")
    form.locator("#id_post").fill("行政审批科副科长")
    form.locator("#id_post_from").fill((timezone.localdate() - timedelta(days=3)).isoformat())
    form.locator('button[data-action="home-answer"]').click()
    expect(page.get_by_test_id("home-answer")).to_contain_text(
        pzh("home department answer", "Accepted")
    )
    expect(page.get_by_test_id("home-post")).to_contain_text("行政审批科副科长")
    expect(page.get_by_test_id("recommendation-state")).to_have_text(
        pzh("recommendation state", "Adopted")
    )
    day.shot("recommendation-accepted-with-post")

    day.goto(f"/promotions/recommendations/{declined.pk}/")
    form = page.get_by_test_id("home-answer-form")
    form.locator('input[value="not_taken_up"]').check()
    form.locator('button[data-action="home-answer"]').click()  # no reason: refused
    expect(page.get_by_test_id("home-answer-form")).to_contain_text(
        zh("Give the reason it was not taken up.")
    )
    form = page.get_by_test_id("home-answer-form")
    form.locator('input[value="not_taken_up"]').check()
    form.locator("#id_reason").fill("本年度职数已满，明年优先考虑。")
    form.locator('button[data-action="home-answer"]').click()
    expect(page.get_by_test_id("home-answer")).to_contain_text("本年度职数已满")
    day.shot("recommendation-not-taken-up")

    day.goto("/liaison/")
    expect(page.get_by_test_id("awaiting-answers")).to_contain_text("0")
    day.shot("home-after")

    # what the pages did is what the database holds, attributed to the liaison
    liaison = User.objects.get(username="liaison")
    assert Rectification.objects.get(pk=appealed.pk).appeal_reason.startswith("经调取录音录像")
    case = Rectification.objects.get(pk=rectified.pk)
    assert case.status == RectificationStatus.RECTIFYING
    assert case.department_responded_by == liaison
    first = Recommendation.objects.get(pk=accepted.pk)
    assert first.home_decision == HomeDecision.ACCEPTED and first.home_post == "行政审批科副科长"
    second = Recommendation.objects.get(pk=declined.pk)
    assert second.home_decision == HomeDecision.NOT_TAKEN_UP
    assert second.state == RecommendationState.SUBMITTED  # HR still decides its part
    assert {first.home_answered_by, second.home_answered_by} == {liaison}
