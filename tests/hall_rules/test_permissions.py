"""Every URL of issue #18's rules and clients (h18c) × every persona → expected status: the
system-client pages, the overdue-case pages and API, the case feed, the "last in its group"
list. Only the center."""

import pytest
from rest_framework.test import APIClient

from assessments.models import CaseDeduction
from core import system_clients
from tests.conftest import client_for
from tests.matrix import PERSONAS, Case, expect, run_case

from .test_case_feed import push, row

CENTER = expect(liaison_a=403, liaison_b=403, hr=403, staff=403)
CENTER_POST = expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403)
API_CENTER = expect(anonymous=403, liaison_a=403, liaison_b=403, hr=403, staff=403)
CLIENT = lambda o: [o["client"].pk]  # noqa: E731
DEDUCTION = lambda o: [o["deduction"].pk]  # noqa: E731

MATRIX = [
    Case("portal:client_list", CENTER),
    Case("portal:client_create", CENTER),
    Case(
        "portal:client_create",
        expect(admin=200, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {"name": "", "kind": "case", "scopes": ["cases.push"]},
    ),
    Case("portal:client_token", CENTER, args=CLIENT),
    Case("portal:client_rotate", CENTER_POST, args=CLIENT, method="post"),
    Case("portal:client_revoke", CENTER, args=CLIENT),
    Case("assessments:case_deductions", CENTER),
    Case("assessments:case_deductions", CENTER, query="state=dismissed"),
    Case("assessments:case_deduction_propose", CENTER_POST, method="post"),
    Case(
        "assessments:case_deduction_confirm",
        CENTER_POST,
        method="post",
        data=lambda o: {"ids": [o["deduction"].pk]},
    ),
    Case("assessments:case_deduction_dismiss", CENTER, args=DEDUCTION),
    Case("joint:group_last", CENTER),
    Case("joint:group_last", CENTER, query="month=2026-11"),
    # API: people only; the feed is the system clients' (tests/hall_rules/test_case_feed.py)
    Case("case-deduction-list", API_CENTER),
    Case("case-deduction-propose", API_CENTER, method="post"),
    Case(
        "case-deduction-confirm",
        expect(anonymous=403, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
    ),
    Case(
        "case-deduction-dismiss",
        expect(anonymous=403, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=DEDUCTION,
        method="post",
    ),
    Case(
        "case-feed-list",
        expect(anonymous=401, admin=403, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
    ),
]


@pytest.fixture
def objects(hall, case_client, admin_user):
    _client, raw = case_client
    push(raw, [row(case_number="OPEN")])
    screen, _raw = system_clients.client_create(
        actor=admin_user, name="大厅屏", kind="screen", scopes=["hall.screen"]
    )
    return {**hall, "client": screen, "deduction": CaseDeduction.objects.get()}


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, objects):
    for persona in PERSONAS:
        if ":" in case.url_name:
            client = client_for(personas[persona])
        else:
            client = APIClient()
            if personas[persona] is not None:
                client.force_authenticate(personas[persona])
        run_case(case, persona, personas, objects, client)
