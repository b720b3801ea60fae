"""Every workload URL and the feed × every persona → expected status."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case

CENTER_ONLY = {"liaison_a": 403, "liaison_b": 403, "hr": 403, "staff": 403}

MATRIX = [
    Case("workload:month", expect()),
    Case("workload:month", expect(), query="month=2026-11"),
    Case("workload:import", expect(**CENTER_ONLY)),
    Case("workload:import_template", expect(**CENTER_ONLY)),
    Case("workload:weights", expect(**CENTER_ONLY)),
    Case("workload:weight_edit", expect(**CENTER_ONLY), args=lambda o: [o["item_a"].pk]),
    Case(
        "workload:weight_edit",
        expect(admin=302, **CENTER_ONLY),
        args=lambda o: [o["item_a"].pk],
        method="post",
        data=lambda o: {"weight": "1.20"},
    ),
    # the feed takes only system clients with scope workload.push (test_push.py)
    Case(
        "workload-feed-list",
        expect(anonymous=LOGIN, admin=403, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {"records": []},
    ),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, persona, personas, hall):
    if ":" in case.url_name:
        client = client_for(personas[persona])
    else:
        client = APIClient()
        if personas[persona] is not None:
            client.force_authenticate(personas[persona])
    run_case(case, persona, personas, hall, client)
