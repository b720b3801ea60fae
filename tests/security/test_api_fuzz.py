"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis + Hypothesis).

Every operation in the schema (so a new endpoint joins by itself), for every role, against the demo
center (every app's data, two departments' worth of objects behind every id), with generated valid
and invalid input: never a server error, responses match the documented schema, and nothing outside
the caller's scope comes back — every person, department and ID number in every response is one the
caller may see (a liaison their department, window staff themselves; ID numbers masked for everyone
who may not read them).

The budget is small so the normal suite stays fast; raise it for a deeper run with
``FUZZ_MAX_EXAMPLES=200 FUZZ_RANDOM=1 pytest tests/security/test_api_fuzz.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.exceptions import FieldError
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from joint.models import Talk
from staff import idcard
from staff.models import Department, Staff, User
from staff.permissions import Perm, department_ids, has_perm
from staff.selectors import staff_list_for_user

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "12"))
ROLES = ("admin", "liaison", "hr", "staff")  # the demo center's accounts
SAMPLE = 6  # ids per resource across the whole center, plus up to 3 inside the caller's scope
# The objects behind an id when the view does not name a model (a plain serializer).
MODELS_BY_PATH = {"/api/v1/talks/": Talk, "/api/v1/staff/{staff_pk}/": Staff}
# Lookups that put an object inside a caller's scope, tried in order (first that applies wins).
SCOPE_LOOKUPS = (
    "staff__in",
    "outgoing__in",
    "talk__staff__in",
    "entry__staff__in",
    "transfer__outgoing__in",
    "department__in",
    "recipient",
)
# Catalogues every role may read whole: a course's or session's organizing department, a policy
# update's service items, are not another department's personal data.
SHARED_CATALOGUES = ("/api/v1/courses/", "/api/v1/sessions/", "/api/v1/policy-updates/")


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
    # three digits whatever the id (PostgreSQL sequences are not reset between tests)
    first17 = "51040219900101" + f"{department % 1000:03d}"
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


def _ref(value: Any) -> int | None:
    """The id a field refers to: ``3`` or ``{"id": 3, ...}``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) else None


class Scope:
    """What one user may see, for checking responses."""

    def __init__(self, user):
        self.user = user
        self.everything = department_ids(user) is None
        own = getattr(user, "staff_profile", None)
        self.people = set(staff_list_for_user(user).values_list("id", flat=True))
        self.departments = set(department_ids(user) or ()) | ({own.department_id} if own else set())
        self.may_read_ids = has_perm(user, Perm.ID_NUMBER_VIEW)

    def sees(self, person: int) -> bool:
        if person not in self.people and staff_list_for_user(self.user).filter(pk=person).exists():
            self.people.add(person)  # created by an earlier call
        return person in self.people

    def check(self, path: str, body: Any) -> None:
        """Every person, department and ID number in ``body`` is one this user may see."""
        shared = path.startswith(SHARED_CATALOGUES)
        for obj in _walk(body):
            if not self.may_read_ids and obj.get("id_number"):
                assert "*" in obj["id_number"], (path, obj)
            if self.everything:
                continue
            if "staff_number" in obj and "id" in obj:  # a person
                assert self.sees(obj["id"]), (path, obj)
            for key in ("staff", "outgoing", "incoming"):
                person = _ref(obj.get(key))
                assert person is None or self.sees(person), (path, key, obj)
            department = _ref(obj.get("department"))
            if department is not None and not shared:
                assert department in self.departments, (path, obj)
            if path.startswith("/api/v1/departments/") and "headcount" in obj:
                assert obj["id"] in self.departments, (path, obj)


def model_for(path: str):
    """The model behind ``path``'s ids (from the view that serves it)."""
    for prefix, model in MODELS_BY_PATH.items():
        if path.startswith(prefix):
            return model
    concrete = path.replace("{id}", "1").replace("{staff_pk}", "1")
    view = resolve(concrete).func.cls
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    return view.serializer_class.Meta.model


def sample_ids(model, user) -> list[int]:
    """Ids spread over the whole center, and a few inside ``user``'s scope."""
    ids = list(model.objects.order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // SAMPLE)
    chosen = ids[::step][:SAMPLE] + [10**9]  # and one that never exists
    if department_ids(user) is not None:
        people = staff_list_for_user(user)
        values = {"recipient": user, "department__in": department_ids(user) or [-1]}
        for lookup in SCOPE_LOOKUPS:
            if model.__name__ == "Staff":
                inside = people
            else:
                try:
                    inside = model.objects.filter(**{lookup: values.get(lookup, people)})
                except FieldError:
                    continue
            chosen += list(inside.order_by("id").values_list("id", flat=True)[:3])
            break
    return chosen


def fuzz_operation(operation, strategies, wsgi_app, headers, scope, seen) -> None:
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
        if not 200 <= response.status_code < 300 or not response.content:
            return
        if "json" in response.headers.get("content-type", [""])[0]:
            scope.check(case.formatted_path, response.json())
        else:  # a file (the evidence pack's xlsx): only for a person the caller may see
            person = (case.path_parameters or {}).get("id")
            assert scope.everything or (
                case.formatted_path.startswith("/api/v1/staff/") and scope.sees(int(person))
            ), (case.formatted_path, response.headers)

    fuzz()


@pytest.fixture
def demo_center(db):
    call_command("seed_demo", staff=60, seed=20140326, verbosity=0)


@pytest.mark.parametrize("role", ROLES)
def test_api_survives_fuzzing_in_scope(role, demo_center, api_schema, wsgi_app, client):
    user = User.objects.get(username=role)
    token = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {token}"}
    own, other = (Department.objects.get(code=code).pk for code in ("SCJG", "GAJ"))
    scope = Scope(user)
    seen: dict[str, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 80  # every app's endpoints are in the schema
    for operation in operations:
        strategies = [
            operation.as_strategy(),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        ]
        if operation.method in ("post", "put") and operation.path.startswith("/api/v1/staff/"):
            # Also well-formed people (a generated ID number almost never has a valid check
            # digit), for each department: the write path and its scope check get exercised.
            for number, department in enumerate((own, other)):
                body = valid_person(f"FZ{role[:3]}{number}", department)
                strategies.append(operation.as_strategy(body=body, media_type="application/json"))
        names = [p.name for p in operation.path_parameters]
        if names:
            # Real objects behind every id: in and out of the caller's scope.
            ids = sample_ids(model_for(operation.path), user)
            strategies += [
                operation.as_strategy(path_parameters=dict.fromkeys(names, pk)) for pk in ids
            ]
        fuzz_operation(operation, strategies, wsgi_app, headers, scope, seen)
    print(role, f"{len(operations)} operations", sorted(seen.items()))
    # Not vacuous: the token was accepted on every call, every operation was called, and the
    # objects behind the ids were reached (not only 404s).
    assert not [key for key in seen if key.endswith(" 401")], seen
    assert {key.rsplit(" ", 1)[0] for key in seen} == {op.label for op in operations}
    reached = {key.rsplit(" ", 1)[0] for key in seen if key.endswith(" 200")}
    assert sum("{" in label for label in reached) >= 15, sorted(reached)
    person = getattr(user, "staff_profile", None) or Department.objects.get(pk=own).staff.first()
    response = client.get(
        f"/api/v1/staff/{person.pk}/", HTTP_AUTHORIZATION=headers["Authorization"]
    )
    assert response.status_code == 200
