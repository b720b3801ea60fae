"""Every promotions URL and API route × every persona → expected status.

Two blocks, each with its own objects fixture and test: the evidence pack and its exports
(``EVIDENCE_MATRIX``) and the workflow pages (``WORKFLOW_MATRIX``). ``MATRIX`` joins them for
``tests/test_url_coverage.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.matrix import PERSONAS, Case, expect, run_case

from .workflow_fixtures import *  # noqa: F403

# === evidence pack, snapshots and batch exports (branch `evidence`) =============================

PERSON_A = lambda o: [o["person_a"].pk]  # noqa: E731
PERSON_B = lambda o: [o["person_b"].pk]  # noqa: E731
SNAP_A = lambda o: [o["snapshot_a"].number]  # noqa: E731
SNAP_B = lambda o: [o["snapshot_b"].number]  # noqa: E731
# Center, HR and the person's own liaison; window staff have no evidence permission.
IN_A = expect(liaison_b=404, staff=403)
IN_B = expect(liaison_a=404, staff=403)
EXPORTERS = expect(liaison_a=403, liaison_b=403, staff=403)
EXPORT_HR = lambda o: [o["export_hr"].pk]  # noqa: E731
EXPORT_ADMIN = lambda o: [o["export_admin"].pk]  # noqa: E731

EVIDENCE_MATRIX = [
    Case("promotions:evidence", IN_A, args=PERSON_A),
    Case("promotions:evidence", IN_B, args=PERSON_B),
    Case("promotions:evidence", IN_A, args=PERSON_A, query="start=2025-01-01&end=2025-06-30"),
    Case("promotions:evidence_xlsx", IN_A, args=PERSON_A),
    Case("promotions:evidence_xlsx", IN_B, args=PERSON_B),
    Case("promotions:evidence_print", IN_A, args=PERSON_A),
    Case("promotions:evidence_print", IN_B, args=PERSON_B),
    Case("promotions:evidence_pdf", IN_A, args=PERSON_A),
    Case("promotions:evidence_pdf", IN_B, args=PERSON_B),
    Case(
        "promotions:evidence_pdf",
        {**IN_A, "admin": 400, "hr": 400, "liaison_a": 400},
        args=PERSON_A,
        query="start=2025-06-30&end=2025-01-01",
    ),
    Case("promotions:snapshot", IN_A, args=SNAP_A),
    Case("promotions:snapshot_print", IN_A, args=SNAP_A),
    Case("promotions:snapshot_print", IN_B, args=SNAP_B),
    Case("promotions:snapshot_pdf", IN_A, args=SNAP_A),
    Case("promotions:snapshot_pdf", IN_B, args=SNAP_B),
    Case("promotions:snapshot", IN_B, args=SNAP_B),
    Case("promotions:snapshot_xlsx", IN_A, args=SNAP_A),
    Case("promotions:snapshot_xlsx", IN_B, args=SNAP_B),
    # batch exports: HR and the center; an export is the requester's (and the center's)
    Case("promotions:export_list", EXPORTERS),
    Case("promotions:export_create", EXPORTERS),
    Case("promotions:export_create", {**EXPORTERS, "admin": 400, "hr": 400}, method="post"),
    Case("promotions:export_detail", EXPORTERS, args=EXPORT_HR),
    Case("promotions:export_detail", {**EXPORTERS, "hr": 404}, args=EXPORT_ADMIN),
    Case("promotions:export_download", EXPORTERS, args=EXPORT_HR),
    Case("promotions:export_download", {**EXPORTERS, "hr": 404}, args=EXPORT_ADMIN),
    # API
    Case("staff-evidence-list", expect(anonymous=403, liaison_b=404, staff=403), args=PERSON_A),
    Case("staff-evidence-list", expect(anonymous=403, liaison_a=404, staff=403), args=PERSON_B),
    Case(
        "staff-evidence-list",
        expect(anonymous=403, liaison_b=404, staff=403),
        args=PERSON_A,
        query="format=xlsx&start=2025-01-01",
    ),
]


@pytest.fixture
def evidence_objects(person_a, person_b, admin_user, hr_user, django_capture_on_commit_callbacks):
    from promotions.evidence.exports import evidence_export_build, evidence_export_request
    from promotions.evidence.pack import build_pack
    from promotions.evidence.snapshots import freeze

    def built_export(actor):
        with django_capture_on_commit_callbacks(execute=False):
            export = evidence_export_request(
                actor=actor, staff_ids=[person_a.pk], start=date(2025, 1, 1), end=date(2025, 12, 31)
            )
        return evidence_export_build(export_id=export.pk)

    def frozen(person):
        period = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}
        pack = build_pack(person, viewer=admin_user, **period)
        return freeze(
            staff=person,
            period_start=period["start"],
            period_end=period["end"],
            content=pack,
            actor=admin_user,
        )

    return {
        "person_a": person_a,
        "person_b": person_b,
        "snapshot_a": frozen(person_a),
        "snapshot_b": frozen(person_b),
        "export_hr": built_export(hr_user),
        "export_admin": built_export(admin_user),
    }


def _client(case: Case, user):
    if "-" in case.url_name and case.method != "get":
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client
    return client_for(user)


@pytest.mark.django_db
@pytest.mark.parametrize("case", EVIDENCE_MATRIX, ids=lambda c: c.id())
def test_evidence_matrix(case, personas, evidence_objects):
    for persona in PERSONAS:
        run_case(case, persona, personas, evidence_objects, _client(case, personas[persona]))


# === end evidence ==============================================================================

# === workflow: recommendations, reference requests, reserve cadres, HR home (branch `workflow`) ==


def pk(name):
    return lambda o: [o[name].pk]


API = {"anonymous": 403}
CENTER_ONLY = {"liaison_a": 403, "liaison_b": 403, "hr": 403, "staff": 403}
HR_ONLY = {"admin": 403, "liaison_a": 403, "liaison_b": 403, "staff": 403}
NO_LIAISON_NOR_STAFF = {"liaison_a": 403, "liaison_b": 403, "staff": 403}

WORKFLOW_MATRIX = [
    Case("promotions:hr_home", expect(**HR_ONLY)),
    Case("promotions:hr_home", expect(**HR_ONLY), query="q=甲"),
    # recommendations
    Case("promotions:recommendation_list", expect(staff=403)),
    Case("promotions:recommendation_list", expect(staff=403), query="state=submitted"),
    Case("promotions:recommendation_create", expect(**CENTER_ONLY)),
    Case(
        "promotions:recommendation_create",
        expect(**CENTER_ONLY),
        args=lambda o: [],
        query="staff=PERSON_A",
    ),
    Case(
        "promotions:recommendation_create",
        expect(admin=400, **CENTER_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "promotions:recommendation_detail",
        expect(liaison_b=404, staff=403),
        args=pk("submitted_a"),
    ),
    Case(
        "promotions:recommendation_detail",
        expect(liaison_a=404, staff=403),
        args=pk("submitted_b"),
    ),
    Case(
        "promotions:recommendation_detail",
        expect(liaison_a=404, liaison_b=404, hr=404, staff=403),
        args=pk("draft_a"),
    ),
    Case("promotions:recommendation_edit", expect(**CENTER_ONLY), args=pk("draft_a")),
    Case(
        "promotions:recommendation_edit",
        expect(admin=400, **CENTER_ONLY),
        args=pk("draft_a"),
        method="post",
        data=lambda o: {"rationale": ""},
    ),
    Case(
        "promotions:recommendation_submit",
        expect(admin=302, **CENTER_ONLY),
        args=pk("draft_a"),
        method="post",
    ),
    # declining without feedback is refused (400) for those who may decide
    Case(
        "promotions:recommendation_decide",
        expect(admin=400, hr=400, **NO_LIAISON_NOR_STAFF),
        args=pk("submitted_a"),
        method="post",
        data=lambda o: {"outcome": "decline"},
    ),
    Case(
        "promotions:recommendation_decide",
        expect(admin=400, hr=404, **NO_LIAISON_NOR_STAFF),
        args=pk("draft_b"),
        method="post",
        data=lambda o: {"outcome": "adopt"},
    ),
    # issue #16: the home department's answer (the person's liaison, or the center on its
    # behalf); not taken up without a reason, or a post without its day, is refused (400)
    Case("promotions:recommendation_list", expect(staff=403), query="awaiting=home"),
    Case(
        "promotions:recommendation_home_answer",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("submitted_a"),
        method="post",
        data=lambda o: {"answer": "not_taken_up"},
    ),
    Case(
        "promotions:recommendation_home_outcome",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("submitted_a"),
        method="post",
        data=lambda o: {"post": "科长"},
    ),
    # reference requests
    Case("promotions:reference_list", expect(**NO_LIAISON_NOR_STAFF)),
    Case("promotions:reference_list", expect(**NO_LIAISON_NOR_STAFF), query="mine=1&state="),
    Case("promotions:reference_create", expect(**HR_ONLY)),
    Case("promotions:reference_create", expect(**HR_ONLY), query="staff=PERSON_A"),
    Case(
        "promotions:reference_create",
        expect(hr=400, **HR_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "promotions:reference_detail",
        expect(**NO_LIAISON_NOR_STAFF),
        args=pk("ref_b"),
    ),
    Case(
        "promotions:reference_detail",
        expect(**NO_LIAISON_NOR_STAFF),
        args=pk("answered_a"),
    ),
    Case(
        "promotions:reference_answer",
        expect(admin=400, **CENTER_ONLY),
        args=pk("ref_a"),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "promotions:reference_withdraw",
        expect(hr=302, **HR_ONLY),
        args=pk("ref_a"),
        method="post",
    ),
    # reserve cadres
    Case("promotions:reserve_board", expect(**CENTER_ONLY)),
    Case(
        "promotions:reserve_mark",
        expect(admin=302, **CENTER_ONLY),
        args=pk("person_b"),
        method="post",
        data=lambda o: {"reserve": "1"},
    ),
    Case("promotions:rotation_plan_create", expect(**CENTER_ONLY), args=pk("person_b")),
    Case(
        "promotions:rotation_plan_create",
        expect(admin=400, **CENTER_ONLY),
        args=pk("person_b"),
        method="post",
        data=lambda o: {},
    ),
    Case(  # a liaison cancels only what the department proposed (plan_a is the center's)
        "promotions:rotation_plan_cancel",
        expect(admin=302, liaison_a=403, liaison_b=404, hr=403, staff=403),
        args=pk("plan_a"),
        method="post",
    ),
    # issue #16: the home department's reserve-cadre rotations
    Case("promotions:rotation_list", expect(hr=403, staff=403)),
    Case(
        "promotions:rotation_propose",
        expect(liaison_a=404, hr=403, staff=403),
        args=pk("person_b"),
    ),
    Case(
        "promotions:rotation_propose",
        expect(admin=400, liaison_a=404, liaison_b=400, hr=403, staff=403),
        args=pk("person_b"),
        method="post",
        data=lambda o: {},
    ),
    # plan_a's person is already at its window: refused with a message, back to the list
    Case(
        "promotions:rotation_start",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=pk("plan_a"),
        method="post",
    ),
    # API
    Case("recommendation-list", expect(**API, staff=403)),
    Case(
        "recommendation-home-answer",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("submitted_a"),
        method="post",
        data=lambda o: {"home_decision": "not_taken_up"},
    ),
    Case(
        "recommendation-home-outcome",
        expect(**API, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=pk("submitted_a"),
        method="post",
        data=lambda o: {"post": "科长", "post_from": "2026-11-02"},
    ),
    Case("recommendation-detail", expect(**API, liaison_b=404, staff=403), args=pk("submitted_a")),
    Case(
        "recommendation-detail",
        expect(**API, liaison_a=404, liaison_b=404, hr=404, staff=403),
        args=pk("draft_a"),
    ),
    Case(
        "recommendation-list",
        expect(**API, admin=400, **CENTER_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "recommendation-detail",
        expect(**API, **CENTER_ONLY),
        args=pk("draft_a"),
        method="patch",
        data=lambda o: {},
    ),
    Case(
        "recommendation-submit",
        expect(**API, **CENTER_ONLY),
        args=pk("draft_a"),
        method="post",
    ),
    Case(
        "recommendation-submit",
        expect(**API, admin=409, **CENTER_ONLY),
        args=pk("submitted_a"),
        method="post",
    ),
    Case(
        "recommendation-decline",
        expect(**API, admin=400, hr=400, **NO_LIAISON_NOR_STAFF),
        args=pk("submitted_b"),
        method="post",
    ),
    Case(
        "recommendation-adopt",
        expect(**API, admin=409, hr=404, **NO_LIAISON_NOR_STAFF),
        args=pk("draft_a"),
        method="post",
    ),
    Case("reference-request-list", expect(**API, **NO_LIAISON_NOR_STAFF)),
    Case(
        "reference-request-detail",
        expect(**API, **NO_LIAISON_NOR_STAFF),
        args=pk("answered_a"),
    ),
    Case(
        "reference-request-list",
        expect(**API, hr=400, **HR_ONLY),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "reference-request-answer",
        expect(**API, admin=400, **CENTER_ONLY),
        args=pk("ref_a"),
        method="post",
    ),
    Case(
        "reference-request-withdraw",
        expect(**API, **HR_ONLY),
        args=pk("ref_b"),
        method="post",
    ),
]


def _workflow_client(case: Case, user):
    if ":" in case.url_name:
        return client_for(user)
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("case", WORKFLOW_MATRIX, ids=lambda c: c.id())
def test_workflow_matrix(case, personas, workflow):
    """HR reads everywhere and acts only on its own requests and on the decisions; a liaison sees
    recommendations about their department's people (others 404, drafts 404); staff 403."""
    if "PERSON_A" in case.query:
        case = replace(case, query=case.query.replace("PERSON_A", str(workflow["person_a"].pk)))
    for persona in PERSONAS:
        run_case(case, persona, personas, workflow, _workflow_client(case, personas[persona]))


# === end workflow ==============================================================================

MATRIX = [*EVIDENCE_MATRIX, *WORKFLOW_MATRIX]
assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
