"""Every attendance URL and API route × every persona → expected status, each on fresh data
(a POST that works changes what the next persona would see).

Objects: the window staff persona's own leave, stepping out and make-up request (department A),
person B's (department B)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import LeaveRequest, MakeupRequest, StepOut
from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case


def pk(name):
    return lambda o: [o[name].pk]


def pk_and(name, action):
    return lambda o: [o[name].pk, action]


NONE_BUT_CENTER = {"liaison_a": 403, "liaison_b": 403, "hr": 403, "staff": 403}
OWN_ONLY = {"admin": 404, "liaison_a": 403, "liaison_b": 403, "hr": 403}

MATRIX = [
    Case("attendance:day", expect(staff=403)),
    Case("attendance:board", expect(staff=403)),
    # the hall screen opens with a screen client's token only (tests/attendance/test_board.py)
    Case(
        "hall_screen",
        expect(anonymous=404, admin=404, liaison_a=404, liaison_b=404, hr=404, staff=404),
        args=lambda o: ["sc_not-a-token"],
    ),
    Case("attendance:me", expect(**OWN_ONLY)),
    Case("attendance:person_month", expect(liaison_b=404, staff=404), args=pk("person_a")),
    Case("attendance:person_month", expect(liaison_b=404), args=pk("me")),
    Case("attendance:person_month", expect(liaison_a=404, staff=404), args=pk("person_b")),
    Case("attendance:leave_list", expect()),
    Case("attendance:leave_create", expect(**OWN_ONLY)),
    Case(
        "attendance:leave_create",
        expect(**OWN_ONLY, staff=400),
        method="post",
        data=lambda o: {"category": "sick"},
    ),
    Case("attendance:leave_detail", expect(liaison_b=404), args=pk("leave_a")),
    Case("attendance:leave_detail", expect(liaison_a=404, staff=404), args=pk("leave_b")),
    Case(
        "attendance:leave_action",
        expect(admin=302, liaison_a=403, liaison_b=404, hr=403, staff=302),
        args=pk_and("leave_a", "withdraw"),
        method="post",
    ),
    Case(
        "attendance:leave_action",
        expect(admin=302, liaison_a=404, liaison_b=403, hr=403, staff=404),
        args=pk_and("leave_b", "withdraw"),
        method="post",
    ),
    Case("attendance:step_outs", expect()),
    Case(
        "attendance:step_outs",
        expect(**OWN_ONLY, staff=302),
        method="post",
        data=lambda o: {"reason": "送件", "destination": "档案馆"},
    ),
    Case(
        "attendance:step_out_back",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=302),
        args=pk("out_a"),
        method="post",
    ),
    Case(
        "attendance:step_out_back",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=404),
        args=pk("out_b"),
        method="post",
    ),
    Case("attendance:makeups", expect()),
    Case(
        "attendance:makeups",
        expect(**OWN_ONLY, staff=302),
        method="post",
        data=lambda o: {"at": "", "reason": ""},
    ),
    Case(
        "attendance:makeup_decide",
        expect(admin=302, **NONE_BUT_CENTER),
        args=pk("makeup_a"),
        method="post",
        data=lambda o: {"approve": "1"},
    ),
    Case("attendance:import", expect(**NONE_BUT_CENTER)),
    Case("attendance:import_template", expect(**NONE_BUT_CENTER)),
    Case(
        "attendance:derive",
        expect(admin=302, **NONE_BUT_CENTER),
        method="post",
        data=lambda o: {"start": "2026-11-02"},
    ),
    Case("attendance:month", expect(**NONE_BUT_CENTER)),
    Case(
        "attendance:month_action",
        expect(admin=302, **NONE_BUT_CENTER),
        args=lambda o: ["propose"],
        method="post",
        data=lambda o: {"month": "2026-11"},
    ),
    Case("attendance:sheet", expect(staff=403)),
    Case("attendance:sheet", expect(liaison_b=404, staff=403), query="department=A"),
    Case(
        "attendance:sheet_xlsx",
        expect(liaison_b=404, staff=403),
        query="department=A&month=2026-11",
    ),
    Case(
        "attendance:sheet_xlsx",
        expect(liaison_a=404, staff=403),
        query="department=B&month=2026-11",
    ),
    Case("attendance:sheet_print", expect(liaison_b=404, staff=403), query="department=A"),
    Case("attendance:sheet_print", expect(liaison_a=404, staff=403), query="department=B"),
    Case("attendance:sheet_pdf", expect(liaison_b=404, staff=403), query="department=A"),
    Case("attendance:sheet_pdf", expect(liaison_a=404, staff=403), query="department=B"),
    # no department chosen: no document
    Case(
        "attendance:sheet_pdf",
        expect(admin=404, hr=404, liaison_a=404, liaison_b=404, staff=403),
    ),
    # API: the push endpoint takes only system clients (tests/attendance/test_punch_api.py)
    Case(
        "punch-list",
        expect(anonymous=LOGIN, admin=403, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {"punches": []},
    ),
    Case("attendance-day-list", expect(anonymous=403)),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)


@pytest.fixture
def objects(center):
    today = timezone.localdate()
    start = today + timedelta(days=10)
    leave = {}
    for key, person in (("leave_a", center["me"]), ("leave_b", center["person_b"])):
        leave[key] = LeaveRequest.objects.create(
            staff=person,
            category="personal",
            start_date=start,
            end_date=start,
            days=Decimal(1),
            reason="x",
            steps=["chief"],
        )
    now = timezone.now()
    return {
        **center,
        **leave,
        "out_a": StepOut.objects.create(
            staff=center["me"], out_at=now, reason="x", destination="y"
        ),
        "out_b": StepOut.objects.create(
            staff=center["person_b"], out_at=now, reason="x", destination="y"
        ),
        "makeup_a": MakeupRequest.objects.create(
            staff=center["me"], at=now - timedelta(hours=2), reason="x"
        ),
        "dept_a": center["me"].department,
        "dept_b": center["person_b"].department,
        "day": date(2026, 11, 2),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, persona, personas, objects):
    if ":" in case.url_name:
        client = client_for(personas[persona])
    else:
        client = APIClient()
        if personas[persona] is not None:
            client.force_authenticate(personas[persona])
    run_case(case, persona, personas, objects, client)
