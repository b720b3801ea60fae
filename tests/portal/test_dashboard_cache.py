"""The dashboard's figures are cached, and every kind of write shows at once."""

from datetime import date

import pytest
from django.urls import reverse

from staff.services import staff_update
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def figures(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return response.context


def test_a_new_person_and_an_edit_show_at_once(admin_user, dept_a):
    client = client_for(admin_user)
    StaffFactory.create_batch(2, department=dept_a)
    assert figures(client)["figures"]["total"] == 2
    assert figures(client)["figures"]["total"] == 2  # cached
    person = StaffFactory(department=dept_a, gender="male")
    assert figures(client)["figures"]["total"] == 3
    women = figures(client)["figures"]["women"]
    staff_update(actor=admin_user, staff=person, gender="female", reason="更正")
    assert figures(client)["figures"]["women"] == women + 1


def test_cached_figures_are_not_shared_between_scopes(admin_user, liaison_a, dept_a, dept_b):
    StaffFactory.create_batch(2, department=dept_a)
    StaffFactory.create_batch(3, department=dept_b)
    assert figures(client_for(admin_user))["figures"]["total"] == 5
    liaison = client_for(liaison_a)
    response = liaison.get(reverse("portal:dashboard"))
    if response.status_code == 200:  # where liaisons may see it, only their department's
        assert response.context["figures"]["total"] == 2


def test_scores_written_in_bulk_show_at_once(admin_user, dept_a):
    """Scores are written with raw SQL (no signals): the service says so to the cache."""
    from assessments.services.scores import period_for_date, score_recompute
    from tests.windows.factories import StationingFactory, WindowFactory

    client = client_for(admin_user)
    today = date.today()
    window = WindowFactory(department=dept_a)
    StationingFactory(
        staff=StaffFactory(department=dept_a), window=window, start_date=date(today.year, 1, 1)
    )
    period = period_for_date(today.replace(day=1))
    before = figures(client)["assessment"]
    assert figures(client)["assessment"] == before  # cached, no score yet
    score_recompute(actor=admin_user, period=period)
    after = figures(client)["assessment"]
    assert after != before
