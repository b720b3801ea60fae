"""Stand-ins (AB岗): the rules of a pair, who covers whom, the incomplete windows, the notice."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import client_for
from tests.queries import assert_constant_queries
from windows import selectors, services
from windows.models import StandIn

from ..factories import StaffFactory
from .factories import ServiceItemFactory, StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair_people(dept_a, window_a, today):
    a = StaffFactory(department=dept_a, name="甲岗")
    b = StaffFactory(department=dept_a, name="乙岗")
    for person in (a, b):
        StationingFactory(staff=person, window=window_a, start_date=today - timedelta(days=100))
    return a, b


def _pair(actor, window, a, b, today, **kwargs):
    return services.stand_in_create(
        actor=actor, window=window, a=a, b=b, valid_from=today, **kwargs
    )


def test_a_pair_is_recorded_and_audited(admin_user, window_a, pair_people, today):
    a, b = pair_people
    pair = _pair(admin_user, window_a, a, b, today)
    assert pair.a == a and pair.b == b and pair.created_by == admin_user
    entry = LogEntry.objects.get_for_object(pair).get()
    assert entry.actor == admin_user
    assert entry.additional_data["reason"] == "已指定 B 岗"


def test_a_and_b_must_be_different(admin_user, window_a, pair_people, today):
    a, _ = pair_people
    with pytest.raises(ValidationError) as caught:
        _pair(admin_user, window_a, a, a, today)
    assert "b" in caught.value.error_dict
    assert not StandIn.objects.exists()


def test_both_must_be_stationed_at_the_window_unless_documented(
    admin_user, dept_a, window_a, window_a2, pair_people, today
):
    a, _ = pair_people
    elsewhere = StaffFactory(department=dept_a, name="邻窗")
    StationingFactory(staff=elsewhere, window=window_a2, start_date=today - timedelta(days=30))
    with pytest.raises(ValidationError) as caught:
        _pair(admin_user, window_a, a, elsewhere, today)
    assert "邻窗" in str(caught.value.error_dict["b"])
    assert not StandIn.objects.exists()
    pair = _pair(admin_user, window_a, a, elsewhere, today, exception_note="邻窗同部门，业务相同")
    assert pair.exception_note


def test_a_service_item_must_be_handled_at_the_window(
    admin_user, dept_a, window_a, pair_people, today
):
    a, b = pair_people
    foreign = ServiceItemFactory(department=dept_a)
    with pytest.raises(ValidationError) as caught:
        _pair(admin_user, window_a, a, b, today, service_item=foreign)
    assert "service_item" in caught.value.error_dict
    item = window_a.service_items.first()
    assert _pair(admin_user, window_a, a, b, today, service_item=item).service_item == item


def test_one_b_per_a_at_a_time(admin_user, dept_a, window_a, pair_people, today):
    a, b = pair_people
    c = StaffFactory(department=dept_a, name="丙")
    StationingFactory(staff=c, window=window_a, start_date=today - timedelta(days=10))
    first = _pair(admin_user, window_a, a, b, today)
    with pytest.raises(ValidationError) as caught:
        _pair(admin_user, window_a, a, c, today + timedelta(days=5))
    assert "乙岗" in str(caught.value.error_dict["valid_from"])
    services.stand_in_end(actor=admin_user, pair=first, on=today + timedelta(days=4))
    second = _pair(admin_user, window_a, a, c, today + timedelta(days=5))
    assert selectors.stand_in_for(a, today) == b
    assert selectors.stand_in_for(a, today + timedelta(days=6)) == c
    assert second.valid_until is None


def test_the_liaison_edits_only_their_own_windows(
    liaison_a, liaison_b, hr_user, window_a, pair_people, today
):
    a, b = pair_people
    for outsider in (liaison_b, hr_user):
        with pytest.raises(PermissionDenied):
            _pair(outsider, window_a, a, b, today)
    assert _pair(liaison_a, window_a, a, b, today).created_by == liaison_a


def test_stand_in_for_is_mutual_and_follows_the_stationings(
    admin_user, window_a, pair_people, today
):
    a, b = pair_people
    assert selectors.stand_in_for(a, today) is None
    _pair(admin_user, window_a, a, b, today)
    assert selectors.stand_in_for(a, today) == b
    assert selectors.stand_in_for(b, today) == a
    assert selectors.stand_in_for(a, today - timedelta(days=1)) is None  # before validity
    # B leaves the window: the pair covers nothing any more
    b.stationings.update(end_date=today + timedelta(days=3))
    assert selectors.stand_in_for(a, today + timedelta(days=2)) == b
    assert selectors.stand_in_for(a, today + timedelta(days=3)) is None


def test_stand_in_for_prefers_the_service_items_pair(
    admin_user, dept_a, window_a, pair_people, today
):
    a, b = pair_people
    c = StaffFactory(department=dept_a, name="丙")
    StationingFactory(staff=c, window=window_a, start_date=today - timedelta(days=10))
    item = window_a.service_items.first()
    _pair(admin_user, window_a, a, b, today)
    _pair(admin_user, window_a, a, c, today, service_item=item)
    assert selectors.stand_in_for(a, today) == b
    assert selectors.stand_in_for(a, today, service_item=item) == c


def test_windows_without_a_complete_pair_are_listed(
    admin_user, liaison_a, dept_a, window_a, window_a2, window_b, pair_people, today
):
    a, b = pair_people
    board = selectors.stand_in_board(admin_user)
    assert board["missing"] == 3
    _pair(admin_user, window_a, a, b, today)
    board = selectors.stand_in_board(admin_user, missing_only=True)
    assert board["missing"] == 2
    assert {w.code for w in board["rows"]} == {window_a2.code, window_b.code}
    assert selectors.stand_in_board(liaison_a)["missing"] == 1  # only department A's windows
    # an item-only pair does not complete a window
    lone = StaffFactory(department=dept_a)
    other = StaffFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window_a2.service_items.add(item)
    for person in (lone, other):
        StationingFactory(staff=person, window=window_a2, start_date=today - timedelta(days=9))
    _pair(admin_user, window_a2, lone, other, today, service_item=item)
    assert selectors.stand_in_board(liaison_a)["missing"] == 1
    # a pair whose B has left is not complete
    b.stationings.update(end_date=today)
    assert selectors.stand_in_board(liaison_a)["missing"] == 2


def test_pages_create_edit_end_and_print(admin_user, liaison_a, window_a, pair_people, today):
    a, b = pair_people
    client = client_for(liaison_a)
    url = reverse("windows:stand_in_create", args=[window_a.pk])
    bad = client.post(url, {"a": a.pk, "b": a.pk, "valid_from": today.isoformat()})
    assert bad.status_code == 400 and "两个不同的人" in bad.content.decode()
    assert not StandIn.objects.exists()
    response = client.post(url, {"a": a.pk, "b": b.pk, "valid_from": today.isoformat()})
    assert response.status_code == 302
    pair = StandIn.objects.get()
    page = client.get(reverse("windows:stand_in_board")).content.decode()
    assert "乙岗" in page and 'data-testid="stand-in-pair"' in page
    notice = client.get(
        reverse("windows:stand_in_notice", args=[pair.pk]),
        {"start": today.isoformat(), "end": (today + timedelta(days=2)).isoformat(), "size": "a5"},
    )
    text = notice.content.decode()
    assert notice.status_code == 200
    assert "本窗口工作人员暂离期间，业务由 乙岗 办理" in text
    assert window_a.code in text and (today + timedelta(days=2)).isoformat() in text
    assert "size: A5" in text
    reversed_dates = client.get(
        reverse("windows:stand_in_notice", args=[pair.pk]),
        {"start": today.isoformat(), "end": (today - timedelta(days=2)).isoformat()},
    )
    assert reversed_dates.status_code == 400
    edit = client.post(
        reverse("windows:stand_in_update", args=[pair.pk]),
        {"b": b.pk, "valid_from": today.isoformat(), "valid_until": "", "exception_note": ""},
    )
    assert edit.status_code == 302
    client.post(reverse("windows:stand_in_end", args=[pair.pk]))
    pair.refresh_from_db()
    assert pair.valid_until == today


def test_board_queries_do_not_grow(admin_user, dept_a, today):
    def grow():
        for _ in range(3):
            window = WindowFactory(department=dept_a)
            people = [StaffFactory(department=dept_a) for _ in range(2)]
            for person in people:
                StationingFactory(staff=person, window=window, start_date=today - timedelta(days=5))
            _pair(admin_user, window, *people, today)

    grow()
    client = client_for(admin_user)
    url = reverse("windows:stand_in_board")
    assert_constant_queries(lambda: client.get(url), grow, at_most=20)


def test_an_exception_is_still_someone_of_the_windows_department(
    admin_user, dept_b, window_a, pair_people, today
):
    a, _ = pair_people
    outsider = StaffFactory(department=dept_b, name="外部门")
    with pytest.raises(ValidationError) as caught:
        _pair(admin_user, window_a, a, outsider, today, exception_note="临时借调")
    assert "外部门" in str(caught.value.error_dict["b"])
    assert not StandIn.objects.exists()


def test_api_names_a_pair_and_lists_the_callers_windows_only(
    liaison_a, liaison_b, window_a, pair_people, today
):
    from rest_framework.test import APIClient

    a, b = pair_people
    api = APIClient()
    api.force_authenticate(liaison_a)
    body = {"window": window_a.pk, "a": a.pk, "b": b.pk, "valid_from": today.isoformat()}
    created = api.post(reverse("stand-in-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["b"]["name"] == "乙岗"
    again = api.post(reverse("stand-in-list"), body, format="json")
    assert again.status_code == 400 and "valid_from" in again.json()
    other = APIClient()
    other.force_authenticate(liaison_b)
    assert other.get(reverse("stand-in-list")).json()["results"] == []
    assert other.post(reverse("stand-in-list"), body, format="json").status_code == 404
    assert StandIn.objects.count() == 1
