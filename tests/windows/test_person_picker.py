"""The transfer form's person pickers at province scale: a first page of people, a scoped
search (htmx) for the rest, and validation against everyone the user may choose."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from windows.forms import PICKER_LIMIT
from windows.models import TransferRequest

from ..factories import StaffFactory
from ..queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def options(body: str) -> int:
    return body.count('<option value="') - body.count('<option value=""')


def test_the_form_offers_a_first_page_and_a_search_box(admin_user, dept_a):
    StaffFactory.create_batch(PICKER_LIMIT + 5, department=dept_a)
    body = client_for(admin_user).get(reverse("windows:transfer_create")).content.decode()
    select = body.split('id="id_incoming"', 1)[1].split("</select>", 1)[0]
    assert options(select) == PICKER_LIMIT
    assert 'data-testid="incoming-search"' in body
    assert reverse("windows:transfer_people", args=["incoming"]) in body
    assert "输入姓名或工号" in body or "按姓名或工号搜索" in body


def test_the_form_page_does_not_grow_with_the_staff(admin_user, dept_a):
    url = reverse("windows:transfer_create")
    client = client_for(admin_user)
    assert_constant_queries(
        lambda: client.get(url),
        lambda: StaffFactory.create_batch(PICKER_LIMIT, department=dept_a),
        at_most=12,
    )


def test_search_finds_by_name_and_number_within_scope(liaison_a, admin_user, dept_a, dept_b):
    mine = StaffFactory(department=dept_a, name="甲乙丙", staff_number="P900001")
    theirs = StaffFactory(department=dept_b, name="甲乙丁", staff_number="P900002")
    url = reverse("windows:transfer_people", args=["incoming"])
    found = client_for(liaison_a).get(url, {"q": "甲乙"}).content.decode()
    assert f'value="{mine.pk}"' in found and f'value="{theirs.pk}"' not in found
    by_number = client_for(admin_user).get(url, {"q": "P90000"}).content.decode()
    assert f'value="{mine.pk}"' in by_number and f'value="{theirs.pk}"' in by_number
    assert (
        client_for(admin_user).get(reverse("windows:transfer_people", args=["nobody"])).status_code
        == 404
    )


def test_a_person_beyond_the_first_page_can_be_chosen(liaison_a, dept_a, window_a, today):
    StaffFactory.create_batch(PICKER_LIMIT + 5, department=dept_a, name="阿")
    last = StaffFactory(department=dept_a, name="龥末尾")  # sorts after the first page
    response = client_for(liaison_a).post(
        reverse("windows:transfer_create"),
        {
            "kind": "station",
            "window": window_a.pk,
            "incoming": last.pk,
            "incoming_post": "staff",
            "effective_date": today.isoformat(),
            "reason": "补充人手",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TransferRequest.objects.get().incoming == last
    # and the edit form shows the chosen person although not on the first page
    body = client_for(liaison_a).get(response.headers["Location"] + "edit/").content.decode()
    select = body.split('id="id_incoming"', 1)[1].split("</select>", 1)[0]
    assert f'value="{last.pk}" selected' in select
