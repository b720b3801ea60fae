"""The terminals' push API: per-row results, idempotent on the device's record id, bounded
batches, attributed to the client."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import Punch
from core import system_clients

pytestmark = pytest.mark.django_db


@pytest.fixture
def terminal(admin_user):
    return system_clients.client_create(
        actor=admin_user, name="一楼考勤机", kind="terminal", scopes=["attendance.punch"]
    )


def push(raw, punches):
    return APIClient().post(
        "/api/v1/punches/",
        {"punches": punches},
        format="json",
        HTTP_AUTHORIZATION=f"Client {raw}",
    )


def test_push_is_idempotent_and_answers_per_row(center, terminal):
    client, raw = terminal
    me = center["me"]
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    rows = [
        {"staff_number": me.staff_number, "at": when, "record_id": "1001", "method": "人脸"},
        {"staff_number": "NOBODY", "at": when, "record_id": "1002"},
        {"staff_number": me.staff_number, "at": "yesterday", "record_id": "1003"},
        {"staff_number": me.staff_number, "at": when, "record_id": "1001"},  # repeated in batch
    ]
    first = push(raw, rows)
    assert first.status_code == 200
    assert [r["result"] for r in first.json()["results"]] == [
        "created",
        "error",
        "error",
        "duplicate",
    ]
    assert first.json()["results"][1]["errors"] == ["未知的工号。"]
    assert Punch.objects.count() == 1
    punch = Punch.objects.get()
    assert (
        punch.client == client and punch.method == "face" and punch.source == f"client:{client.pk}"
    )
    again = push(raw, rows[:1])
    assert again.json()["counts"] == {"created": 0, "duplicate": 1, "error": 0}
    assert Punch.objects.count() == 1
    entry = LogEntry.objects.filter(object_repr__contains="×1").latest("timestamp")
    assert entry.additional_data["system_client"] == client.audit_label


def test_another_client_may_reuse_a_record_id(center, terminal, admin_user):
    _c, raw = terminal
    _c2, raw2 = system_clients.client_create(
        actor=admin_user, name="二楼考勤机", kind="terminal", scopes=["attendance.punch"]
    )
    when = (timezone.localtime() - timedelta(hours=1)).isoformat()
    row = {"staff_number": center["me"].staff_number, "at": when, "record_id": "7"}
    assert push(raw, [row]).json()["counts"]["created"] == 1
    assert push(raw2, [row]).json()["counts"]["created"] == 1
    assert Punch.objects.count() == 2


def test_a_batch_over_the_limit_is_refused_whole(center, terminal, settings):
    settings.CENTER = {
        **settings.CENTER,
        "ATTENDANCE": {**settings.CENTER["ATTENDANCE"], "PUSH_BATCH_MAX": 2},
    }
    _c, raw = terminal
    when = (timezone.localtime() - timedelta(hours=1)).isoformat()
    rows = [
        {"staff_number": center["me"].staff_number, "at": when, "record_id": str(i)}
        for i in range(3)
    ]
    response = push(raw, rows)
    assert response.status_code == 400
    assert Punch.objects.count() == 0


def test_a_future_punch_is_an_error(center, terminal):
    _c, raw = terminal
    when = (timezone.localtime() + timedelta(hours=2)).isoformat()
    row = {"staff_number": center["me"].staff_number, "at": when, "record_id": "9"}
    assert push(raw, [row]).json()["results"][0]["result"] == "error"
