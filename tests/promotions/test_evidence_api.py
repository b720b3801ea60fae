"""``/api/v1/staff/{id}/evidence/``: JSON and xlsx, the period, masking, and the schema."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(person) -> str:
    return f"/api/v1/staff/{person.pk}/evidence/"


def test_json_pack_for_a_period(grow, record_world, hr_user):
    grow(2)
    person = record_world["person"]
    response = api(hr_user).get(url(person), {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert body["identity"]["id_number"] == person.id_number  # HR reads full ID numbers
    assert [s["year"] for s in body["annual_scores"]] == [2025]


def test_xlsx_file(grow, record_world, admin_user):
    grow(1)
    person = record_world["person"]
    response = api(admin_user).get(url(person), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "基本信息"
    assert book["基本信息"]["A2"].value == person.staff_number


def test_liaison_gets_a_masked_id(record_world, liaison_a):
    person = record_world["person"]
    body = api(liaison_a).get(url(person)).json()
    assert body["identity"]["id_number"] == person.masked_id_number


@pytest.mark.parametrize(
    "query", [{"start": "2025-12-31", "end": "2025-01-01"}, {"start": "x"}, {"format": "pdf"}]
)
def test_bad_query_is_a_400(record_world, admin_user, query):
    assert api(admin_user).get(url(record_world["person"]), query).status_code == 400


def test_in_the_openapi_schema(admin_user):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/staff/{staff_pk}/evidence/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"staff_pk", "start", "end", "format"}
    content = operation["responses"]["200"]["content"]
    assert set(content) >= {
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
