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
def schemas(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        document = SchemaGenerator().get_schema(request=None, public=True)
    return document["components"]["schemas"]


@pytest.mark.parametrize(("component", "field"), BLANK_CHOICES)
def test_read_only_blank_choices_admit_the_empty_value(schemas, component, field):
    prop = schemas[component]["properties"][field]
    refs = [item.get("$ref", "") for item in prop.get("oneOf", [prop])]
    assert any(ref.endswith("/BlankEnum") for ref in refs), prop
    assert schemas["BlankEnum"]["enum"] == [""]
