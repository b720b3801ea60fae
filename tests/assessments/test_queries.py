"""Boards, lists and API lists run the same number of queries for N and 2N rows."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Award, AwardKind
from assessments.services.appeals import appeal_submit
from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.scores import period_for_date
from staff.models import Role
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory

from .factories import StationingFactory
from .helpers import png


@pytest.fixture
def grow(world, admin_user, staff_user, fixed_today):
    fixed_today(date(2026, 3, 20))
    counter = {"n": 0}

    def add(n: int) -> None:
        rules = world["rules"]
        for _ in range(n):
            counter["n"] += 1
            i = counter["n"]
            user = UserFactory(role=Role.STAFF)
            person = StaffFactory(department=world["window_a"].department, user=user)
            StationingFactory(staff=person, window=world["window_a"], start_date=date(2025, 1, 1))
            entry = entry_record(
                actor=admin_user,
                staff=person,
                rule=rules["S01"],
                date=date(2026, 3, 3),
                files=[png()],
            )
            appeal_submit(actor=user, entry=entry, reason="申诉理由说明文字")
            own = entry_record(
                actor=admin_user,
                staff=world["me"],
                rule=rules["S01"],
                date=date(2026, 3, 4),
                files=[png()],
            )
            appeal_submit(actor=staff_user, entry=own, reason="申诉理由说明文字")
            for who, ref in ((person, f"EV-{i}"), (world["me"], f"EV-ME-{i}")):
                rating_record(
                    actor=admin_user,
                    event_ref=ref,
                    window=world["window_a"],
                    staff=who,
                    level="1",
                    served_at=timezone.make_aware(datetime(2026, 3, 2 + i % 3, 10)),
                )
            Award.objects.create(
                period=period_for_date(date(2026, 3, 1)),
                kind=AwardKind.SERVICE_STAR,
                staff=person,
                department=person.department,
                score=Decimal("100"),
                rank=i,
            )

    return add


PAGES = [
    ("admin", "assessments:board", ""),
    ("liaison_a", "assessments:board", ""),
    ("admin", "assessments:rankings", ""),
    ("admin", "assessments:appeal_list", ""),
    ("admin", "assessments:rectification_list", ""),
    ("staff", "assessments:rectification_list", ""),
    ("staff", "assessments:my_record", ""),
    ("admin", "assessments:award_list", ""),
    ("admin", "assessments:rating_stats", "group=window"),
    ("admin", "entry-list", ""),
    ("admin", "score-list", ""),
    ("admin", "appeal-list", ""),
    ("admin", "rating-list", ""),
    ("staff", "rating-list", ""),
    ("admin", "rectification-list", ""),
    ("admin", "award-list", ""),
    ("admin", "period-list", ""),
    ("admin", "assessment-rule-list", ""),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("persona", "name", "query"), PAGES, ids=[f"{p}-{n}" for p, n, _ in PAGES])
def test_constant_queries(persona, name, query, grow, personas, django_assert_num_queries):
    user = personas[persona]
    client = client_for(user)
    if "-" in name:
        client = APIClient()
        client.force_authenticate(user)
    url = reverse(name) + (f"?{query}" if query else "")
    grow(3)
    client.get(url)  # warm caches (content types, sessions)
    n = _count(client, url)
    print(f"queries {persona} {name}: {n}")
    grow(3)
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200


def test_staff_detail_panel_is_constant(grow, admin_user, world):
    client = client_for(admin_user)
    url = reverse("staff:detail", args=[world["me"].pk])
    grow(2)
    client.get(url)
    n = _count(client, url)
    grow(2)
    response = None
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert len(ctx.captured_queries) == n
    assert b'data-testid="assessment-panel"' in response.content
