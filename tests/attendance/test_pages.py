"""The pages: contents, scope (a liaison sees only their departments), query counts constant in
the number of rows, the two-step import, the monthly sheet on screen and in xlsx."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import AttendanceDay, Punch, StepOut
from attendance.services.days import days_derive
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.queries import assert_constant_queries

from ..assessments.factories import StationingFactory
from .conftest import at
from .helpers import FULL, punch

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)
NOW = at(date(2026, 11, 30), "20:00")


@pytest.fixture
def derived(center):
    punch(center["me"], MONDAY, *FULL)
    punch(center["person_a"], MONDAY, "09:30", "12:00", "13:30", "17:30")
    punch(center["person_b"], MONDAY, *FULL)
    days_derive(start=MONDAY, end=MONDAY, now=NOW)
    return center


def test_day_view_is_scoped_for_the_liaison(derived, liaison_a, admin_user):
    url = reverse("attendance:day") + "?date=2026-11-02"
    mine = client_for(liaison_a).get(url).content.decode()
    assert derived["person_a"].name in mine and derived["person_b"].name not in mine
    everyone = client_for(admin_user).get(url).content.decode()
    assert derived["person_b"].name in everyone
    late = client_for(admin_user).get(url + "&status=late").content.decode()
    assert derived["person_a"].name in late and derived["person_b"].name not in late


def test_day_view_queries_do_not_grow_with_the_rows(derived, admin_user):
    client = client_for(admin_user)
    url = reverse("attendance:day") + "?date=2026-11-02"

    def grow():
        for _ in range(4):
            person = StaffFactory(department=derived["me"].department)
            StationingFactory(staff=person, window=derived["window_a"], start_date=date(2024, 1, 1))
        days_derive(start=MONDAY, end=MONDAY, now=NOW)

    assert_constant_queries(lambda: client.get(url), grow, at_most=15)


def test_leave_list_queries_do_not_grow(center, admin_user):
    from attendance.services.leave import leave_request

    client = client_for(admin_user)
    start = date.today() + timedelta(days=30)

    def ask(offset):
        leave_request(
            actor=center["me"].user,
            staff=center["me"],
            category="annual",
            start_date=start + timedelta(days=offset),
            end_date=start + timedelta(days=offset),
            reason="休假",
            stand_in=center["person_a"],
        )

    ask(0)
    assert_constant_queries(
        lambda: client.get(reverse("attendance:leave_list")),
        lambda: [ask(i) for i in (7, 14, 21)],
        at_most=15,
    )


def test_my_month_on_a_phone_shows_status_and_my_requests(derived, staff_user):
    response = client_for(staff_user).get(reverse("attendance:me") + "?month=2026-11")
    html = response.content.decode()
    assert response.status_code == 200
    assert "我的考勤" in html and "登记外出" in html and "申请请假" in html
    assert 'data-testid="month-totals"' in html and "正常" in html


def test_register_stepping_out_and_back_from_my_page(center, staff_user):
    client = client_for(staff_user)
    response = client.post(
        reverse("attendance:step_outs"), {"reason": "送件", "destination": "档案馆"}
    )
    assert response.status_code == 302
    item = StepOut.objects.get(staff=center["me"])
    assert "档案馆" in client.get(reverse("attendance:me")).content.decode()
    client.post(reverse("attendance:step_out_back", args=[item.pk]))
    item.refresh_from_db()
    assert item.back_at is not None


def test_overdue_is_shown_on_the_list(center, admin_user):
    from django.utils import timezone

    StepOut.objects.create(
        staff=center["me"],
        out_at=timezone.now() - timedelta(minutes=45),
        reason="取件",
        destination="邮局",
    )
    html = client_for(admin_user).get(reverse("attendance:step_outs")).content.decode()
    assert 'data-testid="overdue"' in html


def test_leave_by_the_browser_chief_approves(center, staff_user):
    client = client_for(staff_user)
    day = date.today() + timedelta(days=14)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    response = client.post(
        reverse("attendance:leave_create"),
        {
            "category": "personal",
            "start_date": day.isoformat(),
            "start_half": "am",
            "end_date": day.isoformat(),
            "end_half": "pm",
            "reason": "家中有事",
            "stand_in": center["person_a"].staff_number,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    leave = center["me"].leave_requests.get()
    chief = client_for(center["chief_user"])
    detail = chief.get(reverse("attendance:leave_detail", args=[leave.pk]))
    assert detail.status_code == 200 and 'data-testid="approve"' in detail.content.decode()
    chief.post(reverse("attendance:leave_action", args=[leave.pk, "decide"]), {"approve": "1"})
    leave.refresh_from_db()
    assert leave.status == "approved"


def test_leave_form_errors_are_translated(center, staff_user):
    response = client_for(staff_user).post(
        reverse("attendance:leave_create"),
        {
            "category": "personal",
            "start_date": "2026-11-03",
            "start_half": "am",
            "end_date": "2026-11-02",
            "end_half": "pm",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "请假结束时间早于开始时间" in response.content.decode()


def test_import_preview_then_confirm(center, admin_user):
    from django.utils import timezone

    client = client_for(admin_user)
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    content = f"工号,打卡时间,设备,记录号\n{center['me'].staff_number},{when},东门,55\n".encode()
    upload = io.BytesIO(content)
    upload.name = "punches.csv"
    preview = client.post(reverse("attendance:import"), {"file": upload})
    assert preview.status_code == 200 and Punch.objects.count() == 0
    token = preview.context["token"]
    done = client.post(reverse("attendance:import"), {"token": token})
    assert done.status_code == 302 and Punch.objects.count() == 1


def test_sheet_on_screen_and_in_xlsx(derived, liaison_a):
    client = client_for(liaison_a)
    query = "?department=A&month=2026-11"
    html = client.get(reverse("attendance:sheet") + query).content.decode()
    assert derived["person_a"].name in html and "迟" in html
    response = client.get(reverse("attendance:sheet_xlsx") + query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "1")
    names = {row[1]: row for row in rows[1:]}
    assert names[derived["person_a"].name][2 + 1] == "迟"  # 2 November
    assert AttendanceDay.objects.filter(department=derived["me"].department).count() == 3
