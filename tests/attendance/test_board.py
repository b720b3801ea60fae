"""The on-duty board and the hall screen: who is at which window now, from punches, leave,
stepping out and A/B pairs; a window with nobody at it first; the hall screen behind a
revocable token; constant queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from attendance import board
from attendance.models import LeaveRequest, LeaveStatus, StepOut
from core.system_clients import client_create, client_revoke
from tests.conftest import client_for
from tests.queries import assert_constant_queries
from windows.models import StandIn

from .conftest import at
from .helpers import punch

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def rows_by_code(result):
    return {row.window.code: row for row in result["rows"]}


def states(row):
    return {seat.person.name: seat.state for seat in row.seats}


def test_states_of_the_people_and_of_the_windows(center, admin_user):
    punch(center["me"], MONDAY, "08:55")  # in
    punch(center["person_a"], MONDAY, "08:50", "12:01")  # out for lunch
    StepOut.objects.create(
        staff=center["chief"], out_at=at(MONDAY, "11:50"), reason="送材料", destination="三楼"
    )
    now = at(MONDAY, "12:40")
    result = board.board(admin_user, now=now)
    a, b = rows_by_code(result)["A01"], rows_by_code(result)["B01"]
    assert states(a) == {
        "首席代表": "out",
        center["me"].name: "present",
        center["person_a"].name: "gone",
    }
    assert next(s for s in a.seats if s.state == "out").overdue  # 50 minutes away
    assert a.status == "staffed"
    assert b.status == "empty" and states(b) == {center["person_b"].name: "not_in"}
    assert [row.window.code for row in result["rows"]] == ["B01", "A01"]  # the empty one first
    assert result["counts"]["empty"] == 1 and result["counts"]["staffed"] == 1


def test_leave_and_a_stand_in_cover_the_window(center, admin_user):
    person_b = center["person_b"]
    LeaveRequest.objects.create(
        staff=person_b,
        category="personal",
        start_date=MONDAY,
        end_date=MONDAY,
        days=Decimal(1),
        reason="家中有事",
        status=LeaveStatus.APPROVED,
    )
    StandIn.objects.create(
        window=center["window_b"],
        a=person_b,
        b=center["person_a"],
        valid_from=MONDAY - timedelta(days=30),
        exception_note="甲部门人员跨部门顶岗，中心同意",
    )
    punch(center["person_a"], MONDAY, "08:50")
    row = rows_by_code(board.board(admin_user, now=at(MONDAY, "10:00")))["B01"]
    assert states(row) == {person_b.name: "on_leave"}
    assert row.status == "covered" and row.cover == center["person_a"]


def test_a_non_working_day_is_not_open(center, admin_user):
    sunday = date(2026, 11, 8)
    result = board.board(admin_user, now=at(sunday, "10:00"))
    assert {row.status for row in result["rows"]} == {"closed"}


def test_the_liaison_sees_their_windows_and_the_page_redraws_itself(center, liaison_a):
    client = client_for(liaison_a)
    page = client.get(reverse("attendance:board"))
    assert page.status_code == 200
    assert [row.window.code for row in page.context["rows"]] == ["A01"]
    html = page.content.decode()
    assert 'hx-trigger="every 30s"' in html and "B01" not in html
    part = client.get(reverse("attendance:board"), HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and "<html" not in part.content.decode()


def test_the_board_costs_the_same_for_more_windows(center, admin_user, dept_a):
    from tests.assessments.factories import StationingFactory, WindowFactory
    from tests.factories import StaffFactory

    client = client_for(admin_user)
    url = reverse("attendance:board")

    def grow():
        for _ in range(3):
            window = WindowFactory(department=dept_a)
            for person in StaffFactory.create_batch(2, department=dept_a):
                StationingFactory(staff=person, window=window, start_date=date(2024, 1, 1))
                punch(person, date.today(), "08:50")

    assert_constant_queries(lambda: client.get(url), grow, at_most=16)


def test_the_hall_screen_needs_its_token_and_stops_when_revoked(center, admin_user, client):
    screen, token = client_create(
        actor=admin_user, name="大厅一楼屏", kind="screen", scopes=["hall.screen"]
    )
    url = reverse("hall_screen", args=[token])
    page = client.get(url)  # no login
    assert page.status_code == 200
    html = page.content.decode()
    assert "A01" in html and "B01" in html and 'hx-trigger="every 30s"' in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    terminal, other = client_create(
        actor=admin_user, name="考勤机1", kind="terminal", scopes=["attendance.punch"]
    )
    assert client.get(reverse("hall_screen", args=[other])).status_code == 404  # not its scope
    assert client.get(reverse("hall_screen", args=["sc_wrong"])).status_code == 404
    client_revoke(actor=admin_user, client=screen)
    assert client.get(url).status_code == 404


def test_counts_of_a_paged_board_say_they_are_the_pages(center, admin_user, monkeypatch):
    monkeypatch.setattr(board, "PAGE_SIZE", 1)
    html = client_for(admin_user).get(reverse("attendance:board")).content.decode()
    assert 'data-testid="board-counts-scope"' in html and "第 1/2 页" in html
