"""The liaison home (issue #8 completed): one page with the requests, the windows, the department's
people with this month's score, tenure, training hours and flags, suggested talks, follow-ups,
visits and the monthly report link — in a constant number of queries."""

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AppealStatus
from joint.suggestions import suggestion_rebuild
from tests.conftest import client_for
from tests.queries import assert_constant_queries
from training.models import EnrollmentStatus
from windows import services
from windows.models import Post, TransferKind

from ..assessments import rows
from ..factories import DepartmentFactory, StaffFactory
from ..joint.factories import FollowUpFactory, TalkFactory, VisitFactory
from ..training.factories import EnrollmentFactory, SessionFactory
from ..windows.factories import StationingFactory, WindowFactory

URL = reverse("portal:liaison_home")


def grow(department, liaison, n=3):
    """Every kind of row the page shows, ``n`` more of each."""
    today = timezone.localdate()
    for _ in range(n):
        window = WindowFactory(department=department)
        chief = StaffFactory(department=department)
        StationingFactory(
            staff=chief, window=window, post=Post.CHIEF_REPRESENTATIVE, start_date=date(2024, 1, 1)
        )
        person = StaffFactory(department=department)
        StationingFactory(staff=person, window=window, start_date=today - timedelta(days=400))
        rows.score(person, window, today, "91")
        for days in (1, 2, 3):
            rows.deduction(person, window, today - timedelta(days=days))
        rows.appeal(rows.deduction(chief, window, today), AppealStatus.UPHELD, today)
        EnrollmentFactory(
            session=SessionFactory(starts_at=timezone.now() - timedelta(days=1)),
            staff=person,
            status=EnrollmentStatus.ATTENDED,
            hours_credited=Decimal("3"),
        )
        talk = TalkFactory(staff=chief, author=liaison, date=today - timedelta(days=40))
        FollowUpFactory(talk=talk, due_date=today + timedelta(days=5))
        VisitFactory(department=department, date=today)
        transfer = services.transfer_create(
            actor=liaison,
            kind=TransferKind.WITHDRAW,
            window=window,
            outgoing=person,
            reason="调回",
            early_justification="单位专项工作需要，提前调回本单位任职",
            effective_date=today + timedelta(days=9),
        )
        services.transfer_submit(actor=liaison, transfer=transfer)


def test_one_page_with_everything(liaison_a, dept_a):
    today = timezone.localdate()
    window = WindowFactory(department=dept_a, code="L-01")
    person = StaffFactory(department=dept_a, name="刘窗口")
    StationingFactory(staff=person, window=window, start_date=today - timedelta(days=400))
    rows.score(person, window, today, "88.5")
    for days in (1, 2, 3):
        rows.deduction(person, window, today - timedelta(days=days))
    EnrollmentFactory(
        session=SessionFactory(starts_at=timezone.now() - timedelta(days=1)),
        staff=person,
        status=EnrollmentStatus.ATTENDED,
        hours_credited=Decimal("4.5"),
    )
    talk = TalkFactory(staff=person, author=liaison_a, date=today - timedelta(days=30))
    FollowUpFactory(talk=talk, description="协调调整排班", due_date=today + timedelta(days=3))
    VisitFactory(department=dept_a, date=today, visitors="李主任")
    suggestion_rebuild()  # rows.deduction bypasses the entry service: the daily sweep's rebuild

    client = client_for(liaison_a)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for section in (
        'data-testid="waiting"',
        'data-testid="raised"',
        'data-section="joint-staff"',
        'data-section="joint-suggested"',
        'data-section="joint-follow-ups"',
        'data-section="joint-visits"',
        'data-section="joint-report"',
    ):
        assert section in html, section
    staff = html.split('data-section="joint-staff"')[1].split("</table>")[0]
    row = staff.split("刘窗口")[1].split("</tr>")[0]
    assert "L-01" in row and "88.50" in row and "4.5" in row and ">13<" in row  # tenure
    assert "多次被扣分" in row  # the flag from the repeated-deductions trigger
    assert "多次被扣分" in html.split('data-section="joint-suggested"')[1]
    follow_ups = html.split('data-section="joint-follow-ups"')[1].split("</ul>")[0]
    assert "刘窗口" in follow_ups and "王科长" in follow_ups  # the owner; wording stays private
    assert "李主任" in html.split('data-section="joint-visits"')[1]
    assert f"{reverse('joint:report')}?department={dept_a.pk}" in html


def test_department_choice_is_scoped(liaison_a, dept_a, dept_b):
    other = DepartmentFactory()
    liaison_a.departments.add(other)
    client = client_for(liaison_a)
    page = client.get(URL, {"department": other.pk})
    assert page.status_code == 200 and page.context["department"] == other
    assert client.get(URL, {"department": dept_b.pk}).status_code == 404  # not theirs
    assert client.get(URL, {"department": "x"}).status_code == 404


@pytest.mark.parametrize("n", [3])
def test_constant_queries(liaison_a, dept_a, n):
    client = client_for(liaison_a)
    grow(dept_a, liaison_a, n)
    assert_constant_queries(
        lambda: client.get(URL), lambda: grow(dept_a, liaison_a, n), at_most=20
    )  # the budget for a home page (20), on the cold path (nothing is cached), the
    # monthly report's workload figures (issue #18) inside the one query of the report figures


def test_fast_with_a_large_department(liaison_a, dept_a):
    """300 people: the page is paginated and every section is bounded, so it stays well under a
    second even on SQLite on a shared machine."""
    today = timezone.localdate()
    window = WindowFactory(department=dept_a)
    people = StaffFactory.create_batch(300, department=dept_a)
    for person in people:
        StationingFactory(staff=person, window=window, start_date=today - timedelta(days=500))
    client = client_for(liaison_a)
    client.get(URL)
    started = time.perf_counter()
    response = client.get(URL)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 1.5, elapsed


def test_windows_card_shows_a_write_at_once(liaison_a, dept_a, dept_b):
    """The windows-and-staff card is drawn on every request from the windows' rows: a new
    stationing and a renamed window show at once, another department's window never."""
    window = WindowFactory(department=dept_a, code="W-A1")
    client = client_for(liaison_a)
    assert "W-A1" in client.get(URL).content.decode()
    person = StaffFactory(department=dept_a, name="新来的")
    StationingFactory(staff=person, window=window, start_date=timezone.localdate())
    assert "新来的" in client.get(URL).content.decode()
    window.code = "W-A2"
    window.save()
    html = client.get(URL).content.decode()
    assert "W-A2" in html and "W-A1" not in html
    WindowFactory(department=dept_b, code="W-B1")
    assert "W-B1" not in client.get(URL).content.decode()  # not theirs


def _decisions(department, admin, n=3):
    """``n`` more bad-rating cases of the department's windows (one overdue) and recommendations
    addressed to it, for the card of what waits for the department's decision (issue #16)."""
    from assessments.services.ratings import rating_record
    from promotions import services as promotions

    served = timezone.now() - timedelta(days=61)  # its case's deadline has passed: overdue
    for _ in range(n):
        window = WindowFactory(department=department)
        person = StaffFactory(department=department)
        StationingFactory(staff=person, window=window, start_date=date(2024, 1, 1))
        rating_record(
            actor=admin,
            event_ref=f"EV-H{window.pk}",
            window=window,
            staff=person,
            level="2",
            served_at=served,
            received_at=served + timedelta(minutes=5),
        )
        for addressed_to in ("home", "organization"):
            rec = promotions.recommendation_create(
                actor=admin, staff=person, kind="title", addressed_to=addressed_to, rationale="优"
            )
            promotions.recommendation_submit(actor=admin, recommendation=rec)


def test_what_waits_for_the_department_in_the_same_budget(liaison_a, dept_a, dept_b, admin_user):
    client = client_for(liaison_a)
    _decisions(dept_a, admin_user, 2)
    _decisions(dept_b, admin_user, 1)  # not theirs
    page = client.get(URL)
    card = page.content.decode().split('data-testid="home-decisions"')[1].split("</ul>")[0]
    assert "2 件差评整改未办结" in card and "2 件逾期" in card and "2 条推荐待答复" in card
    assert reverse("assessments:rectification_list") + "?status=open" in card
    assert reverse("promotions:recommendation_list") + "?awaiting=home" in card

    def grow():
        globals()["grow"](dept_a, liaison_a, 2)
        _decisions(dept_a, admin_user, 2)

    grow()
    assert_constant_queries(lambda: client.get(URL), grow, at_most=20)  # the budget, unchanged
