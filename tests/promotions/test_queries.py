"""Lists and the staff panel run a constant number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from promotions import services
from promotions.panels import panel_context
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.queries import assert_constant_queries, count_queries

from .workflow_fixtures import *  # noqa: F403
from .workflow_fixtures import annual_grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(admin_user, hr_user, dept_a, dept_b):
    """``grow(n)``: n more people per department, each with a submitted recommendation, an open
    and an answered reference request, a reserve-cadre rotation plan, grades and a stationing."""

    def grow(n=3):
        for department in (dept_a, dept_b):
            window = WindowFactory(department=department)
            for _ in range(n):
                person = StaffFactory(department=department)
                StationingFactory(staff=person, window=window, start_date=date(2024, 1, 1))
                annual_grade(person, 2025, suggested="excellent")
                rec = services.recommendation_create(
                    actor=admin_user,
                    staff=person,
                    kind="title",
                    addressed_to="home",
                    rationale="优秀",
                )
                services.recommendation_submit(actor=admin_user, recommendation=rec)
                for answered in (False, True):
                    ref = services.reference_request_create(
                        actor=hr_user,
                        staff=person,
                        purpose="拟任",
                        due_date=timezone.localdate() + timedelta(days=3),
                    )
                    if answered:
                        services.reference_request_answer(
                            actor=admin_user, request=ref, appraisal="好"
                        )
                services.reserve_mark(actor=admin_user, staff=person, reserve=True)
                services.rotation_plan_create(
                    actor=admin_user, staff=person, planned_start=date(2024, 1, 1), window=window
                )

    return grow


PAGES = [
    ("admin", "/promotions/recommendations/"),
    ("liaison_a", "/promotions/recommendations/"),
    ("liaison_a", "/promotions/recommendations/?awaiting=home"),  # issue #16
    ("liaison_a", "/api/v1/recommendations/?home_decision="),
    ("hr", "/promotions/recommendations/"),
    ("admin", "/promotions/references/?state="),
    ("hr", "/promotions/references/?mine=1&state="),
    ("admin", "/promotions/reserve/"),
    ("hr", "/promotions/hr/?q=测试"),
    ("admin", "/api/v1/recommendations/"),
    ("hr", "/api/v1/reference-requests/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_lists_run_constant_queries(personas, grow, who, path):
    user = personas[who]
    if path.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(user)
    else:
        client = client_for(user)

    def call():
        response = client.get(path)
        assert response.status_code == 200

    grow(2)
    assert_constant_queries(call, lambda: grow(4), at_most=30)


@pytest.mark.parametrize("who", ["admin", "liaison_a", "hr"])
def test_the_staff_panel_takes_two_queries(personas, grow, person_a, who):
    user = personas[who]
    for _ in range(3):
        rec = services.recommendation_create(
            actor=personas["admin"],
            staff=person_a,
            kind="title",
            addressed_to="home",
            rationale="优",
        )
        services.recommendation_submit(actor=personas["admin"], recommendation=rec)
    annual_grade(person_a, 2025, suggested="excellent")
    context = {}

    def call():
        context.update(panel_context(user, person_a))

    assert count_queries(call) <= 2
    assert len(context["recommendations"]) == 3
    assert [r.snapshot.number for r in context["recommendations"]]  # no query per row
    assert count_queries(lambda: [r.snapshot.number for r in context["recommendations"]]) == 0


def test_the_panel_is_not_shown_to_window_staff(staff_user, person_a):
    assert panel_context(staff_user, person_a) is None
