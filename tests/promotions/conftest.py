"""A person with a window record that can be grown year by year: stationings, a chief
representative appointment, certificates, monthly and annual scores with grades, deductions with
appeals, bonuses, awards, citizen ratings, training and the center's appraisals. Important state
goes through the services (entries, appeals, ratings, scores); plain rows through factories."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import AssessmentRule, Award, AwardKind, PeriodKind, Score
from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.scores import (
    department_grade_record,
    period_for_date,
    period_get_or_create,
    score_recompute,
)
from promotions.models import Appraisal
from staff.models import Role
from training.models import CourseCategory, EnrollmentStatus, OrganizerSide
from windows.models import ChiefAppointment, Post

from ..assessments.conftest import fixed_today  # noqa: F401, F811 (a fixture, re-exported)
from ..assessments.factories import StationingFactory, WindowFactory
from ..assessments.helpers import png
from ..factories import CertificateFactory, StaffFactory, UserFactory
from ..training.factories import CourseFactory, EnrollmentFactory, SessionFactory

TODAY = date(2026, 11, 20)


@pytest.fixture
def record_world(dept_a, dept_b, person_b, admin_user, staff_user, fixed_today):  # noqa: F811
    """Department A's window with person A (whose record grows) and a colleague; department B's
    window with person B. Today is pinned to 2026-11-20."""
    fixed_today(TODAY)
    window_a = WindowFactory(code="A01", name="市场准入窗口", department=dept_a)
    window_b = WindowFactory(code="B01", name="户政窗口", department=dept_b)
    person = StaffFactory(
        department=dept_a, name="甲部门人员", user=UserFactory(username="person", role=Role.STAFF)
    )
    colleague = StaffFactory(department=dept_a, name="同事")
    StationingFactory(staff=colleague, window=window_a, start_date=date(2015, 1, 1))
    StationingFactory(staff=person_b, window=window_b, start_date=date(2015, 1, 1))
    world = {
        "window_a": window_a,
        "window_b": window_b,
        "person": person,
        "pin": fixed_today,
        "colleague": colleague,
        "person_b": person_b,
        "admin": admin_user,
        "rules": {r.code: r for r in AssessmentRule.objects.all()},
        "years": [],
    }
    return world


def grow_year(world, year: int) -> None:
    """One more year of record for person A (a year before the earliest so far, so stationings
    stay ordered): a stationing, a chief appointment, a certificate, two months with a deduction
    and a bonus, an appeal, the annual score with grades, an award, ratings, training and an
    appraisal."""
    admin = world["admin"]
    person = world["person"]
    rules = world["rules"]
    n = len(world["years"])
    world["years"].append(year)
    stationing = StationingFactory(
        staff=person,
        window=world["window_a"],
        post=Post.CHIEF_REPRESENTATIVE if n == 0 else Post.STAFF,
        start_date=date(year, 1, 1),
        end_date=None if n == 0 else date(year + 1, 1, 1),
    )
    if n == 0:
        ChiefAppointment.objects.create(
            stationing=stationing,
            appointment_number=f"任{year}-1",
            authorization_number=f"授{year}-1",
            valid_from=date(year, 1, 1),
            filed_by=admin,
        )
    CertificateFactory(staff=person, issued_on=date(year, 1, 1), expires_on=date(year + 3, 1, 1))
    for month in (3, 9):
        day = date(year, month, 10)
        world["pin"](day + timedelta(days=1))
        entry = entry_record(
            actor=admin, staff=person, rule=rules["D01"], date=day, notes="=HYPERLINK(1)"
        )
        entry_record(actor=admin, staff=person, rule=rules["B01"], date=day, files=[png()])
        entry_record(actor=admin, staff=world["colleague"], rule=rules["D01"], date=day)
        if month == 3:
            appeal = appeal_submit(actor=person.user, entry=entry, reason="系统故障导致迟到")
            decider = UserFactory(role=Role.CENTER_ADMIN)  # not the one who recorded it
            appeal_decide(actor=decider, appeal=appeal, outcome="cancelled", note="情况属实")
        served = timezone.make_aware(datetime(year, month, 11, 10))
        for level, ref in (("5", "a"), ("4", "b"), ("2", "c")):
            rating_record(
                actor=admin,
                event_ref=f"EV-{year}-{month}-{ref}",
                window=world["window_a"],
                staff=person,
                level=level,
                served_at=served,
            )
    world["pin"](TODAY)
    annual = period_get_or_create(kind=PeriodKind.YEAR, year=year)
    score_recompute(actor=admin, period=annual)
    department_grade_record(
        actor=admin, score=Score.objects.get(period=annual, staff=person), grade="excellent"
    )
    Award.objects.create(
        period=period_for_date(date(year, 3, 1)),
        kind=AwardKind.SERVICE_STAR,
        staff=person,
        department=person.department,
        score=Decimal("101"),
        rank=1,
    )
    zone = timezone.get_current_timezone()
    for side, category in (
        (OrganizerSide.CENTER, CourseCategory.ETIQUETTE),
        (OrganizerSide.DEPARTMENT, CourseCategory.BUSINESS),
    ):
        session = SessionFactory(
            course=CourseFactory(
                side=side,
                category=category,
                department=person.department if side == OrganizerSide.DEPARTMENT else None,
            ),
            starts_at=datetime(year, 5, 12, 19, tzinfo=zone),
            ends_at=datetime(year, 5, 12, 19, tzinfo=zone) + timedelta(hours=2),
        )
        EnrollmentFactory(
            session=session,
            staff=person,
            status=EnrollmentStatus.COMPLETED,
            hours_credited=Decimal("3.0"),
        )
    Appraisal.objects.create(
        staff=person, date=date(year, 12, 1), text=f"{year}年度表现突出", written_by=admin
    )


@pytest.fixture
def grow(record_world):
    """``grow(k)`` adds k more years of record, going back from 2025."""

    def add(years: int) -> None:
        for _ in range(years):
            earliest = min(record_world["years"], default=2026)
            grow_year(record_world, earliest - 1)

    return add
