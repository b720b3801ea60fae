"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis + Hypothesis).

Every operation, for every role, with generated valid and invalid input: never a server error,
responses match the documented schema, and nothing outside the caller's scope comes back (a
liaison sees only their department's people and department, window staff only themselves, and ID
numbers are masked for everyone who may not read them).

The budget is small so the normal suite stays fast; raise it for a deeper run with
``FUZZ_MAX_EXAMPLES=200 FUZZ_RANDOM=1 pytest tests/security/test_api_fuzz.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from staff import idcard
from staff.models import Staff
from staff.permissions import Perm, department_ids, has_perm

from ..factories import StaffFactory

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "12"))
ROLES = ("admin", "liaison_a", "hr", "staff")


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document)


@pytest.fixture
def wsgi_app():
    """Django's real WSGI handler, in this thread, inside the test's transaction.

    A WSGI server closes the database connection around each request; in a test that would close
    the connection holding the test transaction, so those two signal handlers are paused.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def valid_person(staff_number: str, department: int) -> dict[str, Any]:
    first17 = "51040219900101" + f"{department % 1000:03d}"  # ids grow large on PostgreSQL
    return {
        "staff_number": staff_number,
        "name": "模糊测试",
        "gender": "female",
        "id_number": first17 + idcard.check_digit(first17),
        "employment_type": "civil_servant",
        "department": department,
    }


def _walk(value: Any):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def assert_in_scope(user, path: str, body: Any) -> None:
    """Every staff or department object in ``body`` is one ``user`` may see."""
    allowed = department_ids(user)
    own = getattr(getattr(user, "staff_profile", None), "pk", None)
    may_read_ids = has_perm(user, Perm.ID_NUMBER_VIEW)
    staff_path = path.startswith("/api/v1/staff/")
    for obj in _walk(body):
        if staff_path and "staff_number" in obj:  # a staff object
            department = obj["department"]["id"]
            if allowed is not None:
                assert department in allowed or obj["id"] == own, (path, obj)
            if not may_read_ids:
                assert "*" in obj["id_number"] or not obj["id_number"], (path, obj)
        elif path.startswith("/api/v1/departments/") and "headcount" in obj and allowed is not None:
            assert obj["id"] in allowed, (path, obj)


def fuzz_operation(operation, strategies, wsgi_app, headers, user, seen) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def fuzz(case):
        response = case.call(app=wsgi_app, headers=headers)
        key = f"{operation.label} {response.status_code}"
        seen[key] = seen.get(key, 0) + 1
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        if 200 <= response.status_code < 300 and response.text:
            assert_in_scope(user, case.formatted_path, response.json())

    fuzz()


@pytest.mark.parametrize("role", ROLES)
def test_api_survives_fuzzing_in_scope(
    role, personas, person_a, person_b, api_schema, wsgi_app, client
):
    user = personas[role]
    for department in (person_a.department, person_b.department):
        StaffFactory.create_batch(2, department=department)
    token = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {token}"}
    existing = {
        "staff": list(Staff.objects.values_list("id", flat=True)),
        "departments": [person_a.department_id, person_b.department_id],
    }
    seen: dict[str, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/v1/staff/",
        "POST /api/v1/staff/",
        "GET /api/v1/staff/{id}/",
        "PUT /api/v1/staff/{id}/",
        "PATCH /api/v1/staff/{id}/",
        "GET /api/v1/departments/",
        "GET /api/v1/departments/{id}/",
        "POST /api/v1/auth/token/",
    }
    for operation in operations:
        strategies = [operation.as_strategy()]
        if operation.method in ("post", "put") and operation.path.startswith("/api/v1/staff/"):
            # Also well-formed people (a generated ID number almost never has a valid check
            # digit), for each department: the write path and its scope check get exercised.
            for number, department in enumerate(existing["departments"]):
                body = valid_person(f"FZ{role[:3]}{number}", department)
                strategies.append(operation.as_strategy(body=body, media_type="application/json"))
        if "{id}" in operation.path:
            ids = existing["staff" if "/staff/" in operation.path else "departments"]
            strategies += [operation.as_strategy(path_parameters={"id": pk}) for pk in ids]

        fuzz_operation(operation, strategies, wsgi_app, headers, user, seen)
    print(role, sorted(seen.items()))
    # Not vacuous: the token was accepted on every call, and it reaches an in-scope object.
    assert not [key for key in seen if key.endswith(" 401")], seen
    own = getattr(user, "staff_profile", None) or person_a
    response = client.get(f"/api/v1/staff/{own.pk}/", HTTP_AUTHORIZATION=headers["Authorization"])
    assert response.status_code == 200
