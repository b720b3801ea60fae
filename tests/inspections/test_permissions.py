"""Every inspections URL and API route × every persona → expected status.

The round covers windows of departments A and B; a second round covers window A only, so
department B's liaison gets 404 for it. The center records; liaisons and HR read (a liaison only
their departments' findings); window staff have no access (they see the deduction itself)."""

import json

import pytest
from rest_framework.test import APIClient

from inspections import services
from tests.conftest import client_for
from tests.matrix import PERSONAS, Case, expect, run_case

from .conftest import photo

API = {"anonymous": 403}
CENTER_ONLY = {"liaison_a": 403, "liaison_b": 403, "hr": 403, "staff": 403}

ROUND = lambda o: [o["round"].pk]  # noqa: E731
ROUND_A = lambda o: [o["round_a"].pk]  # noqa: E731
FIND_A = lambda o: [o["finding_a"].pk]  # noqa: E731
FIND_B = lambda o: [o["finding_b"].pk]  # noqa: E731
PHOTO_A = lambda o: [o["photo_a"].pk]  # noqa: E731
CHECKLIST = lambda o: [o["checklist"].pk]  # noqa: E731

MATRIX = [
    Case("inspections:round_list", expect(staff=403)),
    Case("inspections:round_list", expect(staff=403), query="kind=daily&status=open"),
    Case("inspections:round_create", expect(**CENTER_ONLY)),
    Case("inspections:round_detail", expect(staff=403), args=ROUND),
    Case("inspections:round_detail", expect(liaison_b=404, staff=403), args=ROUND_A),
    Case(
        "inspections:round_close",
        expect(admin=302, **CENTER_ONLY),
        args=ROUND_A,
        method="post",
    ),
    Case("inspections:finding_create", expect(**CENTER_ONLY), args=ROUND),
    Case(
        "inspections:finding_people",
        expect(**CENTER_ONLY),
        args=ROUND,
        query="window=1",
    ),
    Case("inspections:finding_detail", expect(liaison_b=404, staff=403), args=FIND_A),
    Case("inspections:finding_detail", expect(liaison_a=404, staff=403), args=FIND_B),
    Case(
        "inspections:finding_action",
        expect(admin=302, **CENTER_ONLY),
        args=lambda o: [o["finding_a"].pk, "withdraw"],
        method="post",
        data=lambda o: {"reason": "看错窗口"},
    ),
    Case(
        "inspections:finding_action",
        expect(admin=404, **CENTER_ONLY),
        args=lambda o: [o["finding_a"].pk, "explode"],
        method="post",
    ),
    Case("inspections:photo", expect(liaison_b=404, staff=403), args=PHOTO_A),
    Case("inspections:checklist_list", expect(**CENTER_ONLY)),
    Case("inspections:checklist_create", expect(**CENTER_ONLY)),
    Case("inspections:checklist_update", expect(**CENTER_ONLY), args=CHECKLIST),
    # API
    Case("inspection-round-list", expect(**API, staff=403)),
    Case(
        "inspection-round-list",
        expect(**API, admin=400, **CENTER_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case("inspection-round-detail", expect(**API, liaison_b=404, staff=403), args=ROUND_A),
    Case(
        "inspection-round-close",
        expect(**API, **CENTER_ONLY),
        args=ROUND_A,
        method="post",
    ),
    Case("inspection-finding-list", expect(**API, staff=403)),
    Case(
        "inspection-finding-list",
        expect(**API, admin=400, **CENTER_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case("inspection-finding-detail", expect(**API, liaison_b=404, staff=403), args=FIND_A),
    Case(
        "inspection-finding-enter",
        expect(**API, **CENTER_ONLY),
        args=FIND_A,
        method="post",
    ),
    Case(
        "inspection-finding-withdraw",
        expect(**API, admin=400, **CENTER_ONLY),
        args=FIND_A,
        method="post",
        data=lambda o: {},
    ),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)


@pytest.fixture
def objects(center):
    admin = center["admin"]
    finding_a = services.finding_record(
        actor=admin,
        round=center["round"],
        window=center["window_a"],
        staff=center["me"],
        item=center["absent"],
        note="离岗",
        photos=[photo()],
    )
    finding_b = services.finding_record(
        actor=admin,
        round=center["round"],
        window=center["window_b"],
        item=center["tidy"],
        note="台面杂乱",
    )
    round_a = services.round_open(
        actor=admin,
        kind="special",
        checklist=center["checklist"],
        inspectors=[admin],
        windows=[center["window_a"]],
    )
    return {
        "round": center["round"],
        "round_a": round_a,
        "finding_a": finding_a,
        "finding_b": finding_b,
        "photo_a": finding_a.photos.get(),
        "checklist": center["checklist"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, objects):
    for persona in PERSONAS:
        user = personas[persona]
        if "-" in case.url_name and case.method != "get":
            client = APIClient()
            if user is not None:
                client.force_authenticate(user)
            original = client.generic

            def json_call(method, path, data="", _orig=original, **kw):
                return _orig(method, path, json.dumps(data or {}), "application/json")

            client.post = lambda url, data=None, **kw: json_call("POST", url, data)  # noqa: B023
        else:
            client = client_for(user)
        run_case(case, persona, personas, objects, client)
