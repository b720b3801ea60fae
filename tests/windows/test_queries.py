"""Pages and endpoints run the same number of queries for N and 2N rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.queries import assert_constant_queries
from windows import services
from windows.models import Post, TransferKind

from ..factories import CertificateFactory, StaffFactory
from .factories import ServiceItemFactory, StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db


def _grow(department, liaison, today, n=3):
    """n windows with items, staff (one chief) and an open request each."""
    for _ in range(n):
        item = ServiceItemFactory(department=department, is_licensing=True)
        window = WindowFactory(department=department, items=[item])
        for k in range(3):
            person = StaffFactory(department=department)
            CertificateFactory(
                staff=person,
                issued_on=today - timedelta(days=5),
                expires_on=today + timedelta(days=500),
            )
            StationingFactory(
                staff=person,
                window=window,
                start_date=today - timedelta(days=300 + k * 200),
                post=Post.CHIEF_REPRESENTATIVE if k == 0 else Post.STAFF,
            )
        leaving = window.stationings.filter(post=Post.STAFF).first().staff
        transfer = services.transfer_create(
            actor=liaison,
            kind=TransferKind.WITHDRAW,
            window=window,
            outgoing=leaving,
            reason="调回",
            early_justification="单位专项工作需要，提前调回本单位任职",
            effective_date=today + timedelta(days=9),
        )
        services.transfer_submit(actor=liaison, transfer=transfer)


# budgets include the unread-notification badge of the top bar (one COUNT)
PAGES = [
    ("windows:board", "admin_user", 12),
    ("windows:board", "liaison_a", 12),
    ("windows:transfer_list", "admin_user", 12),
    ("windows:transfer_list", "liaison_a", 12),
    # with the joint sections (people, suggested talks, follow-ups, visits, talks, report)
    ("portal:liaison_home", "liaison_a", 20),  # a home page: 20 on the cold path
]


@pytest.mark.parametrize(("url_name", "user", "budget"), PAGES)
def test_pages_run_constant_queries(request, url_name, user, budget, dept_a, liaison_a, today):
    client = client_for(request.getfixturevalue(user))
    _grow(dept_a, liaison_a, today)
    assert_constant_queries(
        lambda: client.get(reverse(url_name)),
        lambda: _grow(dept_a, liaison_a, today),
        at_most=budget,
    )


def test_window_detail_runs_constant_queries(admin_user, dept_a, liaison_a, window_a, today):
    client = client_for(admin_user)

    def grow():
        for _ in range(3):
            person = StaffFactory(department=dept_a)
            StationingFactory(
                staff=person,
                window=window_a,
                start_date=today - timedelta(days=900),
                end_date=today - timedelta(days=400),
            )
            StationingFactory(staff=person, window=window_a, start_date=today - timedelta(days=300))

    grow()
    assert_constant_queries(
        lambda: client.get(reverse("windows:window_detail", args=[window_a.pk])), grow, at_most=20
    )


def test_staff_panel_runs_constant_queries(admin_user, dept_a, window_a, window_a2, today):
    person = StaffFactory(department=dept_a)
    client = client_for(admin_user)
    start = [today - timedelta(days=3000)]

    def grow():
        for _ in range(3):
            StationingFactory(
                staff=person,
                window=window_a2,
                start_date=start[0],
                end_date=start[0] + timedelta(days=100),
            )
            start[0] += timedelta(days=200)

    grow()
    url = reverse("staff:detail", args=[person.pk])
    # the whole page: staff, certificates, history, every app's panel (windows, assessments,
    # training menu, joint) — constant, but heavy: see issue #10
    assert_constant_queries(lambda: client.get(url), grow, at_most=50)


@pytest.mark.parametrize(
    "endpoint", ["window-list", "transfer-list", "stationing-list", "vetting-list"]
)
def test_api_lists_run_constant_queries(endpoint, admin_user, dept_a, liaison_a, today):
    client = APIClient()
    client.force_authenticate(admin_user)
    _grow(dept_a, liaison_a, today)
    assert_constant_queries(
        lambda: client.get(reverse(endpoint)), lambda: _grow(dept_a, liaison_a, today), at_most=10
    )


def test_dashboard_counts_windows_compliance(admin_user, dept_a, liaison_a, today):
    from staff.models import EmploymentType, StaffStatus

    _grow(dept_a, liaison_a, today, n=1)
    window = WindowFactory(
        department=dept_a, items=[ServiceItemFactory(department=dept_a, is_licensing=True)]
    )
    rehired = StaffFactory(department=dept_a, employment_type=EmploymentType.RETIRED_REHIRED)
    StationingFactory(
        staff=rehired,
        window=window,
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=today - timedelta(days=30),
    )
    second_line = StaffFactory(department=dept_a, status=StaffStatus.SECOND_LINE)
    CertificateFactory(
        staff=second_line,
        issued_on=today - timedelta(days=900),
        expires_on=today - timedelta(days=1),
    )
    other = WindowFactory(department=dept_a)
    StationingFactory(
        staff=second_line,
        window=other,
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=today - timedelta(days=30),
    )
    temp = StaffFactory(department=dept_a, employment_type=EmploymentType.TEMPORARY)
    StationingFactory(staff=temp, window=window, start_date=today - timedelta(days=30))
    early = StaffFactory(department=dept_a)
    StationingFactory(
        staff=early,
        window=other,
        start_date=today - timedelta(days=200),
        end_date=today,
        is_early_end=True,
    )
    milestone = StaffFactory(department=dept_a, name="快满两年")
    StationingFactory(
        staff=milestone, window=other, start_date=today - timedelta(days=2 * 365 - 30)
    )
    response = client_for(admin_user).get(reverse("portal:dashboard"))
    figures = response.context["windows_compliance"]
    gaps = {"without_chief", "without_stand_in", "replacements_open", "replacements_overdue"}
    assert {k: v for k, v in figures.items() if k not in gaps} == {
        "ineligible_chiefs": 2,
        "chief_certificate_expired": 1,
        "chief_certificate_missing": 1,
        "temporary_in_licensing": 1,
        "early_transfers": 1,
    }
    reaching = [row["staff_id"] for row in response.context["tenure_milestones"]]
    assert milestone.pk in reaching and early.pk not in reaching and rehired.pk not in reaching
    assert "快满两年" in response.content.decode()


def test_window_list_api_writes_people_as_the_generic_serializer_would(
    admin_user, dept_a, liaison_a, today
):
    """The windows API writes each person at a window by hand (a page nests ~1,650 at the
    province, as plain rows): the output equals DRF's field-by-field path over the declared
    fields of the model instances."""
    from rest_framework import serializers

    from windows.api.serializers import CurrentStationingSerializer
    from windows.selectors import window_list_for_user

    _grow(dept_a, liaison_a, today, n=2)
    client = APIClient()
    client.force_authenticate(admin_user)
    answer = client.get(reverse("window-list")).json()["results"]
    windows = {w.pk: w for w in window_list_for_user(admin_user)}  # people as models
    assert sum(len(w["current"]) for w in answer) == 6
    for shown in answer:
        generic = [
            serializers.ModelSerializer.to_representation(CurrentStationingSerializer(), s)
            for s in windows[shown["id"]].current
        ]
        assert shown["current"] == generic
        one = client.get(reverse("window-detail", args=[shown["id"]])).json()
        assert one["current"] == generic  # one window: its people as models
