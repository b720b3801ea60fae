"""Every promotions URL and API route × every persona → expected status.

Two blocks, each with its own objects fixture and test: the evidence pack and its exports
(``EVIDENCE_MATRIX``) and the workflow pages (``WORKFLOW_MATRIX``). ``MATRIX`` joins them for
``tests/test_url_coverage.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.matrix import PERSONAS, Case, expect, run_case

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
    Case("promotions:snapshot", IN_A, args=SNAP_A),
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
    from promotions.evidence import build_pack
    from promotions.evidence_exports import evidence_export_build, evidence_export_request
    from promotions.snapshots import freeze

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

WORKFLOW_MATRIX: list[Case] = []

# === end workflow ==============================================================================

MATRIX = [*EVIDENCE_MATRIX, *WORKFLOW_MATRIX]
assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
