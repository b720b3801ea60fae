"""core.choices: get_<field>_display() from cached labels answers what Django's own does."""

import pytest
from django.db.models import Model
from django.utils import translation

from staff.models import Staff

pytestmark = pytest.mark.django_db

FIELDS = ["gender", "employment_type", "political_status", "center_role", "status", "education"]


def django_display(person: Staff, name: str):
    return Model._get_FIELD_display(person, Staff._meta.get_field(name))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_labels_as_django_in_each_language(language):
    person = Staff(
        gender="female",
        employment_type="temporary",
        political_status="party_member",
        center_role="window",
        status="active",
        education="",  # blank: not a choice, shown as is
    )
    with translation.override(language):
        for name in FIELDS:
            shown = getattr(person, f"get_{name}_display")()
            assert shown == django_display(person, name), name
        assert person.get_gender_display() == ("女" if language == "zh-hans" else "Female")


def test_a_value_outside_the_choices_is_shown_as_is():
    person = Staff(gender="unknown")
    assert person.get_gender_display() == "unknown"
