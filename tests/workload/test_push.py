"""The queue system's push: per-row results, a repeat replaces the count (same count →
duplicate), the monthly rows move with it, only a ``workload.push`` client may call."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import system_clients
from workload.models import StaffWorkloadMonth, WindowWorkloadMonth, WorkloadRecord
from workload.services.aggregates import computed_rows, kept_rows

pytestmark = pytest.mark.django_db
URL = "/api/v1/feeds/workload/"


def push(raw, records):
    return APIClient().post(
        URL, {"records": records}, format="json", HTTP_AUTHORIZATION=f"Client {raw}"
    )


def row(person, window, day, kind="办件", count=10, item=""):
    return {
        "staff_number": person.staff_number,
        "window": window.code,
        "service_item": item,
        "date": day.isoformat(),
        "kind": kind,
        "count": count,
    }


def test_repeat_is_duplicate_and_changed_repeat_updates(hall, queue, today):
    client, raw = queue
    me, a01 = hall["me"], hall["a01"]
    rows = [
        row(me, a01, today, "办件", 10),
        row(me, a01, today, "tickets", 12),
        row(me, a01, today, "办件", 4, item="ITEM-A"),
    ]
    first = push(raw, rows)
    assert first.status_code == 200, first.content
    assert first.json()["counts"] == {"created": 3, "updated": 0, "duplicate": 0, "error": 0}
    again = push(raw, rows)
    assert again.json()["counts"] == {"created": 0, "updated": 0, "duplicate": 3, "error": 0}
    assert WorkloadRecord.objects.count() == 3
    changed = push(raw, [row(me, a01, today, "办件", 7)])
    assert [r["result"] for r in changed.json()["results"]] == ["updated"]
    assert WorkloadRecord.objects.count() == 3
    month = StaffWorkloadMonth.objects.get(staff=me)
    assert (month.cases, month.tickets, month.points) == (11, 12, Decimal("23"))
    window = WindowWorkloadMonth.objects.get(window=a01)
    assert (window.cases, window.tickets) == (11, 12)
    assert kept_rows() == computed_rows()
    record = WorkloadRecord.objects.get(kind="cases", service_item=None)
    assert record.count == 7 and record.client == client
    entry = LogEntry.objects.filter(object_repr__contains="×1").latest("timestamp")
    assert entry.additional_data["system_client"] == client.audit_label


def test_validation_errors_per_row(hall, queue, today):
    _client, raw = queue
    me, a01, b01 = hall["me"], hall["a01"], hall["b01"]
    rows = [
        row(me, b01, today),  # not stationed there
        row(me, a01, today, item="ITEM-B"),  # item not handled at A01
        row(me, a01, today + timedelta(days=1)),  # future
        row(me, a01, today - timedelta(days=400)),  # too old
        row(me, a01, today, kind="午餐"),
        row(me, a01, today, count=-1),
        {**row(me, a01, today), "staff_number": "NOBODY"},
        {**row(me, a01, today), "window": "Z99"},
        row(me, a01, today, count=3),
        row(me, a01, today, count=4),  # same key, other count, same batch
    ]
    answer = push(raw, rows).json()
    results = answer["results"]
    assert [r["result"] for r in results] == ["error"] * 8 + ["created", "error"]
    assert results[0]["errors"] == ["该人员当天不在此窗口。"]
    assert all(r["errors"] for r in results[:8])
    assert WorkloadRecord.objects.count() == 1
    assert kept_rows() == computed_rows()


def test_moving_a_record_to_another_window_moves_the_window_month(hall, queue, today, admin_user):
    from windows.models import Stationing

    _client, raw = queue
    me, a01, a02 = hall["me"], hall["a01"], hall["a02"]
    push(raw, [row(me, a01, today, count=5)])
    Stationing.objects.filter(staff=me).update(window=a02)
    assert push(raw, [row(me, a02, today, count=5)]).json()["counts"]["updated"] == 1
    assert WindowWorkloadMonth.objects.get(window=a01).cases == 0
    assert WindowWorkloadMonth.objects.get(window=a02).cases == 5
    assert kept_rows() == computed_rows()


def test_scope_of_the_client(hall, queue, admin_user, staff_user, today):
    body = {"records": [row(hall["me"], hall["a01"], today)]}
    _r, rating_raw = system_clients.client_create(
        actor=admin_user, name="好差评平台", kind="rating", scopes=["ratings.push"]
    )
    assert push(rating_raw, body["records"]).status_code == 403
    token = Token.objects.create(user=staff_user)
    person = APIClient().post(URL, body, format="json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert person.status_code == 403
    admin = APIClient()
    admin.force_login(admin_user)
    assert admin.post(URL, body, format="json").status_code == 403
    none = APIClient().post(URL, body, format="json")
    assert none.status_code == 401
    client, raw = queue
    system_clients.client_revoke(actor=admin_user, client=client)
    assert push(raw, body["records"]).status_code == 401
    assert WorkloadRecord.objects.count() == 0


def test_a_batch_over_the_limit_is_refused_whole(hall, queue, today, settings):
    settings.CENTER = {
        **settings.CENTER,
        "WORKLOAD": {**settings.CENTER["WORKLOAD"], "PUSH_BATCH_MAX": 1},
    }
    _client, raw = queue
    rows = [row(hall["me"], hall["a01"], today), row(hall["person_a"], hall["a01"], today)]
    answer = push(raw, rows)
    assert answer.status_code == 400
    assert WorkloadRecord.objects.count() == 0
