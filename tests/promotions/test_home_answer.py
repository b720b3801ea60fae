"""The home department answers the recommendations addressed to it and records what followed
(issue #16): accepted / not taken up with the reason, then the post given and from which day.
Through ``services.home``, audited, the center notified; page and API; the staff panel shows it."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.models import Notification
from promotions import services
from promotions.models import HomeDecision, Recommendation, RecommendationState
from promotions.panels import panel_context
from tests.conftest import client_for

from .workflow_fixtures import *  # noqa: F403

S = RecommendationState
ANSWERED = "promotions.recommendation_home_answered"
OUTCOME = "promotions.recommendation_home_outcome"


def _sent(admin, person, addressed_to="home", kind="leadership"):
    rec = services.recommendation_create(
        actor=admin, staff=person, kind=kind, addressed_to=addressed_to, rationale="表现突出"
    )
    return services.recommendation_submit(actor=admin, recommendation=rec)


def _fresh(rec):
    return Recommendation.objects.get(pk=rec.pk)


def test_accepted_for_the_home_department_alone_is_the_receivers_decision(
    admin_user, liaison_a, person_a, django_capture_on_commit_callbacks
):
    rec = _sent(admin_user, person_a)
    with django_capture_on_commit_callbacks() as callbacks:
        rec = services.recommendation_home_answer(
            actor=liaison_a, recommendation=rec, accepted=True, reason="党组会研究同意"
        )
    assert callbacks  # e-mail of the notices goes after the commit
    rec = _fresh(rec)
    assert rec.home_decision == HomeDecision.ACCEPTED and rec.home_answered_by == liaison_a
    assert (
        rec.state == S.ADOPTED and rec.decided_by == liaison_a and rec.feedback == "党组会研究同意"
    )
    assert rec.home_post == "" and rec.home_post_from is None  # the post may come later
    assert not services.answered_on_behalf(rec)
    entry = LogEntry.objects.get_for_object(rec).filter(actor=liaison_a).latest("timestamp")
    assert entry.additional_data["action"] == "home_answer"
    notices = Notification.objects.filter(kind=ANSWERED)
    assert set(notices.values_list("recipient", flat=True)) == {admin_user.pk}
    assert person_a.name in notices.get().title

    rec = services.recommendation_home_outcome(
        actor=liaison_a,
        recommendation=rec,
        post="综合科副科长",
        post_from=date(2026, 11, 2),
        expected_version=rec.version,
    )
    rec = _fresh(rec)
    assert (rec.home_post, rec.home_post_from) == ("综合科副科长", date(2026, 11, 2))
    assert Notification.objects.filter(kind=OUTCOME, recipient=admin_user).count() == 1
    assert LogEntry.objects.get_for_object(rec).filter(actor=liaison_a).count() == 2


def test_not_taken_up_needs_the_reason_and_changes_nothing_without_it(
    admin_user, liaison_a, person_a
):
    rec = _sent(admin_user, person_a)
    with pytest.raises(ValidationError) as caught:
        services.recommendation_home_answer(actor=liaison_a, recommendation=rec, accepted=False)
    assert "reason" in caught.value.error_dict
    assert _fresh(rec).home_decision == "" and _fresh(rec).state == S.SUBMITTED
    assert not Notification.objects.filter(kind=ANSWERED).exists()
    rec = services.recommendation_home_answer(
        actor=liaison_a, recommendation=rec, accepted=False, reason="本年度职数已满"
    )
    assert _fresh(rec).state == S.NOT_ADOPTED
    with pytest.raises(ValidationError):  # the post follows an acceptance only
        services.recommendation_home_outcome(
            actor=liaison_a, recommendation=rec, post="科员", post_from=date(2026, 11, 2)
        )
    with pytest.raises(ValidationError):  # answered once
        services.recommendation_home_answer(actor=liaison_a, recommendation=rec, accepted=True)


def test_a_post_needs_its_day_and_a_stale_version_is_refused(admin_user, liaison_a, person_a):
    rec = _sent(admin_user, person_a)
    with pytest.raises(ValidationError) as caught:
        services.recommendation_home_answer(
            actor=liaison_a, recommendation=rec, accepted=True, post="副科长"
        )
    assert "post_from" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.recommendation_home_answer(
            actor=liaison_a, recommendation=rec, accepted=True, expected_version=rec.version + 1
        )
    assert _fresh(rec).home_decision == ""


def test_addressed_to_both_keeps_hrs_decision_beside_the_home_answer(
    admin_user, hr_user, liaison_a, person_a
):
    rec = _sent(admin_user, person_a, addressed_to="both")
    rec = services.recommendation_home_answer(
        actor=liaison_a,
        recommendation=rec,
        accepted=True,
        post="副科长",
        post_from=date(2026, 10, 8),
    )
    assert _fresh(rec).state == S.SUBMITTED  # HR (the organization department) still decides
    rec = services.recommendation_decide(actor=hr_user, recommendation=_fresh(rec), adopted=True)
    rec = _fresh(rec)
    assert rec.state == S.ADOPTED and rec.home_decision == HomeDecision.ACCEPTED
    assert rec.decided_by == hr_user and rec.home_post == "副科长"


def test_who_may_answer(admin_user, hr_user, liaison_a, liaison_b, person_a):
    home = _sent(admin_user, person_a)
    with pytest.raises(PermissionDenied):  # another department's liaison
        services.recommendation_home_answer(actor=liaison_b, recommendation=home, accepted=True)
    with pytest.raises(PermissionDenied):  # HR is not the home department
        services.recommendation_home_answer(actor=hr_user, recommendation=home, accepted=True)
    with pytest.raises(ValidationError):  # HR no longer decides what is the department's
        services.recommendation_decide(actor=hr_user, recommendation=home, adopted=True)
    assert services.allowed_actions(hr_user, home) == []
    organization = _sent(admin_user, person_a, addressed_to="organization", kind="title")
    with pytest.raises(ValidationError):
        services.recommendation_home_answer(
            actor=liaison_a, recommendation=organization, accepted=True
        )
    draft = services.recommendation_create(
        actor=admin_user, staff=person_a, kind="title", addressed_to="home", rationale="优"
    )
    with pytest.raises(ValidationError):
        services.recommendation_home_answer(actor=liaison_a, recommendation=draft, accepted=True)
    assert not Recommendation.objects.exclude(home_decision="").exists()
    # the center may record it on the department's behalf, and the page says so
    home = services.recommendation_home_answer(
        actor=admin_user, recommendation=home, accepted=False, reason="单位电话告知暂不调整"
    )
    assert services.answered_on_behalf(_fresh(home))


def test_the_liaison_answers_on_the_page(admin_user, liaison_a, liaison_b, person_a):
    rec = _sent(admin_user, person_a)
    url = reverse("promotions:recommendation_detail", args=[rec.pk])
    client = client_for(liaison_a)
    page = client.get(url).content.decode()
    assert 'data-testid="home-answer-form"' in page
    bad = client.post(
        reverse("promotions:recommendation_home_answer", args=[rec.pk]),
        {"answer": "not_taken_up", "version": rec.version},
    )
    assert bad.status_code == 400 and "请说明未采纳的原因" in bad.content.decode()
    assert _fresh(rec).home_decision == ""
    answer = reverse("promotions:recommendation_home_answer", args=[rec.pk])
    data = {"answer": "accepted", "reason": "同意", "version": rec.version}
    assert client_for(liaison_b).post(answer, data).status_code == 404
    assert client.post(answer, data).status_code == 302
    rec = _fresh(rec)
    page = client.get(url).content.decode()
    assert (
        'data-testid="home-outcome-form"' in page and 'data-testid="home-answer-form"' not in page
    )
    done = client.post(
        reverse("promotions:recommendation_home_outcome", args=[rec.pk]),
        {"post": "审批科科长", "post_from": "2026-11-16", "version": rec.version},
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "审批科科长" in page.split('data-testid="home-post"')[1].split("</dd>")[0]
    # the person's record shows it where the recommendations show
    panel = panel_context(liaison_a, person_a)
    assert panel["recommendations"][0].home_post == "审批科科长"
    staff_page = client.get(reverse("staff:detail", args=[person_a.pk])).content.decode()
    assert "审批科科长" in staff_page.split('data-testid="promotions-panel"')[1]


def test_the_api(admin_user, liaison_a, liaison_b, person_a):
    rec = _sent(admin_user, person_a, addressed_to="both")
    api = APIClient()
    api.force_authenticate(liaison_a)
    url = f"/api/v1/recommendations/{rec.pk}/home-answer/"
    refused = api.post(url, {"home_decision": "not_taken_up"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    other = APIClient()
    other.force_authenticate(liaison_b)
    assert other.post(url, {"home_decision": "accepted"}, format="json").status_code == 404
    done = api.post(url, {"home_decision": "accepted", "version": rec.version}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["home_decision"] == "accepted" and done.json()["state"] == "submitted"
    again = api.post(url, {"home_decision": "accepted"}, format="json")
    assert again.status_code == 409  # answered once
    outcome = api.post(
        f"/api/v1/recommendations/{rec.pk}/home-outcome/",
        {"post": "副局长", "post_from": "2026-11-30"},
        format="json",
    )
    assert outcome.status_code == 200 and outcome.json()["home_post_from"] == "2026-11-30"
    listed = api.get("/api/v1/recommendations/?home_decision=accepted").json()
    assert [r["id"] for r in listed["results"]] == [rec.pk]


def test_the_list_of_what_awaits_the_department(admin_user, liaison_a, person_a, person_b):
    waiting = _sent(admin_user, person_a)
    both = _sent(admin_user, person_a, addressed_to="both", kind="title")
    _sent(admin_user, person_a, addressed_to="organization", kind="reserve")
    _sent(admin_user, person_b)  # another department's
    services.recommendation_home_answer(actor=liaison_a, recommendation=both, accepted=True)
    page = client_for(liaison_a).get(reverse("promotions:recommendation_list") + "?awaiting=home")
    assert [r.pk for r in page.context["page"]] == [waiting.pk]
