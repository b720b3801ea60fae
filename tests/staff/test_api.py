import pytest
from rest_framework.test import APIClient

from staff.models import Staff
from tests.queries import assert_constant_queries

from ..factories import CertificateFactory, DepartmentFactory, StaffFactory, valid_id_number


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_token_authentication(liaison_a, person_a, person_b):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "liaison_a", "password": "pw-for-tests-123"}
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    listing = client.get("/api/v1/staff/").json()
    assert [p["id"] for p in listing["results"]] == [person_a.pk]


def test_staff_filters_match_the_browser(admin_user, dept_a, dept_b):
    StaffFactory(department=dept_a, name="王芳", employment_type="temporary")
    StaffFactory(department=dept_b, name="王强")
    client = api(admin_user)
    assert client.get("/api/v1/staff/", {"q": "王"}).json()["count"] == 2
    result = client.get("/api/v1/staff/", {"employment_type": "temporary"}).json()
    assert [p["name"] for p in result["results"]] == ["王芳"]
    assert client.get("/api/v1/staff/", {"department": dept_b.pk}).json()["count"] == 1


def test_id_numbers_are_masked_unless_allowed(admin_user, liaison_a, hr_user, person_a):
    masked = api(liaison_a).get(f"/api/v1/staff/{person_a.pk}/").json()["id_number"]
    assert masked == person_a.masked_id_number
    for user in (admin_user, hr_user):
        assert (
            api(user).get(f"/api/v1/staff/{person_a.pk}/").json()["id_number"] == person_a.id_number
        )


def test_create_validates_through_the_service(liaison_a, dept_a, dept_b):
    payload = {
        "staff_number": "API1",
        "name": "钱七",
        "gender": "female",
        "id_number": "110105194912310021",
        "employment_type": "civil_servant",
        "department": dept_a.pk,
    }
    response = api(liaison_a).post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 400
    assert "校验码" in response.json()["id_number"][0]

    payload["id_number"] = valid_id_number(99)
    payload["department"] = dept_b.pk
    response = api(liaison_a).post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 400 and "department" in response.json()
    assert not Staff.objects.exists()

    payload["department"] = dept_a.pk
    response = api(liaison_a).post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"].count("*") == 8


def test_hr_cannot_write(hr_user, person_a):
    response = api(hr_user).patch(f"/api/v1/staff/{person_a.pk}/", {"name": "改"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/staff/", "/api/v1/departments/"])
@pytest.mark.parametrize("user", ["admin_user", "liaison_a"])
def test_list_endpoints_run_constant_queries(request, path, user, dept_a):
    client = api(request.getfixturevalue(user))

    def add(n, department):
        for _ in range(n):
            CertificateFactory(staff=StaffFactory(department=department))

    add(3, dept_a)

    def grow():
        add(10, dept_a)
        for department in DepartmentFactory.create_batch(3):
            add(4, department)

    assert_constant_queries(lambda: client.get(path, {"page_size": 200}), grow, at_most=8)


def test_schema_lists_the_staff_filters(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/staff/"]["get"]["parameters"]}
    assert {
        "q",
        "department",
        "employment_type",
        "political_status",
        "gender",
        "status",
    } <= parameters
