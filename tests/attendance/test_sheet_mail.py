"""The month's attendance sheet goes to the home department: from SHEET_SEND_DAY, once per
department and month, to its liaisons, in Chinese, with the sheet attached (what the page's
download holds), and no attachment for a liaison who has since moved to another department."""

from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from openpyxl import load_workbook

from attendance.models import AttendanceDay
from notifications import registry, relay, services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def run(today):
    return services.sweep_run(sweep=registry.get_sweep("attendance.monthly_sheet"), today=today)


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda: None)


@pytest.fixture
def february(center, liaison_a, liaison_b, no_broker):
    def day(person, when, status, **counts):
        AttendanceDay.objects.create(
            staff=person,
            date=when,
            department=person.department,
            window=center["window_a"],
            status=status,
            **counts,
        )

    day(center["me"], date(2026, 2, 2), "late", late=1)
    day(center["me"], date(2026, 2, 3), "on_leave")
    day(center["person_a"], date(2026, 2, 2), "missing_punch", missing=1)
    day(center["person_a"], date(2026, 2, 3), "on_time")
    liaison_a.email = "liaison@zwfw.example.cn"
    liaison_a.save()
    return center


def test_sent_from_the_send_day_once_per_department(february, liaison_a, liaison_b):
    run(date(2026, 3, 4))
    assert Notification.objects.count() == 0
    run(date(2026, 3, 5))
    run(date(2026, 3, 6))  # a rerun, or a later day of the month, sends nothing twice
    notices = list(Notification.objects.all())
    assert [(n.recipient_id, n.kind, n.period) for n in notices] == [
        (liaison_a.pk, "attendance.monthly_sheet", "sheet-2026-02")
    ]  # department B had no attendance days: nothing for its liaison
    notice = notices[0]
    assert "2026年2月" in notice.title and february["me"].department.name in notice.title
    assert "2人" in notice.body and "迟到1次" in notice.body and "缺卡1次" in notice.body
    assert notice.link.endswith(f"department={february['me'].department.code}&month=2026-02")


def test_the_mail_carries_the_sheet(february, liaison_a, client):
    run(date(2026, 3, 5))
    relay.deliver_pending()
    message = next(m for m in mail.outbox if m.to == ["liaison@zwfw.example.cn"])
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith("2026-02.xlsx") and "spreadsheetml" in mimetype
    rows = list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("工号", "姓名")
    names = {row[1] for row in rows[1:]}
    assert names == {february["me"].name, february["person_a"].name}
    client.force_login(liaison_a)
    page = client.get(
        "/attendance/sheet/xlsx/",
        {"department": february["me"].department.code, "month": "2026-02"},
    )
    assert page.status_code == 200
    downloaded = load_workbook(BytesIO(page.content)).worksheets[0].iter_rows(values_only=True)
    assert list(downloaded) == rows  # the page's download holds what the mail carries


def test_no_attachment_once_the_liaison_moved(february, liaison_a, dept_b):
    run(date(2026, 3, 5))
    liaison_a.departments.set([dept_b])
    relay.deliver_pending()
    message = next(m for m in mail.outbox if m.to == ["liaison@zwfw.example.cn"])
    assert message.attachments == []
