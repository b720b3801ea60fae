"""Every scoring input has a page and an API, through its service: the year-end review (the
center), the grade the home department decided (its liaison for its own people, or the center),
the red-flag window inputs (the center), and the rule table with its history."""

from datetime import date
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments.models import AssessmentRule, PeriodKind, Score, WindowAssessment
from assessments.services.awards import window_input_set
from assessments.services.entries import entry_record
from assessments.services.rules import rule_save
from assessments.services.scores import (
    department_grade_record,
    period_close,
    period_for_date,
    period_get_or_create,
    score_recompute,
)
from tests.conftest import client_for
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world, admin_user, fixed_today):
    fixed_today(date(2026, 4, 2))
    entry_record(
        actor=admin_user, staff=world["person_a"], rule=world["rules"]["D01"], date=date(2026, 3, 3)
    )
    year = period_get_or_create(kind=PeriodKind.YEAR, year=2026)
    score_recompute(actor=admin_user, period=year)
    return year


def score(period, person) -> Score:
    return Score.objects.get(period=period, staff=person)


def test_the_center_records_a_review_on_the_results_page(world, admin_user, year):
    client = client_for(admin_user)
    page = client.get(reverse("assessments:results", args=[year.pk]))
    assert page.status_code == 200
    target = score(year, world["person_a"])
    assert (
        f'action="{reverse("assessments:review_set", args=[target.pk])}"' in page.content.decode()
    )
    response = client.post(
        reverse("assessments:review_set", args=[target.pk]), {"value": "90", "reason": "年终测评"}
    )
    assert response.status_code == 302
    after = score(year, world["person_a"])
    assert after.review_score == D("90") and after.total != target.total
    entry = LogEntry.objects.get_for_object(after).latest("timestamp")
    assert entry.actor == admin_user and entry.additional_data["reason"] == "年终测评"


def test_a_bad_review_changes_nothing_and_says_why(world, admin_user, year):
    target = score(year, world["person_a"])
    response = client_for(admin_user).post(
        reverse("assessments:review_set", args=[target.pk]), {"value": "130"}, follow=True
    )
    assert "0 到 100" in response.content.decode() or "0到100" in response.content.decode()
    assert score(year, world["person_a"]).review_score is None


def test_the_liaison_records_the_grade_of_their_own_people_only(
    world, admin_user, liaison_a, liaison_b, year
):
    own = score(year, world["person_a"])
    other = score(year, world["person_b"])
    client = client_for(liaison_a)
    page = client.get(reverse("assessments:results", args=[year.pk])).content.decode()
    assert reverse("assessments:grade_record", args=[own.pk]) in page
    assert reverse("assessments:grade_record", args=[other.pk]) not in page  # out of scope
    assert reverse("assessments:review_set", args=[own.pk]) not in page  # the center's
    response = client.post(
        reverse("assessments:grade_record", args=[own.pk]),
        {"grade": "competent", "reason": "党组会议"},
    )
    assert response.status_code == 302
    assert score(year, world["person_a"]).department_grade == "competent"
    response = client.post(
        reverse("assessments:grade_record", args=[other.pk]), {"grade": "excellent"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        department_grade_record(actor=liaison_a, score=other, grade="excellent")
    assert score(year, world["person_b"]).department_grade == ""
    # the review stays the center's
    response = client.post(reverse("assessments:review_set", args=[own.pk]), {"value": "80"})
    assert response.status_code == 403


def test_a_grade_is_for_a_year_only(world, admin_user, year):
    quarter = period_get_or_create(kind=PeriodKind.QUARTER, year=2026, number=1)
    score_recompute(actor=admin_user, period=quarter)
    with pytest.raises(ValidationError):
        department_grade_record(
            actor=admin_user, score=score(quarter, world["person_a"]), grade="excellent"
        )


def test_the_api_takes_review_and_grade(world, admin_user, liaison_a, year):
    target = score(year, world["person_a"])
    response = client_for(admin_user).post(
        f"/api/v1/scores/{target.pk}/review/", {"value": "88"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["review_score"] == "88.00"
    response = client_for(liaison_a).post(
        f"/api/v1/scores/{target.pk}/grade/",
        {"grade": "excellent"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["department_grade"] == "excellent"
    response = client_for(liaison_a).post(
        f"/api/v1/scores/{target.pk}/review/", {"value": "88"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client_for(admin_user).post(
        f"/api/v1/scores/{target.pk}/grade/", {"grade": "nonsense"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_results_page_costs_the_same_for_more_people(world, admin_user, year, dept_a):
    from tests.factories import StaffFactory

    client = client_for(admin_user)
    url = reverse("assessments:results", args=[year.pk])

    def grow():
        for person in StaffFactory.create_batch(4, department=dept_a):
            entry_record(
                actor=admin_user, staff=person, rule=world["rules"]["D01"], date=date(2026, 3, 5)
            )
        score_recompute(actor=admin_user, period=year)

    assert_constant_queries(lambda: client.get(url), grow, at_most=16)


def test_a_month_has_no_results_page(world, admin_user, year):
    march = period_for_date(date(2026, 3, 1))
    assert (
        client_for(admin_user).get(reverse("assessments:results", args=[march.pk])).status_code
        == 404
    )


# --- red-flag window inputs ----------------------------------------------------------------------


def test_the_center_types_the_window_inputs_and_sees_the_score(world, admin_user, year):
    march = period_for_date(date(2026, 3, 1))
    score_recompute(actor=admin_user, period=march)
    client = client_for(admin_user)
    url = reverse("assessments:window_inputs", args=[march.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert {row["window"].code for row in page.context["rows"]} == {"A01", "B01"}
    response = client.post(
        url,
        {
            "window": world["window_a"].pk,
            "efficiency": "80",
            "duty_votes": "10",
            "public_votes": "50",
        },
    )
    assert response.status_code == 302
    item = WindowAssessment.objects.get(period=march, window=world["window_a"])
    assert (item.efficiency, item.duty_votes, item.public_votes) == (D("80"), 10, 50)
    assert LogEntry.objects.get_for_object(item).latest("timestamp").actor == admin_user
    row = next(r for r in client.get(url).context["rows"] if r["window"].code == "A01")
    assert row["components"]["efficiency"] == "80.00"


def test_window_inputs_refuse_bad_values_and_a_closed_period(world, admin_user, liaison_a, year):
    march = period_for_date(date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        window_input_set(
            actor=admin_user,
            period=march,
            window=world["window_a"],
            efficiency=D("120"),
            duty_votes=-1,
            public_votes=0,
        )
    assert set(error.value.message_dict) == {"efficiency", "duty_votes"}
    url = reverse("assessments:window_inputs", args=[march.pk])
    assert client_for(liaison_a).get(url).status_code == 200  # reads its windows
    denied = client_for(liaison_a).post(
        url,
        {"window": world["window_a"].pk, "efficiency": "80", "duty_votes": 1, "public_votes": 1},
    )
    assert denied.status_code == 403
    period_close(actor=admin_user, period=march)
    with pytest.raises(ValidationError):
        window_input_set(
            actor=admin_user,
            period=march,
            window=world["window_a"],
            efficiency=D("80"),
            duty_votes=1,
            public_votes=1,
        )
    assert not WindowAssessment.objects.exists()


def test_the_api_sets_window_inputs_once_per_window(world, admin_user, year):
    march = period_for_date(date(2026, 3, 1))
    client = client_for(admin_user)
    body = {
        "period": march.pk,
        "window": world["window_a"].pk,
        "efficiency": "70",
        "duty_votes": 3,
        "public_votes": 9,
    }
    assert (
        client.post("/api/v1/window-inputs/", body, content_type="application/json").status_code
        == 201
    )
    body["efficiency"] = "75"
    assert (
        client.post("/api/v1/window-inputs/", body, content_type="application/json").status_code
        == 201
    )
    assert WindowAssessment.objects.get().efficiency == D("75")
    listed = client.get(f"/api/v1/window-inputs/?period={march.pk}").json()
    assert listed["count"] == 1


# --- the rule table ------------------------------------------------------------------------------


def test_the_center_edits_a_rule_with_a_reason_and_sees_its_history(world, admin_user):
    rule = world["rules"]["D01"]
    client = client_for(admin_user)
    url = reverse("assessments:rule_edit", args=[rule.pk])
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False)}
    data["points"] = "3"
    response = client.post(url, data)
    assert response.status_code == 200  # no reason: refused
    assert "原因" in response.content.decode() or "理由" in response.content.decode()
    assert AssessmentRule.objects.get(pk=rule.pk).points == rule.points
    data["reason"] = "中心例会修订"
    assert client.post(url, data).status_code == 302
    assert AssessmentRule.objects.get(pk=rule.pk).points == D("3")
    history = client.get(url).context["history"]
    assert history and history[0]["reason"] == "中心例会修订"


def test_a_rule_cited_by_entries_keeps_its_code(world, admin_user):
    rule = world["rules"]["D01"]
    entry_record(actor=admin_user, staff=world["person_a"], rule=rule, date=date(2026, 3, 3))
    with pytest.raises(ValidationError) as error:
        rule_save(actor=admin_user, rule=rule, code="X01", reason="改编号")
    assert "code" in error.value.message_dict
    retired = rule_save(actor=admin_user, rule=rule, active=False, reason="停用")
    assert retired.active is False


def test_everyone_reads_the_rules_only_the_center_edits_them(world, staff_user, liaison_a):
    assert client_for(staff_user).get(reverse("assessments:rule_list")).status_code == 200
    assert client_for(liaison_a).get(reverse("assessments:rule_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        rule_save(
            actor=liaison_a,
            code="Z99",
            category="discipline",
            description="x",
            points=1,
            unit="occurrence",
        )


def test_the_rule_api_needs_a_reason_for_a_change(world, admin_user):
    rule = world["rules"]["D01"]
    client = client_for(admin_user)
    url = f"/api/v1/assessment-rules/{rule.pk}/"
    assert client.patch(url, {"points": "4"}, content_type="application/json").status_code == 400
    ok = client.patch(url, {"points": "4", "reason": "修订"}, content_type="application/json")
    assert ok.status_code == 200
    assert AssessmentRule.objects.get(pk=rule.pk).points == D("4")
