"""Deriving a month at scale: each day's signature lets a rerun skip unchanged days without
loading them, a month's punch list costs no more per day than a day's, and forked processes
derive the same rows as one process (PostgreSQL: the children see only committed rows)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from attendance.models import AttendanceDay
from attendance.services import days as days_service
from attendance.services.days import days_derive

from .conftest import at
from .helpers import FULL, punch

MONDAY = date(2026, 11, 2)
FRIDAY = MONDAY + timedelta(days=4)
NOW = at(date(2026, 11, 30), "20:00")
COMPARED = (
    "staff_id",
    "date",
    "status",
    "late",
    "late_minutes",
    "left_early",
    "missing",
    "absent_halves",
    "checks",
    "signature",
)


def rows():
    return sorted(AttendanceDay.objects.values_list(*COMPARED))


def week(center):
    for offset in range(5):
        day = MONDAY + timedelta(days=offset)
        punch(center["me"], day, *FULL)
        punch(center["person_a"], day, "09:12", "12:00", "13:30", "17:00")
        punch(center["person_b"], day, "08:50", "12:00", "13:25")


@pytest.mark.django_db
def test_a_week_then_a_rerun_that_writes_nothing(center):
    week(center)
    first = days_derive(start=MONDAY, end=FRIDAY, now=NOW)
    assert first.created == 20 and first.updated == 0  # four people, five days
    assert AttendanceDay.objects.filter(signature=0).count() == 0
    again = days_derive(start=MONDAY, end=FRIDAY, now=NOW)
    assert again.written == 0 and again.unchanged == 20
    # a forgotten punch found later changes exactly that day
    punch(center["person_b"], MONDAY + timedelta(days=2), "17:35")
    third = days_derive(start=MONDAY, end=FRIDAY, now=NOW)
    assert (third.created, third.updated, third.deleted) == (0, 1, 0)
    day = AttendanceDay.objects.get(staff=center["person_b"], date=MONDAY + timedelta(days=2))
    assert day.status == "on_time"


@pytest.mark.django_db
def test_a_row_without_signature_is_rewritten_once(center):
    week(center)
    days_derive(start=MONDAY, end=FRIDAY, now=NOW)
    AttendanceDay.objects.filter(staff=center["me"]).update(signature=0)  # written before 0003
    assert days_derive(start=MONDAY, end=FRIDAY, now=NOW).updated == 5
    assert days_derive(start=MONDAY, end=FRIDAY, now=NOW).written == 0


@pytest.mark.django_db
def test_the_signature_follows_every_derived_field():
    fields = {
        "department_id": 1,
        "window_id": 2,
        "status": "on_time",
        "late": 0,
        "late_minutes": 0,
        "left_early": 0,
        "missing": 0,
        "absent_halves": 0,
        "step_out_overdue": 0,
        "checks": [{"code": "am_in", "punch": "08:50"}],
    }
    base = days_service.signature(fields)
    assert base == days_service.signature(dict(fields))
    for name, other in (("window_id", 3), ("late", 1), ("checks", [{"code": "am_in"}])):
        assert days_service.signature({**fields, name: other}) != base


@pytest.mark.django_db(transaction=True)
def test_forked_processes_derive_what_one_process_does(center, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the forked children need a database they can share (PostgreSQL)")
    week(center)
    monkeypatch.setattr(days_service, "CHUNK", 1)  # four people: four chunks, two processes
    serial = days_derive(start=MONDAY, end=FRIDAY, now=NOW)
    expected = rows()
    AttendanceDay.objects.all().delete()
    parallel = days_derive(start=MONDAY, end=FRIDAY, now=NOW, processes=2)
    assert (parallel.created, parallel.updated) == (serial.created, 0)
    assert rows() == expected
    assert days_derive(start=MONDAY, end=FRIDAY, now=NOW, processes=2).written == 0


@pytest.mark.django_db
def test_the_command_derives_a_month(center):
    week(center)
    out = StringIO()
    call_command("derive_attendance", "--month", "2026-11", "--processes", "1", stdout=out)
    total = AttendanceDay.objects.count()  # every working day of November, four people
    assert total == 4 * 21 and f"{total} created" in out.getvalue()
    assert AttendanceDay.objects.filter(date__range=(MONDAY, FRIDAY), status="on_time").count() == 5


@pytest.mark.django_db
def test_the_day_page_queues_a_span_too_large_for_the_request(center, admin_user, client, settings):
    from unittest import mock

    week(center)
    client.force_login(admin_user)
    answer = client.post("/attendance/derive/", {"start": "2026-11-02", "end": "2026-11-06"})
    assert answer.status_code == 302 and AttendanceDay.objects.count() == 20  # inline
    AttendanceDay.objects.all().delete()
    settings.CENTER = {
        **settings.CENTER,
        "ATTENDANCE": {**settings.CENTER["ATTENDANCE"], "DERIVE_INLINE_MAX": 10},
    }
    with mock.patch("core.jobs.send", return_value=True) as send:
        answer = client.post(
            "/attendance/derive/", {"start": "2026-11-02", "end": "2026-11-06"}, follow=True
        )
    send.assert_called_once_with("attendance.derive_span", "2026-11-02", "2026-11-06")
    assert AttendanceDay.objects.count() == 0  # a worker derives it
    assert "分钟" in answer.content.decode()
    from attendance.tasks import derive_span

    assert derive_span("2026-11-02", "2026-11-06")["created"] == 20
