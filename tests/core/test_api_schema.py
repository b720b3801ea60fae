"""The OpenAPI schema tells the truth about values the API really returns."""

import pytest
from drf_spectacular.generators import SchemaGenerator

BLANK_CHOICES = [
    ("Rating", "level"),  # an unrated event
    ("Rectification", "satisfaction_after"),  # not asked again yet
    ("Score", "suggested_grade"),
    ("Score", "department_grade"),
    ("Stationing", "end_reason"),  # still open
]


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def schemas(document):
    return document["components"]["schemas"]


@pytest.mark.parametrize(("component", "field"), BLANK_CHOICES)
def test_read_only_blank_choices_admit_the_empty_value(schemas, component, field):
    prop = schemas[component]["properties"][field]
    refs = [item.get("$ref", "") for item in prop.get("oneOf", [prop])]
    assert any(ref.endswith("/BlankEnum") for ref in refs), prop
    assert schemas["BlankEnum"]["enum"] == [""]


@pytest.mark.parametrize("field", ["to_window", "outgoing", "incoming"])
def test_a_transfer_may_lack_a_target_window_or_either_person(schemas, field):
    assert schemas["Transfer"]["properties"][field]["nullable"] is True


def test_attendance_answers_the_changed_rows_unpaged(document):
    response = document["paths"]["/api/v1/sessions/{id}/attendance/"]["post"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["type"] == "array"
