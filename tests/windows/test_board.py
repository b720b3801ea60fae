"""The window board at province scale: filters, scope, and cached rows that follow every write."""

from datetime import timedelta

import pytest
from django.urls import reverse

from staff.models import Staff
from tests.conftest import client_for
from windows import services
from windows.models import Post, Stationing, TransferKind

from ..factories import StaffFactory
from .factories import StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [row["code"] for row in response.context["rows"]]


def test_board_filters_by_department_code_or_name_and_activity(
    admin_user, dept_a, dept_b, window_a, window_a2, window_b
):
    WindowFactory(department=dept_a, code="A-99", name="旧窗口", active=False)
    client = client_for(admin_user)
    board = reverse("windows:board")
    assert codes(client.get(board)) == ["A-01", "A-02", "B-01"]
    assert codes(client.get(board, {"department": dept_b.pk})) == ["B-01"]
    assert codes(client.get(board, {"q": "a-0"})) == ["A-01", "A-02"]
    assert codes(client.get(board, {"q": window_b.name})) == ["B-01"]
    assert codes(client.get(board, {"all": "1", "department": dept_a.pk})) == [
        "A-01",
        "A-02",
        "A-99",
    ]
    response = client.get(board, {"department": "x", "q": "无此窗口"})
    assert response.status_code == 200 and codes(response) == []
    assert [pk for pk, _ in response.context["departments"]] == [dept_a.pk, dept_b.pk]


def test_liaison_board_stays_in_their_departments(liaison_a, dept_b, window_a, window_b):
    client = client_for(liaison_a)
    response = client.get(reverse("windows:board"))
    assert codes(response) == ["A-01"]
    assert [pk for pk, _ in response.context["departments"]] == [window_a.department_id]
    assert codes(client.get(reverse("windows:board"), {"department": dept_b.pk})) == []


def test_board_pages_fifty_windows(admin_user, dept_a):
    for n in range(51):
        WindowFactory(department=dept_a, code=f"P-{n:02d}")
    client = client_for(admin_user)
    first = client.get(reverse("windows:board"))
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 51
    assert codes(client.get(reverse("windows:board"), {"page": 2})) == ["P-50"]


def test_board_shows_chief_people_tenure_and_empty_windows(
    admin_user, window_a, window_a2, veteran_a, newcomer_a, chief_stationing
):
    Stationing.objects.filter(pk=chief_stationing.pk).update(post=Post.CHIEF_REPRESENTATIVE)
    response = client_for(admin_user).get(reverse("windows:board"))
    row, empty = response.context["rows"]
    assert [p["name"] for p in row["chiefs"]] == ["首席"]
    assert {p["name"]: p["reached"] for p in row["others"]} == {"老员工": True, "新员工": False}
    assert row["headcount"] == 3 and "12个月" in row["chiefs"][0]["months_label"]
    assert empty["chiefs"] == empty["others"] == [] and "无人派驻" in response.content.decode()


def test_board_rows_follow_every_write(admin_user, liaison_a, dept_a, window_a, veteran_a, today):
    """The rows are cached: a new person, a rename, a request, an end all show at once."""
    client = client_for(admin_user)

    def row():
        return client.get(reverse("windows:board")).context["rows"][0]

    assert [p["name"] for p in row()["others"]] == ["老员工"] and row()["open_requests"] == 0
    newcomer = StaffFactory(department=dept_a, name="新来的")
    StationingFactory(staff=newcomer, window=window_a, start_date=today - timedelta(days=40))
    assert [p["name"] for p in row()["others"]] == ["老员工", "新来的"]
    person = Staff.objects.get(pk=newcomer.pk)
    person.name = "改了名"
    person.save()
    assert "改了名" in [p["name"] for p in row()["others"]]
    transfer = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="调回",
        effective_date=today + timedelta(days=9),
    )
    assert row()["open_requests"] == 1
    services.transfer_withdraw(actor=liaison_a, transfer=transfer)
    assert row()["open_requests"] == 0
    stationing = Stationing.objects.get(staff=newcomer, end_date__isnull=True)
    stationing.end_date = today
    stationing.save()
    assert [p["name"] for p in row()["others"]] == ["老员工"]


def test_board_english_labels(admin_user, window_a, veteran_a):
    client = client_for(admin_user)
    assert "个月" in client.get(reverse("windows:board")).content.decode()  # cached in Chinese
    client.cookies["django_language"] = "en"
    body = client.get(reverse("windows:board")).content.decode()
    assert "个月" not in body and (">36 mo.<" in body or ">35 mo.<" in body)


def test_api_window_list_is_cached_per_scope_and_follows_writes(
    admin_user, liaison_a, dept_a, window_a, window_b, veteran_a, today
):
    from rest_framework.test import APIClient

    def listed(user, **params):
        client = APIClient()
        client.force_authenticate(user)
        response = client.get(reverse("window-list"), params)
        assert response.status_code == 200
        return {w["code"]: w for w in response.json()["results"]}

    assert set(listed(admin_user)) == {"A-01", "B-01"}
    assert set(listed(liaison_a)) == {"A-01"}  # the admin's cached page is not the liaison's
    assert set(listed(admin_user, department=window_b.department_id)) == {"B-01"}
    newcomer = StaffFactory(department=dept_a, name="新来的")
    StationingFactory(staff=newcomer, window=window_a, start_date=today - timedelta(days=40))
    services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="调回",
        effective_date=today + timedelta(days=9),
    )
    for user in (admin_user, liaison_a):
        window = listed(user)["A-01"]
        assert {p["staff"]["name"] for p in window["current"]} == {"老员工", "新来的"}
        assert window["open_requests"] == 1


def test_board_cells_are_the_markup_the_template_had_escaped():
    """The people cells are written by ``window_board`` tags (speed): names escaped, the B-post
    badge, tenure reached in green, nobody stationed only without a chief either."""
    from django.template import Context, Template
    from django.utils import translation

    cells = Template(
        "{% load window_board %}{% board_chiefs chiefs %}|{% board_others others chiefs %}"
    )
    people = [
        {"name": "<b>甲</b>", "post": "backup", "months_label": "3个月", "reached": False},
        {"name": "乙", "post": "staff", "months_label": "30个月", "reached": True},
    ]
    chief = [{"name": "丙", "post": "chief", "months_label": "40个月", "reached": True}]
    with translation.override("zh-hans"):
        html = cells.render(Context({"chiefs": chief, "others": people}))
        empty = cells.render(Context({"chiefs": [], "others": []}))
        chief_only = cells.render(Context({"chiefs": chief, "others": []}))
    assert html.startswith('丙 <span class="small text-muted">40个月</span> |')
    assert '&lt;b&gt;甲&lt;/b&gt; <span class="badge text-bg-light">B岗</span>' in html
    assert '<span class="small text-muted">3个月</span>' in html
    assert '乙 <span class="small text-success">30个月</span>' in html
    assert empty == '|<span class="text-danger small">无人派驻</span>'
    assert chief_only.endswith("|")
