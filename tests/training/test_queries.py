"""Every training list page and list endpoint runs the same number of queries for N and 2N rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.queries import count_cold_queries
from training.models import EnrollmentStatus, OrganizerSide, PolicyUpdate

from ..factories import StaffFactory
from .factories import (
    CourseFactory,
    CourseSkillFactory,
    EnrollmentFactory,
    RequirementFactory,
    ServiceItemFactory,
    SessionFactory,
    SkillFactory,
    StaffSkillFactory,
    StationingFactory,
    WindowFactory,
    evening,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dept_a, staff_user):
    window = WindowFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window.service_items.add(item)
    me = staff_user.staff_profile
    StationingFactory(staff=me, window=window)
    return {"dept": dept_a, "window": window, "item": item, "me": me, "n": 0}


def add_rows(world, n):
    """n more of everything: people with hours and gaps, courses, sessions, policy updates."""
    for _ in range(n):
        world["n"] += 1
        i = world["n"]
        skill = SkillFactory()
        RequirementFactory(window=world["window"], skill=skill, level=4)
        StaffSkillFactory(staff=world["me"], skill=skill, level=1)
        course = CourseFactory(
            side=OrganizerSide.DEPARTMENT if i % 2 else OrganizerSide.CENTER,
            department=world["dept"] if i % 2 else None,
        )
        CourseSkillFactory(course=course, skill=skill, level=4)
        SessionFactory(course=course, starts_at=evening(i % 20 + 1))
        past = SessionFactory(course=course, starts_at=evening(-(i % 20) - 1))
        person = StaffFactory(department=world["dept"])
        StationingFactory(
            staff=person,
            window=world["window"],
            start_date=timezone.localdate() - timedelta(days=60),
        )
        EnrollmentFactory(
            session=past, staff=person, status=EnrollmentStatus.ATTENDED, hours_credited=2
        )
        EnrollmentFactory(
            session=past, staff=world["me"], status=EnrollmentStatus.COMPLETED, hours_credited=2
        )
        update = PolicyUpdate.objects.create(
            title=f"新规{i}",
            published_on=timezone.localdate() - timedelta(days=40),
            deadline=timezone.localdate() - timedelta(days=5),
            course=course,
        )
        update.service_items.add(world["item"])


def count(client, url):
    """Queries of one request on the cold path (nothing cached anywhere)."""
    responses = []
    queries = count_cold_queries(lambda: responses.append(client.get(url)))
    assert responses[0].status_code == 200, (url, responses[0].status_code)
    return queries


PAGES = [
    ("admin", lambda w: reverse("training:catalog")),
    ("admin", lambda w: reverse("training:calendar") + f"?month={timezone.localdate():%Y-%m}"),
    ("admin", lambda w: reverse("training:calendar") + "?view=list"),
    ("admin", lambda w: reverse("training:hours")),
    ("liaison_a", lambda w: reverse("training:hours")),
    ("admin", lambda w: reverse("training:reports")),
    ("liaison_a", lambda w: reverse("training:reports")),
    ("admin", lambda w: reverse("training:policy_list")),
    ("staff", lambda w: reverse("training:person", args=[w["me"].pk])),
    ("staff", lambda w: reverse("training:person_menu", args=[w["me"].pk])),
    ("admin", lambda w: reverse("staff:detail", args=[w["me"].pk])),
    ("admin", lambda w: reverse("skill-list")),
    ("admin", lambda w: reverse("course-list")),
    ("staff", lambda w: reverse("course-list")),
    ("admin", lambda w: reverse("session-list")),
    ("admin", lambda w: reverse("enrollment-list")),
    ("admin", lambda w: reverse("policyupdate-list")),
    ("liaison_a", lambda w: reverse("training-menu-list", args=[w["me"].pk])),
]


@pytest.mark.parametrize("persona,url", PAGES, ids=lambda x: x if isinstance(x, str) else "")
def test_constant_queries(persona, url, world, personas):
    client = client_for(personas[persona])
    add_rows(world, 3)
    first = count(client, url(world))
    add_rows(world, 3)
    assert count(client, url(world)) == first


def test_session_roll_constant_queries(world, personas):
    client = client_for(personas["admin"])
    session = SessionFactory(starts_at=evening(-1), capacity=100)
    for _ in range(3):
        EnrollmentFactory(session=session, staff=StaffFactory(department=world["dept"]))
    url = reverse("training:session_detail", args=[session.pk])
    first = count(client, url)
    for _ in range(3):
        EnrollmentFactory(session=session, staff=StaffFactory(department=world["dept"]))
    assert count(client, url) == first


def test_staff_detail_and_menu_budgets(world, personas):
    """The staff detail page (every panel, computed afresh) and the menu it loads stay within
    their budgets whatever the rows: the panel reads skills, history and hours (three queries),
    the menu fragment the catalog and every gap source."""
    from .test_menu import every_source_active

    every_source_active({"department": world["dept"], "window": world["window"]})
    client = client_for(personas["admin"])
    page = reverse("staff:detail", args=[world["me"].pk])
    menu = reverse("training:person_menu", args=[world["me"].pk])
    add_rows(world, 2)
    counts = (count(client, page), count(client, menu))
    add_rows(world, 4)
    assert (count(client, page), count(client, menu)) == counts
    # 20 for the page, the workload panel's monthly totals (issue #18) included
    assert counts[0] <= 20 and counts[1] <= 14, counts
