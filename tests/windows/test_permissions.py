"""Every windows URL and API route × every persona → expected status.

Objects of department A: a window, a stationing, a draft transfer raised by A's liaison (with an
attachment) and a vetting on another request. Department B's liaison must get 404 for each of
them; roles without the permission get 403. POSTs that would change state are chosen so that they
fail harmlessly (e.g. approving a draft) or are reached by one persona only, so the shared objects
stay comparable from persona to persona.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case
from windows import services
from windows.models import Stationing, TransferKind, VettingDecision

from ..factories import StaffFactory

WIN_A = lambda o: [o["window_a"].pk]  # noqa: E731
WIN_B = lambda o: [o["window_b"].pk]  # noqa: E731
ST_A = lambda o: [o["stationing_a"].pk]  # noqa: E731
ST_SELF = lambda o: [o["stationing_self"].pk]  # noqa: E731
TR_A = lambda o: [o["transfer_a"].pk]  # noqa: E731
TR_B = lambda o: [o["transfer_b"].pk]  # noqa: E731
ATT_A = lambda o: [o["attachment_a"].pk]  # noqa: E731
VET_A = lambda o: [o["vetting_a"].pk]  # noqa: E731
PAIR_A = lambda o: [o["pair_a"].pk]  # noqa: E731
LETTER_A = lambda o: [o["letter_a"].pk]  # noqa: E731


def action(name):
    return lambda o: [o["transfer_a"].pk, name]


API = {"anonymous": 403}

MATRIX = [
    Case("portal:liaison_home", expect(hr=403, staff=403)),
    Case("home", expect(admin=302, liaison_a=302, liaison_b=302, hr=302, staff=302)),
    Case("windows:board", expect(staff=403)),
    Case("windows:window_detail", expect(liaison_b=404, staff=403), args=WIN_A),
    Case("windows:window_detail", expect(liaison_a=404, staff=403), args=WIN_B),
    Case(
        "windows:appointment_create",
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ST_A,
    ),
    # issue #16: the center returns a person; windows without a chief; replacement demands
    Case(
        "windows:stationing_return",
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ST_A,
    ),
    Case(
        "windows:stationing_return",  # no reason: the form again, nothing changed
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ST_A,
        method="post",
    ),
    Case("windows:without_chief", expect(staff=403)),
    Case("windows:replacement_demands", expect(staff=403)),
    Case("windows:replacement_demands", expect(staff=403), query="all=1"),
    Case("windows:stationing_import", expect(liaison_a=403, liaison_b=403, hr=403, staff=403)),
    Case(
        "windows:stationing_import_template",
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
    ),
    Case("windows:transfer_list", expect(staff=403)),
    Case("windows:transfer_list", expect(staff=403), query="state=waiting"),
    Case("windows:transfer_create", expect(hr=403, staff=403)),
    Case("windows:transfer_people", expect(hr=403, staff=403), args=lambda o: ["incoming"]),
    Case("windows:transfer_people", expect(hr=403, staff=403), args=lambda o: ["outgoing"]),
    Case("windows:transfer_detail", expect(liaison_b=404, staff=403), args=TR_A),
    Case("windows:transfer_detail", expect(liaison_a=404, staff=403), args=TR_B),
    Case("windows:transfer_form", expect(liaison_b=404, staff=403), args=TR_A),
    Case("windows:transfer_form", expect(liaison_a=404, staff=403), args=TR_B),
    Case("windows:transfer_pdf", expect(liaison_b=404, staff=403), args=TR_A),
    Case("windows:transfer_pdf", expect(liaison_a=404, staff=403), args=TR_B),
    # only the raiser edits a draft: the center (the other side) gets 403
    Case(
        "windows:transfer_update",
        expect(admin=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
    ),
    Case(
        "windows:vetting_create",
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=TR_A,
    ),
    # the center approving a draft fails harmlessly with a message (302 back to the page);
    # the raiser may never approve its own request (403)
    Case(
        "windows:transfer_action",
        expect(admin=302, liaison_a=403, liaison_b=404, hr=403, staff=403),
        args=action("approve"),
        method="post",
    ),
    Case(
        "windows:transfer_action",
        expect(admin=404, liaison_a=404, liaison_b=404, hr=403, staff=403),
        args=action("explode"),
        method="post",
    ),
    Case(
        "windows:attachment_upload",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case("windows:attachment_download", expect(liaison_b=404, staff=403), args=ATT_A),
    # API
    Case("window-list", expect(**API, staff=403)),
    Case("window-detail", expect(**API, liaison_b=404, staff=403), args=WIN_A),
    Case("stationing-list", expect(**API)),
    Case("stationing-detail", expect(**API, liaison_b=404, staff=404), args=ST_A),
    Case("stationing-detail", expect(**API, liaison_b=404), args=ST_SELF),
    Case(
        "stationing-return",  # no reason: 400, nothing changed
        expect(**API, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ST_A,
        method="post",
    ),
    Case("transfer-list", expect(**API, staff=403)),
    Case(
        "transfer-list",
        expect(**API, admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {"kind": "station"},
    ),
    Case("transfer-detail", expect(**API, liaison_b=404, staff=403), args=TR_A),
    Case(
        "transfer-detail",
        expect(**API, admin=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="patch",
        data=lambda o: {},
    ),
    Case(
        "transfer-submit",
        expect(**API, admin=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case(
        "transfer-start-vetting",
        expect(**API, admin=400, liaison_a=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case(
        "transfer-approve",
        expect(**API, admin=400, liaison_a=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case(
        "transfer-reject",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case(
        "transfer-withdraw",
        expect(**API, admin=403, liaison_b=404, hr=403, staff=403),
        args=TR_A,
        method="post",
    ),
    Case("vetting-list", expect(**API, staff=403)),
    Case(
        "vetting-list",
        expect(**API, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {
            "transfer": o["transfer_a"].pk,
            "political_ok": True,
            "ability_ok": True,
            "fitness_ok": True,
            "decision": "pass",
        },
    ),
    Case("vetting-detail", expect(**API, liaison_b=404, staff=403), args=VET_A),
    # stand-ins (AB岗): the center and the window's own liaison edit; HR reads
    Case("windows:stand_in_board", expect(staff=403)),
    Case("windows:stand_in_board", expect(staff=403), query="missing=1"),
    Case("windows:stand_in_create", expect(liaison_b=404, hr=403, staff=403), args=WIN_A),
    Case("windows:stand_in_update", expect(liaison_b=404, hr=403, staff=403), args=PAIR_A),
    Case(
        "windows:stand_in_end",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=PAIR_A,
        method="post",
    ),
    Case("windows:stand_in_notice", expect(liaison_b=404, staff=403), args=PAIR_A),
    Case("stand-in-list", expect(**API, staff=403)),
    Case(
        "stand-in-list",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        method="post",
        data=lambda o: {
            "window": o["window_a"].pk,
            "a": o["pair_a"].a_id,
            "b": o["pair_a"].a_id,
            "valid_from": "2026-01-01",
        },
    ),
    Case("stand-in-detail", expect(**API, liaison_b=404, staff=403), args=PAIR_A),
    # chief representatives' letters (issue #16): read like the window, filed by the center
    Case("appointment-list", expect(**API, staff=403)),
    Case("appointment-detail", expect(**API, liaison_b=404, staff=403), args=LETTER_A),
    Case(
        "appointment-list",  # an ineligible person (no certificate): 400, nothing written
        expect(**API, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {
            "stationing": o["stationing_a"].pk,
            "appointment_number": "任",
            "authorization_number": "授",
            "valid_from": "2026-01-01",
            "items": [{"service_item": o["window_a"].service_items.get().pk, "can_accept": True}],
        },
    ),
    Case(
        "appointment-end",  # no reason: 400, nothing changed
        expect(**API, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=LETTER_A,
        method="post",
    ),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
assert LOGIN


@pytest.fixture
def objects(
    admin_user,
    liaison_a,
    liaison_b,
    staff_user,
    dept_a,
    window_a,
    window_b,
    veteran_a,
    veteran_b,
    candidate_a,
    today,
):
    from tests.windows.factories import StationingFactory

    later = today + timedelta(days=30)
    transfer_a = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="调回",
        effective_date=later,
    )
    attachment_a = services.transfer_attach(
        actor=liaison_a,
        transfer=transfer_a,
        upload=SimpleUploadedFile("函.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    transfer_b = services.transfer_create(
        actor=liaison_b,
        kind=TransferKind.WITHDRAW,
        window=window_b,
        outgoing=veteran_b,
        reason="调回",
        effective_date=later,
    )
    # a request in vetting, vetted, for the vetting endpoints
    other = StaffFactory(department=dept_a)
    StationingFactory(staff=other, window=window_a, start_date=today - timedelta(days=900))
    vetted = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=other,
        incoming=candidate_a,
        reason="轮换",
        effective_date=later,
    )
    services.transfer_submit(actor=liaison_a, transfer=vetted)
    services.transfer_start_vetting(actor=admin_user, transfer=vetted)
    vetting_a = services.vetting_record(
        actor=admin_user,
        transfer=vetted,
        political_ok=True,
        ability_ok=True,
        fitness_ok=True,
        decision=VettingDecision.PASS,
    )
    stationing_self = StationingFactory(
        staff=staff_user.staff_profile, window=window_a, start_date=today - timedelta(days=50)
    )
    pair_a = services.stand_in_create(
        actor=admin_user,
        window=window_a,
        a=veteran_a,
        b=staff_user.staff_profile,
        valid_from=today,
    )
    letter_a = services.appointment_file(
        actor=admin_user,
        stationing=StationingFactory(
            staff=candidate_a, window=window_a, start_date=today - timedelta(days=400)
        ),
        appointment_number="任〔2026〕1号",
        authorization_number="授〔2026〕1号",
        valid_from=today - timedelta(days=10),
        valid_until=None,
        items=[{"service_item": window_a.service_items.get(), "can_accept": True}],
    )
    return {
        "window_a": window_a,
        "window_b": window_b,
        "pair_a": pair_a,
        "letter_a": letter_a,
        "stationing_a": Stationing.objects.get(staff=veteran_a),
        "stationing_self": stationing_self,
        "transfer_a": transfer_a,
        "transfer_b": transfer_b,
        "attachment_a": attachment_a,
        "vetting_a": vetting_a,
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

            def json_call(method, path, data="", content_type=None, _orig=original, **kw):
                import json

                return _orig(method, path, json.dumps(data or {}), "application/json", **kw)

            client.post = lambda url, data=None, **kw: json_call("POST", url, data)  # noqa: B023
            client.patch = lambda url, data=None, **kw: json_call("PATCH", url, data)  # noqa: B023
        else:
            client = client_for(user)
        run_case(case, persona, personas, objects, client)
