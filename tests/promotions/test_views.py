"""The workflow pages: forms call the services, refusals are shown translated and change nothing,
each role sees what it may."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from promotions.models import Recommendation, ReferenceRequest, ReferenceState
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.conftest import client_for
from windows.models import EndReason

from .workflow_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_hr_lands_on_its_home(hr_user, admin_user):
    assert client_for(hr_user).get("/")["Location"] == reverse("promotions:hr_home")
    assert client_for(admin_user).get("/")["Location"] == reverse("portal:dashboard")


def test_center_drafts_sees_flags_and_submits(admin_user, person_a):
    client = client_for(admin_user)
    form = client.get(reverse("promotions:recommendation_create") + f"?staff={person_a.pk}")
    assert 'data-testid="eligibility-flags"' in text(form)
    assert person_a.staff_number in text(form)
    today = timezone.localdate()
    response = client.post(
        reverse("promotions:recommendation_create"),
        {
            "staff_number": person_a.staff_number,
            "kind": "reserve",
            "addressed_to": "both",
            "rationale": "连续三年优秀",
            "period_start": "2022-01-01",
            "period_end": today.isoformat(),
        },
    )
    rec = Recommendation.objects.get()
    assert response["Location"] == reverse("promotions:recommendation_detail", args=[rec.pk])
    response = client.post(
        reverse("promotions:recommendation_submit", args=[rec.pk]),
        {"version": rec.version},
        follow=True,
    )
    rec.refresh_from_db()
    assert rec.state == "submitted"
    assert rec.snapshot.number in text(response)
    assert "已报送" in text(response)


def test_unknown_person_is_a_form_error(admin_user, person_a):
    response = client_for(admin_user).post(
        reverse("promotions:recommendation_create"),
        {
            "staff_number": "NOPE",
            "kind": "title",
            "addressed_to": "home",
            "rationale": "x",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
        },
    )
    assert response.status_code == 400
    assert not Recommendation.objects.exists()


def test_a_barred_submit_is_refused_in_chinese(admin_user, dept_a):
    from promotions import services
    from tests.factories import StaffFactory

    person = StaffFactory(department=dept_a)
    StationingFactory(
        staff=person,
        window=WindowFactory(department=dept_a),
        start_date=date(2018, 1, 1),
        end_date=timezone.localdate().replace(day=1),
        end_reason=EndReason.RETURNED,
    )
    rec = services.recommendation_create(
        actor=admin_user, staff=person, kind="title", addressed_to="home", rationale="优秀"
    )
    response = client_for(admin_user).post(
        reverse("promotions:recommendation_submit", args=[rec.pk]), follow=True
    )
    assert "不得" in text(response)
    rec.refresh_from_db()
    assert rec.state == "draft" and rec.snapshot is None


def test_decisions_by_hr_and_on_behalf(workflow, admin_user, hr_user):
    rec_a, rec_b = workflow["submitted_a"], workflow["submitted_b"]
    client_for(hr_user).post(
        reverse("promotions:recommendation_decide", args=[rec_a.pk]),
        {"outcome": "adopt", "feedback": "采纳", "version": rec_a.version},
    )
    rec_a.refresh_from_db()
    assert rec_a.state == "adopted" and rec_a.decided_by == hr_user
    client = client_for(admin_user)
    client.post(
        reverse("promotions:recommendation_decide", args=[rec_b.pk]),
        {"outcome": "decline", "feedback": "职数已满", "version": rec_b.version},
    )
    page = client.get(reverse("promotions:recommendation_detail", args=[rec_b.pk]))
    assert "代为记录" in text(page)
    stale = client_for(hr_user).post(
        reverse("promotions:recommendation_decide", args=[rec_b.pk]),
        {"outcome": "adopt", "version": 1},
    )
    assert stale.status_code == 400
    rec_b.refresh_from_db()
    assert rec_b.state == "not_adopted"


def test_hr_searches_across_departments(workflow, hr_user):
    page = text(client_for(hr_user).get(reverse("promotions:hr_home") + "?q=部门人员"))
    assert workflow["person_a"].name in page and workflow["person_b"].name in page
    assert reverse("promotions:evidence", args=[workflow["person_b"].pk]) in page
    assert workflow["ref_a"].purpose in page  # its own requests
    assert workflow["submitted_b"].snapshot.number in page  # recommendations received


def test_liaison_sees_only_own_department_and_no_drafts(workflow, liaison_a):
    page = text(client_for(liaison_a).get(reverse("promotions:recommendation_list")))
    assert workflow["submitted_a"].snapshot.number in page
    assert workflow["submitted_b"].snapshot.number not in page
    assert reverse("promotions:recommendation_detail", args=[workflow["draft_a"].pk]) not in page


def test_the_staff_page_shows_the_panel(workflow, hr_user, staff_user):
    person = workflow["person_a"]
    page = text(client_for(hr_user).get(reverse("staff:detail", args=[person.pk])))
    assert 'data-testid="promotions-panel"' in page
    assert workflow["submitted_a"].snapshot.number in page
    own = staff_user.staff_profile
    page = text(client_for(staff_user).get(reverse("staff:detail", args=[own.pk])))
    assert 'data-testid="promotions-panel"' not in page


def test_hr_cannot_withdraw_another_users_request(workflow, hr2):
    ref = workflow["ref_a"]
    response = client_for(hr2).post(reverse("promotions:reference_withdraw", args=[ref.pk]))
    assert response.status_code == 403
    assert ReferenceRequest.objects.get(pk=ref.pk).state == ReferenceState.OPEN


def test_center_answers_and_hr_reads_the_answer(workflow, admin_user, hr_user):
    ref = workflow["ref_b"]
    client_for(admin_user).post(
        reverse("promotions:reference_answer", args=[ref.pk]),
        {"appraisal": "工作认真负责", "version": ref.version},
    )
    ref.refresh_from_db()
    assert ref.state == "answered"
    page = text(client_for(hr_user).get(reverse("promotions:reference_detail", args=[ref.pk])))
    assert "工作认真负责" in page and ref.snapshot.number in page
    assert reverse("promotions:snapshot", args=[ref.snapshot.number]) in page


def test_reserve_board_lists_plans_and_candidates(workflow, admin_user, person_b):
    from .workflow_fixtures import annual_grade

    for year in (2023, 2024, 2025):
        annual_grade(person_b, year, suggested="excellent")
    page = text(client_for(admin_user).get(reverse("promotions:reserve_board")))
    assert workflow["person_a"].name in page  # marked, with a plan
    assert person_b.name in page  # a candidate
    assert "rotation-progress" in page


def test_a_form_with_errors_still_shows_the_flags(admin_user, person_a):
    response = client_for(admin_user).post(
        reverse("promotions:recommendation_create"),
        {"staff_number": person_a.staff_number, "kind": "title", "addressed_to": "home"},
    )
    assert response.status_code == 400
    assert 'data-testid="eligibility-flags"' in text(response)
    assert not Recommendation.objects.exists()
