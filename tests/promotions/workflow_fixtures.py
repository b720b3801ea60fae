"""Objects of the promotion-workflow tests, all made through the services: recommendations in
each state and reference requests of both departments, a reserve cadre with a rotation plan.

Import the fixtures with ``from .workflow_fixtures import *`` (the evidence tests keep their own).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import Grade, Period, PeriodKind, Score
from promotions import services
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.factories import UserFactory
from windows.models import EndReason

__all__ = [
    "annual_grade",
    "hr2",
    "workflow",
]


def annual_grade(person, year: int, *, suggested: str = "", decided: str = "", total="95"):
    """An annual score row with the center's suggested and the department's decided grade."""
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.YEAR,
        year=year,
        number=1,
        defaults={"start_date": date(year, 1, 1), "end_date": date(year, 12, 31)},
    )
    return Score.objects.create(
        period=period,
        staff=person,
        department=person.department,
        total=total,
        suggested_grade=suggested,
        department_grade=decided,
    )


@pytest.fixture
def hr2(db):
    from staff.models import Role

    return UserFactory(username="hr2", role=Role.HR)


@pytest.fixture
def workflow(admin_user, hr_user, person_a, person_b, dept_a, dept_b, staff_user):
    today = timezone.localdate()
    window_a = WindowFactory(department=dept_a, code="A01")
    window_b = WindowFactory(department=dept_b, code="B01")
    StationingFactory(staff=person_a, window=window_a, start_date=date(2023, 1, 1))
    StationingFactory(staff=person_b, window=window_b, start_date=date(2023, 1, 1))

    def draft(person, kind="title"):
        return services.recommendation_create(
            actor=admin_user,
            staff=person,
            kind=kind,
            addressed_to="both",
            rationale="窗口服务表现突出，群众满意度高。",
        )

    draft_a = draft(person_a)
    submitted_a = services.recommendation_submit(actor=admin_user, recommendation=draft(person_a))
    draft_b = draft(person_b)
    submitted_b = services.recommendation_submit(actor=admin_user, recommendation=draft(person_b))

    def ask(person, by=hr_user):
        return services.reference_request_create(
            actor=by, staff=person, purpose="拟提拔副科长考察", due_date=today + timedelta(days=5)
        )

    ref_a = ask(person_a)
    ref_b = ask(person_b)
    answered_a = services.reference_request_answer(
        actor=admin_user, request=ask(person_a), appraisal="政治坚定，业务熟练，服务热情。"
    )
    services.reserve_mark(actor=admin_user, staff=person_a, reserve=True)
    plan_a = services.rotation_plan_create(
        actor=admin_user, staff=person_a, planned_start=date(2023, 1, 1), window=window_a
    )
    return {
        "dept_a": dept_a,
        "dept_b": dept_b,
        "person_a": person_a,
        "person_b": person_b,
        "self": staff_user.staff_profile,
        "window_a": window_a,
        "window_b": window_b,
        "draft_a": draft_a,
        "submitted_a": submitted_a,
        "draft_b": draft_b,
        "submitted_b": submitted_b,
        "ref_a": ref_a,
        "ref_b": ref_b,
        "answered_a": answered_a,
        "plan_a": plan_a,
        "returned": EndReason.RETURNED,
        "grade": Grade,
    }
