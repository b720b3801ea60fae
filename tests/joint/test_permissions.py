"""Every joint URL and API route × every persona → expected status.

Objects come from ``conftest.joint``: department A's standard talk (by liaison A), its private
talk (by liaison A), the staff persona's own talk, department B's talk, follow-ups and visits.
The admin persona is a center administrator who is NOT center leadership.
"""

from dataclasses import replace

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case


def pk(name):
    return lambda o: [o[name].pk]


API = {"anonymous": 403}

MATRIX = [
    # department page and report
    Case("joint:department", expect(hr=403, staff=403)),
    Case("joint:department", expect(liaison_b=404, hr=403, staff=403), query="department=A"),
    Case("joint:report", expect(hr=403, staff=403)),
    Case("joint:report", expect(liaison_b=404, hr=403, staff=403), query="department=A"),
    Case("joint:report_download", expect(hr=403, staff=403)),
    Case(
        "joint:report_download",
        expect(liaison_a=404, hr=403, staff=403),
        query="department=B&month=2026-01",
    ),
    Case("joint:report_print", expect(hr=403, staff=403)),
    Case(
        "joint:report_print",
        expect(liaison_a=404, hr=403, staff=403),
        query="department=B&month=2026-01",
    ),
    Case("joint:report_pdf", expect(hr=403, staff=403)),
    Case(
        "joint:report_pdf",
        expect(liaison_a=404, hr=403, staff=403),
        query="department=B&month=2026-01",
    ),
    Case("joint:center", expect(liaison_a=403, liaison_b=403, hr=403, staff=403)),
    # visits
    Case("joint:visit_list", expect(staff=403)),
    Case("joint:visit_detail", expect(liaison_b=404, staff=403), args=pk("visit_a")),
    Case("joint:visit_detail", expect(liaison_a=404, staff=403), args=pk("visit_b")),
    Case("joint:visit_create", expect(hr=403, staff=403)),
    Case("joint:visit_create", expect(liaison_b=404, hr=403, staff=403), query="department=A"),
    Case(
        "joint:visit_create",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        method="post",
        data=lambda o: {"department": o["dept_a"].pk},
    ),
    # talks
    Case("joint:talk_list", expect(hr=403)),
    Case("joint:talk_create", expect(hr=403, staff=403)),
    Case(
        "joint:talk_create",
        expect(admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {},
    ),
    Case("joint:talk_detail", expect(liaison_b=404, hr=403, staff=404), args=pk("talk_a")),
    Case("joint:talk_detail", expect(liaison_a=404, hr=403, staff=404), args=pk("talk_b")),
    Case(
        "joint:talk_detail",
        expect(admin=404, liaison_b=404, hr=403, staff=404),
        args=pk("private_a"),
    ),
    Case("joint:talk_detail", expect(liaison_b=404, hr=403), args=pk("own")),
    Case("joint:talk_detail", expect(admin=404, liaison_b=404, hr=403), args=pk("own_private")),
    Case(
        "joint:follow_up_create",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("talk_a"),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "joint:follow_up_create",
        expect(admin=404, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("private_a"),
        method="post",
        data=lambda o: {},
    ),
    # follow-ups
    Case("joint:follow_up_list", expect(hr=403)),
    Case(
        "joint:follow_up_transition",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_a"),
        method="post",
        data=lambda o: {"to": "in_progress"},
    ),
    Case(
        "joint:follow_up_transition",
        expect(admin=404, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_private"),
        method="post",
        data=lambda o: {"to": "in_progress"},
    ),
    # the person's own request
    Case("joint:talk_request", expect(admin=403, liaison_a=403, liaison_b=403, hr=403)),
    Case(
        "joint:talk_request",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=302),
        method="post",
        data=lambda o: {"message": "想聊聊"},
    ),
    # API
    Case("visit-list", expect(**API, staff=403)),
    Case("visit-detail", expect(**API, liaison_b=404, staff=403), args=pk("visit_a")),
    Case(
        "visit-list",
        expect(**API, admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {"department": o["dept_a"].pk},
    ),
    Case("talk-list", expect(**API, hr=403)),
    Case("talk-detail", expect(**API, liaison_b=404, hr=403, staff=404), args=pk("talk_a")),
    Case(
        "talk-detail",
        expect(**API, admin=404, liaison_b=404, hr=403, staff=404),
        args=pk("private_a"),
    ),
    Case("talk-detail", expect(**API, admin=404, liaison_b=404, hr=403), args=pk("own_private")),
    Case(
        "talk-list",
        expect(**API, admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {},
    ),
    Case("follow-up-list", expect(**API, hr=403)),
    Case(
        "follow-up-list",
        expect(**API, admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "follow-up-detail",
        expect(**API, liaison_b=404, hr=403, staff=404),
        args=pk("follow_up_a"),
    ),
    Case(
        "follow-up-detail",
        expect(**API, admin=404, liaison_b=404, hr=403, staff=404),
        args=pk("follow_up_private"),
    ),
    Case("follow-up-detail", expect(**API, liaison_b=404, hr=403), args=pk("follow_up_own")),
    # resolving without a note is refused (400) for those who may; others never get that far
    Case(
        "follow-up-resolve",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_a"),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "follow-up-start",
        expect(**API, admin=200, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_a"),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "follow-up-reopen",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_a"),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "follow-up-start",
        expect(**API, admin=404, liaison_a=200, liaison_b=404, hr=403, staff=403),
        args=pk("follow_up_private"),
        method="post",
        data=lambda o: {},
    ),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
assert LOGIN


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, joint):
    if case.query:  # "department=A" → department A's id
        query = case.query.replace("department=A", f"department={joint['dept_a'].pk}")
        case = replace(
            case, query=query.replace("department=B", f"department={joint['dept_b'].pk}")
        )
    for persona in PERSONAS:
        if ":" in case.url_name:
            client = client_for(personas[persona])
        else:
            client = APIClient()
            if personas[persona] is not None:
                client.force_authenticate(personas[persona])
        run_case(case, persona, personas, joint, client)
