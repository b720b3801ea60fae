"""Staff-detail panels (``staff.panels``): computed on every request, so a write shows at once
and one viewer's panel never reaches another."""

import dataclasses
import re
from datetime import date

import pytest
from django.urls import reverse

from staff import panels
from staff.models import Department
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.windows.factories import StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db


def page(client, person) -> str:
    html = client.get(reverse("staff:detail", args=[person.pk])).content.decode()
    return re.sub(r'("X-CSRFToken": |name="csrfmiddlewaretoken" value=)"[^"]*"', "", html)


def test_a_write_shows_at_once(admin_user, person_a):
    client = client_for(admin_user)
    page(client, person_a)
    window = WindowFactory(department=person_a.department, code="W-NEW")
    StationingFactory(staff=person_a, window=window, start_date=date(2025, 3, 1))
    assert "W-NEW" in page(client, person_a)
    window.code = "W-RENAMED"
    window.save()
    assert "W-RENAMED" in page(client, person_a)


def test_every_panel_is_computed_for_every_request(admin_user, hr_user, liaison_a, person_a):
    calls = []
    panel = panels._PANELS["stationings"]
    original = panel.context

    def counting(user, person):
        calls.append((user.pk, person.pk))
        return original(user, person)

    panels._PANELS["stationings"] = dataclasses.replace(panel, context=counting)
    try:
        other = StaffFactory(department=person_a.department)
        for user in (admin_user, hr_user, liaison_a, admin_user):
            for person in (person_a, other):
                page(client_for(user), person)
    finally:
        panels._PANELS["stationings"] = panel
    assert sorted(calls) == sorted(
        (u.pk, p.pk)
        for u in (admin_user, hr_user, liaison_a, admin_user)
        for p in (person_a, other)
    )  # nothing kept between requests


def test_the_registry_takes_no_dependency_list():
    with pytest.raises(TypeError):
        panels.register_staff_panel(
            key="x", order=1, template="x.html", context=lambda u, p: {}, depends_on=()
        )
    assert "x" not in panels._PANELS


def test_a_liaison_loses_the_page_of_a_department_they_lost(liaison_a, person_a, dept_b):
    """A liaison moved to another department: the page is out of scope (404) at once."""
    client = client_for(liaison_a)
    assert client.get(reverse("staff:detail", args=[person_a.pk])).status_code == 200
    liaison_a.departments.set([dept_b])
    assert client.get(reverse("staff:detail", args=[person_a.pk])).status_code == 404


def test_department_headcounts_follow_writes(admin_user, dept_a, dept_b):
    client = client_for(admin_user)

    def headcounts():
        response = client.get(reverse("staff:department_list"))
        return {d.pk: d.headcount for d in response.context["departments"]}

    StaffFactory.create_batch(2, department=dept_a)
    assert headcounts()[dept_a.pk] == 2
    person = StaffFactory(department=dept_a)
    assert headcounts()[dept_a.pk] == 3
    person.status = "left"
    person.save()
    assert headcounts()[dept_a.pk] == 2
    person.status = "active"
    person.department = dept_b
    person.save()
    assert headcounts() == {dept_a.pk: 2, dept_b.pk: 1}
    api = client.get("/api/v1/departments/").json()["results"]
    assert {row["id"]: row["headcount"] for row in api} == {dept_a.pk: 2, dept_b.pk: 1}
    detail = client.get(reverse("staff:department_detail", args=[dept_b.pk]))
    assert detail.context["department"].headcount == 1
    assert Department.objects.with_headcount().get(pk=dept_a.pk).headcount == 2


def test_the_promotions_panel_follows_the_person(admin_user, person_a):
    """The promotions panel shows the person's reserve-cadre mark: it depends on staff rows."""
    client = client_for(admin_user)

    def panel() -> str:
        html = page(client, person_a)
        return html.split('data-testid="promotions-panel"', 1)[1].split("</ul></div>", 1)[0]

    assert "后备干部" not in panel()
    person_a.is_reserve_cadre = True
    person_a.save()
    assert "后备干部" in panel()


def test_the_training_panel_and_menu_show_attendance_at_once(admin_user, person_a):
    """Attendance recorded through the service: the panel's hours (``TrainingHours`` rows) and
    history, and the menu the panel loads, change on the next request."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from tests.training.factories import (
        CourseFactory,
        EnrollmentFactory,
        SessionFactory,
        evening,
    )
    from training import services
    from training.models import CourseCategory

    client = client_for(admin_user)
    mandatory = CourseFactory(
        title="必修政治理论", mandatory=True, category=CourseCategory.POLITICAL_THEORY
    )
    session = SessionFactory(
        course=mandatory, starts_at=evening(-1), ends_at=evening(-1) + timedelta(hours=2)
    )
    enrollment = EnrollmentFactory(session=session, staff=person_a)
    menu_url = reverse("training:person_menu", args=[person_a.pk])
    assert "必修政治理论" in client.get(menu_url).content.decode()
    before = page(client, person_a)
    assert 'data-panel="training"' in before and menu_url in before

    services.attendance_record(
        actor=admin_user,
        session=session,
        rows=[services.AttendanceRow(enrollment_id=enrollment.pk, status="attended")],
    )
    response = client.get(reverse("staff:detail", args=[person_a.pk]))
    (training,) = [p["context"] for p in response.context["panels"] if p["key"] == "training"]
    this_year = timezone.localtime(session.starts_at).year == timezone.localdate().year
    assert training["hours"]["total"] == (Decimal("3") if this_year else Decimal("0"))
    assert [e.pk for e in training["history"]] == [enrollment.pk]
    assert "必修政治理论" not in client.get(menu_url).content.decode()  # done: off the menu
