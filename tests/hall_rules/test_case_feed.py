"""The case system's feed: promised deadlines over a weekend and a day off (core.workdays),
idempotence on the case number (a repeat updates), per-row errors, the scope of each caller."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from assessments.models import CaseRecord
from core import system_clients
from core.models import WorkdayOverride
from staff.models import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/feeds/cases/"


def push(raw, cases, scheme="Client"):
    api = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {raw}"} if raw else {}
    return api.post(URL, {"cases": cases}, format="json", **headers)


def row(**over):
    base = {
        "case_number": "BJ-2026-0001",
        "service_item": "SCJG-001",
        "window": "A01",
        "staff_number": "",
        "accepted_at": "2026-11-06 10:00",  # a Friday
        "status": "accepted",
    }
    return {**base, **over}


@pytest.fixture
def day_off(db):
    # Monday 9 November a day off at the center: with the weekend, two working days after
    # Friday the 6th end on Wednesday the 11th
    return WorkdayOverride.objects.create(date=date(2026, 11, 9), is_working_day=False)


def test_deadline_skips_the_weekend_and_the_day_off(hall, case_client, day_off):
    _client, raw = case_client
    answer = push(raw, [row(staff_number=hall["me"].staff_number)])
    assert answer.status_code == 200, answer.content
    case = CaseRecord.objects.get()
    assert case.deadline == date(2026, 11, 11)
    assert case.promised_working_days == 2
    assert case.department == hall["window_a"].department
    assert case.is_overdue(date(2026, 11, 11)) is False
    assert case.is_overdue(date(2026, 11, 12)) is True  # still open past it


def test_completed_on_the_deadline_is_on_time_the_day_after_overdue(hall, case_client, day_off):
    _client, raw = case_client
    push(
        raw,
        [
            row(case_number="ON-TIME", status="completed", completed_at="2026-11-11 17:00"),
            row(case_number="LATE", status="completed", completed_at="2026-11-12 09:00"),
            row(case_number="NO-PROMISE", service_item="SCJG-002", status="accepted"),
        ],
    )
    cases = {c.case_number: c for c in CaseRecord.objects.all()}
    assert not cases["ON-TIME"].is_overdue()
    assert cases["LATE"].is_overdue()
    assert cases["NO-PROMISE"].deadline is None and not cases["NO-PROMISE"].is_overdue()


def test_a_repeat_updates_never_duplicates(hall, case_client):
    client, raw = case_client
    first = push(raw, [row()])
    assert first.json()["counts"] == {"created": 1, "updated": 0, "duplicate": 0, "error": 0}
    again = push(raw, [row()])
    assert again.json()["counts"]["duplicate"] == 1
    done = push(raw, [row(status="completed", completed_at="2026-11-10 11:00")])
    assert done.json()["counts"]["updated"] == 1
    assert CaseRecord.objects.count() == 1
    case = CaseRecord.objects.get()
    assert case.status == "completed" and case.completed_at is not None
    pushed = f"{CaseRecord._meta.verbose_name_plural}: push"
    entries = list(LogEntry.objects.filter(object_repr__startswith=pushed))
    assert len(entries) == 2  # the creation and the update; the duplicate wrote nothing
    assert all(e.additional_data["system_client"] == client.audit_label for e in entries)


def test_racing_senders_of_one_new_case_number_store_one_row(hall, case_client, monkeypatch):
    """The second sender read the number as new before the first committed: its INSERT fails on
    the unique number, and the batch is read again and answered as a repeat, not a 500."""
    from assessments.services import cases

    _client, raw = case_client
    assert push(raw, [row()]).status_code == 200
    real, calls = cases._stored, []

    def stale_then_real(numbers):
        calls.append(numbers)
        return {} if len(calls) == 1 else real(numbers)

    monkeypatch.setattr(cases, "_stored", stale_then_real)
    answer = push(raw, [row(status="completed", completed_at="2026-11-10 11:00")])
    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"]["updated"] == 1
    assert len(calls) == 2
    assert CaseRecord.objects.get().status == "completed"


def test_bad_rows_answer_per_row_in_chinese(hall, case_client):
    _client, raw = case_client
    answer = push(
        raw,
        [
            row(case_number="OK-1"),
            row(case_number="BAD-1", window="Z99", service_item="NOPE"),
            row(case_number="BAD-2", staff_number="NOBODY", status="done"),
            row(case_number="BAD-3", status="completed"),
            row(case_number="BAD-4", accepted_at="2099-01-01 09:00"),
        ],
    )
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["created", "error", "error", "error", "error"]
    assert "未知的窗口。" in results[1]["errors"]
    assert "未知的工号。" in results[2]["errors"]
    assert CaseRecord.objects.count() == 1


def test_a_batch_over_the_limit_is_refused_whole(hall, case_client, settings):
    settings.ASSESSMENTS = {"CASE_PUSH_BATCH_MAX": 1}
    _client, raw = case_client
    answer = push(raw, [row(case_number="1"), row(case_number="2")])
    assert answer.status_code == 400
    assert CaseRecord.objects.count() == 0


def test_scope_of_each_caller(hall, case_client, admin_user):
    _ratings, ratings_raw = system_clients.client_create(
        actor=admin_user, name="评价系统", kind="rating", scopes=["ratings.push"]
    )
    assert push(ratings_raw, [row()]).status_code == 403  # a client without cases.push
    person = UserFactory(username="someone", role=Role.CENTER_ADMIN)
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=person)
    assert push(token.key, [row()], scheme="Token").status_code == 403  # a person's token
    none = push(None, [row()])
    assert none.status_code == 401
    assert "Client" in none["WWW-Authenticate"]
    client, raw = case_client
    system_clients.client_revoke(actor=admin_user, client=client, reason="停用")
    assert push(raw, [row()]).status_code == 401
    assert CaseRecord.objects.count() == 0
