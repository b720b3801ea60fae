"""Every staff URL and API route × every persona → expected status."""

import pytest

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case

from ..factories import CertificateFactory, StaffFactory, UserFactory

A = lambda o: [o["person_a"].pk]  # noqa: E731
B = lambda o: [o["person_b"].pk]  # noqa: E731
DEPT_A = lambda o: [o["dept_a"].pk]  # noqa: E731
DEPT_B = lambda o: [o["dept_b"].pk]  # noqa: E731
SELF = lambda o: [o["self"].pk]  # noqa: E731
EXP = lambda o: [o["export"].pk]  # noqa: E731
ACCOUNT = lambda o: [o["account"].pk]  # noqa: E731
CERT_A = lambda o: [o["certificate_a"].pk]  # noqa: E731
CERT_SELF = lambda o: [o["certificate_self"].pk]  # noqa: E731
EVERYONE = expect(anonymous=200)

MATRIX = [
    Case("home", expect(admin=302, liaison_a=302, liaison_b=302, hr=302, staff=302)),
    Case("portal:dashboard", expect(liaison_a=403, liaison_b=403, staff=403)),
    Case(
        "portal:dashboard_refresh",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
    ),
    Case(
        "portal:compliance",
        expect(liaison_a=403, liaison_b=403, staff=403),
        args=lambda o: ["ineligible_chiefs"],
    ),
    Case("portal:audit", expect(liaison_a=403, liaison_b=403, hr=403, staff=403)),
    Case("staff:department_list", expect(staff=403)),
    Case("staff:department_detail", expect(liaison_b=404, staff=403), args=DEPT_A),
    Case("staff:department_detail", expect(liaison_a=404, staff=403), args=DEPT_B),
    Case("staff:list", expect(staff=403)),
    Case("staff:create", expect(hr=403, staff=403)),
    Case("staff:import", expect(hr=403, staff=403)),
    Case("staff:import_template", expect(hr=403, staff=403)),
    Case("staff:export", expect(staff=403), query="format=csv"),
    Case(
        "staff:export",
        expect(admin=302, liaison_a=302, liaison_b=302, hr=302, staff=403),
        method="post",
        data=lambda o: {"format": "xlsx"},
    ),
    # an export the center administrator requested: someone else's answers 404
    Case("staff:export_detail", expect(liaison_a=404, liaison_b=404, hr=404, staff=403), args=EXP),
    Case(
        "staff:export_download", expect(liaison_a=404, liaison_b=404, hr=404, staff=403), args=EXP
    ),
    Case("staff:detail", expect(liaison_b=404, staff=404), args=A),
    Case("staff:detail", expect(liaison_a=404, staff=404), args=B),
    Case("staff:detail", expect(liaison_b=404), args=SELF),
    Case("staff:update", expect(liaison_b=404, hr=403, staff=404), args=A),
    Case("staff:certificate_create", expect(liaison_b=404, hr=403, staff=404), args=A),
    # API
    Case("api-root", expect(anonymous=403)),
    Case("department-list", expect(anonymous=403, staff=403)),
    Case("department-detail", expect(anonymous=403, liaison_b=404, staff=403), args=DEPT_A),
    Case("staff-list", expect(anonymous=403, staff=403)),
    Case("staff-detail", expect(anonymous=403, liaison_b=404, staff=404), args=A),
    Case("staff-detail", expect(anonymous=403, liaison_b=404), args=SELF),
    Case(
        "staff-detail",
        expect(anonymous=403, liaison_b=404, hr=403, staff=403),
        args=A,
        method="patch",
        data=lambda o: {},
    ),
    # certificates (issue #16): read like the person, edited by the center and the liaison
    Case("certificate-list", expect(anonymous=403)),
    Case("certificate-detail", expect(anonymous=403, liaison_b=404, staff=404), args=CERT_A),
    Case("certificate-detail", expect(anonymous=403, liaison_b=404), args=CERT_SELF),
    Case(
        "certificate-detail",
        expect(anonymous=403, liaison_b=404, hr=403, staff=403),
        args=CERT_A,
        method="patch",
        data=lambda o: {},
    ),
    Case(
        "certificate-list",  # no holder: 400, nothing written
        expect(anonymous=403, admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403),
        method="post",
        data=lambda o: {},
    ),
    Case(
        "certificate-expire",  # no reason: 400, nothing changed
        expect(anonymous=403, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=CERT_A,
        method="post",
        data=lambda o: {},
    ),
    Case("api-schema", expect(anonymous=200)),
    Case("api-docs", expect(anonymous=200)),
    Case(
        "login",
        expect(anonymous=200, admin=302, liaison_a=302, liaison_b=302, hr=302, staff=302),
    ),
    # accounts (issue #16): the center's page and actions; every user's password pages
    Case("staff:accounts", expect(liaison_a=403, liaison_b=403, hr=403, staff=403)),
    Case(
        "staff:accounts",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {"action": "disable", "reason": "矩阵", "q": "nobody"},
    ),
    Case(
        "staff:account_password_reset",
        expect(liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ACCOUNT,
        method="post",
    ),
    Case(
        "staff:account_active",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=ACCOUNT,
        method="post",
        data=lambda o: {"active": "1", "reason": "矩阵"},
    ),
    Case("password_change", expect()),
    Case("password_change_done", expect()),
    Case("password_reset", EVERYONE),
    Case("password_reset_done", EVERYONE),
    Case("password_reset_confirm", EVERYONE, args=lambda o: ["MQ", "no-such-token"]),
    Case("password_reset_complete", EVERYONE),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
assert LOGIN


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, person_a, person_b, dept_a, dept_b, staff_user):
    objects = {
        "person_a": person_a,
        "person_b": person_b,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "self": staff_user.staff_profile,
        "export": _done_export(personas["admin"]),
        "account": UserFactory(username="matrix-target"),
        "certificate_a": CertificateFactory(staff=person_a),
        "certificate_self": CertificateFactory(staff=staff_user.staff_profile),
    }
    for persona in PERSONAS:
        client = client_for(personas[persona])
        if case.method == "patch" or (case.method == "post" and "-" in case.url_name):
            # An empty PATCH changes nothing: 200 for those who may edit.
            from rest_framework.test import APIClient

            client = APIClient()
            if personas[persona] is not None:
                client.force_authenticate(personas[persona])
        run_case(case, persona, personas, objects, client)


def _done_export(user):
    from django.core.files.base import ContentFile

    from staff.models import ExportState, RosterExport

    export = RosterExport.objects.create(requested_by=user, state=ExportState.DONE, total=1)
    export.file.save("roster.xlsx", ContentFile(b"PK"))
    return export


def test_factories_make_valid_people(db):
    person = StaffFactory()
    person.full_clean()
