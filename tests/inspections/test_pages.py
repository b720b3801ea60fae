"""The pages and the API: a round walked on a phone, the liaison's view, photos, query counts."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Entry, Evidence
from inspections import services
from inspections.models import Finding, FindingStatus, Round
from tests.conftest import client_for
from tests.queries import assert_constant_queries

from .conftest import JPEG, photo

pytestmark = pytest.mark.django_db


def _finding(center, window="window_a", **kwargs):
    values = {
        "actor": center["admin"],
        "round": center["round"],
        "window": center[window],
        "item": center["tidy"],
        "note": "台面杂乱",
    }
    values.update(kwargs)
    return services.finding_record(**values)


def test_an_inspector_starts_a_round_and_records_a_finding_with_a_photo(center, admin_user):
    client = client_for(admin_user)
    page = client.get(reverse("inspections:round_create")).content.decode()
    assert 'name="started_at"' in page
    response = client.post(
        reverse("inspections:round_create"),
        {
            "kind": "weekly",
            "checklist": center["checklist"].pk,
            "inspectors": [admin_user.pk],
            "hall_area": "一楼A区",
            "started_at": "2020-01-01T09:00",
        },
    )
    assert response.status_code == 400 and "带班领导" in response.content.decode()
    response = client.post(
        reverse("inspections:round_create"),
        {
            "kind": "weekly",
            "checklist": center["checklist"].pk,
            "inspectors": [admin_user.pk],
            "leader": admin_user.pk,
            "hall_area": "一楼A区",
            "started_at": "2020-01-01T09:00",
        },
    )
    round_ = Round.objects.latest("id")
    assert response.status_code == 302
    assert list(round_.windows.all()) == [center["window_a"]]
    form = client.get(reverse("inspections:finding_create", args=[round_.pk])).content.decode()
    assert 'capture="environment"' in form and 'enctype="multipart/form-data"' in form
    response = client.post(
        reverse("inspections:finding_create", args=[round_.pk]),
        {
            "window": center["window_a"].pk,
            "item": center["absent"].pk,
            "staff": center["me"].pk,
            "note": "离岗",
            "photos": [photo()],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(round=round_)
    detail = client.get(reverse("inspections:finding_detail", args=[finding.pk])).content.decode()
    url = reverse("inspections:photo", args=[finding.photos.get().pk])
    assert url in detail
    served = client.get(url)
    assert served["Content-Type"] == "image/jpeg" and b"".join(served.streaming_content) == JPEG
    assert served["Cache-Control"] == "private, no-store"
    client.post(reverse("inspections:finding_action", args=[finding.pk, "enter"]))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ENTERED
    assert Evidence.objects.filter(entry=finding.entry).count() == 1


def test_the_staff_picker_shows_the_chosen_windows_people_only(center, admin_user):
    client = client_for(admin_user)
    round_ = center["round"]
    form = client.get(reverse("inspections:finding_create", args=[round_.pk])).content.decode()
    assert center["me"].name not in form  # no window chosen yet: nobody listed
    form = client.get(
        reverse("inspections:finding_create", args=[round_.pk]), {"window": center["window_a"].pk}
    ).content.decode()
    assert center["me"].name in form and center["person_b"].name not in form
    options = client.get(
        reverse("inspections:finding_people", args=[round_.pk]),
        {"window": center["window_b"].pk},
    ).content.decode()
    assert center["person_b"].name in options and center["me"].name not in options
    outside = client.get(reverse("inspections:finding_people", args=[round_.pk]), {"window": "x"})
    assert outside.content.decode().count("<option") == 1


def test_a_bad_photo_is_refused_with_a_message_and_nothing_changes(center, admin_user):
    client = client_for(admin_user)
    response = client.post(
        reverse("inspections:finding_create", args=[center["round"].pk]),
        {"window": center["window_a"].pk, "note": "x", "photos": [photo("a.exe", b"MZ")]},
    )
    assert response.status_code == 400 and "只接受照片" in response.content.decode()
    assert not Finding.objects.exists()


def test_the_liaison_sees_only_their_departments_findings(center, liaison_a, liaison_b):
    mine = _finding(center)
    theirs = _finding(center, window="window_b")
    page = client_for(liaison_a).get(reverse("inspections:round_detail", args=[center["round"].pk]))
    text = page.content.decode()
    assert reverse("inspections:finding_detail", args=[mine.pk]) in text
    assert reverse("inspections:finding_detail", args=[theirs.pk]) not in text
    assert center["window_b"].code not in text  # nor their windows
    api = APIClient()
    api.force_authenticate(liaison_b)
    ids = [row["id"] for row in api.get(reverse("inspection-finding-list")).json()["results"]]
    assert ids == [theirs.pk]


def test_api_records_a_finding_with_photos_and_enters_it(center, admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    response = api.post(
        reverse("inspection-finding-list"),
        {
            "round": center["round"].pk,
            "window": center["window_a"].pk,
            "staff": center["me"].pk,
            "item": center["absent"].pk,
            "note": "离岗",
            "photos": [photo()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "recorded" and body["rule_code"] == "D04"
    assert body["photos"] == [
        reverse("inspections:photo", args=[Finding.objects.get().photos.get().pk])
    ]
    entered = api.post(reverse("inspection-finding-enter", args=[body["id"]]))
    assert entered.status_code == 200 and entered.json()["status"] == "entered"
    again = api.post(reverse("inspection-finding-enter", args=[body["id"]]))
    assert again.status_code == 400
    assert Entry.objects.count() == 1
    bad = api.post(
        reverse("inspection-finding-list"),
        {
            "round": center["round"].pk,
            "window": center["window_b"].pk,
            "staff": center["me"].pk,
            "item": center["absent"].pk,
        },
        format="json",
    )
    assert bad.status_code == 400 and "staff" in bad.json()  # not stationed at window B
    assert Finding.objects.count() == 1


def test_round_list_and_detail_queries_do_not_grow(center, admin_user, liaison_a):
    def grow():
        for _ in range(3):
            round_ = services.round_open(
                actor=admin_user,
                kind="daily",
                checklist=center["checklist"],
                inspectors=[admin_user],
                windows=[center["window_a"], center["window_b"]],
            )
            for window in ("window_a", "window_b"):
                services.finding_record(
                    actor=admin_user,
                    round=round_,
                    window=center[window],
                    item=center["tidy"],
                    note="杂乱",
                    photos=[photo()],
                )
            _finding(center, photos=[photo()])

    for user in (admin_user, liaison_a):
        client = client_for(user)
        assert_constant_queries(
            lambda c=client: c.get(reverse("inspections:round_list")), grow, at_most=12
        )
        detail = reverse("inspections:round_detail", args=[center["round"].pk])
        assert_constant_queries(lambda c=client, u=detail: c.get(u), grow, at_most=14)
    api = APIClient()
    api.force_authenticate(admin_user)
    assert_constant_queries(lambda: api.get(reverse("inspection-finding-list")), grow, at_most=10)
    assert_constant_queries(lambda: api.get(reverse("inspection-round-list")), grow, at_most=10)


def test_only_the_rounds_inspectors_get_the_record_button(center, admin_user):
    from tests.factories import UserFactory

    other = UserFactory(username="other_admin", role="center_admin")
    url = reverse("inspections:round_detail", args=[center["round"].pk])
    assert 'data-testid="finding-new"' in client_for(admin_user).get(url).content.decode()
    page = client_for(other).get(url).content.decode()
    assert 'data-testid="finding-new"' not in page
    response = client_for(other).post(
        reverse("inspections:finding_create", args=[center["round"].pk]),
        {"window": center["window_a"].pk, "item": center["tidy"].pk},
    )
    assert response.status_code == 403 and not Finding.objects.exists()
