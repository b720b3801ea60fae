"""The rating platform's push (issue #18): idempotent by case number, an update never a second
row, cases opened and voided with the rating, per-row errors, the client's scope, the alert to
the window's chief and the center, and a batch in a fixed number of queries."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import Rating, RatingMonth, Rectification, RectificationStatus
from core import system_clients
from notifications.models import Notification, Preference
from notifications.relay import deliver_pending
from tests.factories import UserFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db
URL = "/api/v1/feeds/ratings/"
SERVED = "2026-03-02T10:00:00+08:00"


@pytest.fixture
def platform(admin_user):
    return system_clients.client_create(
        actor=admin_user, name="好差评平台", kind="rating", scopes=["ratings.push"]
    )


@pytest.fixture
def chief_user(world):
    user = UserFactory(username="chief", email="chief@example.org")
    chief = world["chief"]
    chief.user = user
    chief.save()
    return user


def push(raw, rows):
    return APIClient().post(
        URL, {"ratings": rows}, format="json", HTTP_AUTHORIZATION=f"Client {raw}"
    )


def row(world, ref="SX-1", level="4", **extra):
    return {
        "case_number": ref,
        "window": "A01",
        "staff_number": world["me"].staff_number,
        "service_item": "SCJG-001",
        "level": level,
        "channel": "evaluator",
        "reasons": [],
        "comment": "",
        "served_at": SERVED,
        **extra,
    }


def test_repeat_is_duplicate_and_change_updates_the_one_row(world, platform):
    client, raw = platform
    first = push(raw, [row(world)])
    assert first.status_code == 200
    assert first.json()["counts"] == {"created": 1, "updated": 0, "duplicate": 0, "error": 0}
    rating = Rating.objects.get()
    assert rating.channel == "onsite" and rating.received_at is not None
    again = push(raw, [row(world)])
    assert again.json()["results"][0]["result"] == "duplicate"
    changed = push(raw, [row(world, level="5", reasons=["热情"], channel="二维码")])
    assert changed.json()["results"][0]["result"] == "updated"
    assert Rating.objects.count() == 1
    rating.refresh_from_db()
    assert (rating.level, rating.reasons, rating.channel) == ("5", ["热情"], "qr_code")
    # the writes are the client's in the audit trail
    entry = LogEntry.objects.filter(object_pk=str(rating.pk)).latest("timestamp")
    assert entry.additional_data["system_client"] == client.audit_label
    # the monthly row followed: one rating, now 非常满意
    months = {m.channel: (m.level_4, m.level_5) for m in RatingMonth.objects.all()}
    assert months == {"onsite": (0, 0), "qr_code": (0, 1)}


def test_rows_are_checked_one_by_one_with_translated_reasons(world, platform):
    _c, raw = platform
    rows = [
        row(world, "OK-1"),
        row(world, "", level="9"),
        {**row(world, "BAD-W"), "window": "ZZ9"},
        {**row(world, "BAD-T"), "served_at": "昨天"},
        {**row(world, "BAD-C"), "channel": "信鸽"},
        {**row(world, "BAD-P"), "staff_number": world["person_b"].staff_number},
        row(world, "OK-2", reasons="态度差、等待久", level="2"),
    ]
    answer = push(raw, rows).json()
    assert [r["result"] for r in answer["results"]] == [
        "created",
        "error",
        "error",
        "error",
        "error",
        "error",
        "created",
    ]
    errors = answer["results"][1]["errors"]
    assert "需要1到60个字符的办件编号。" in errors and "评价等级为1到5，未评价为空。" in errors
    assert answer["results"][2]["errors"] == ["未知的窗口编号 ZZ9。"]
    assert answer["results"][5]["errors"] == ["该人员当天不在此窗口。"]
    assert Rating.objects.get(event_ref="OK-2").reasons == ["态度差", "等待久"]
    assert Rectification.objects.get().rating.event_ref == "OK-2"


def test_update_to_bad_opens_a_case_and_back_voids_it(world, platform, admin_user):
    _c, raw = platform
    push(raw, [row(world, level="4")])
    assert not Rectification.objects.exists()
    received = "2026-03-03T09:00:00+08:00"
    assert push(raw, [row(world, level="1", received_at=received)]).json()["counts"]["updated"]
    case = Rectification.objects.get()
    assert case.status == RectificationStatus.PENDING and case.opened_on == date(2026, 3, 3)
    assert case.deadline == date(2026, 3, 24)  # 15 working days from the day received
    assert Notification.objects.filter(kind="assessment.bad_rating_alert").exists()
    # still pending: a good rating now closes it as invalid, with a log line
    push(raw, [row(world, level="5")])
    case.refresh_from_db()
    assert case.status == RectificationStatus.INVALID and case.closed_at
    assert "撤销" in case.log.last().note and "非常满意" in case.log.last().note
    # bad again: the voided case opens again (never a second case)
    push(raw, [row(world, level="2")])
    case.refresh_from_db()
    assert case.status == RectificationStatus.PENDING and Rectification.objects.count() == 1
    # a case the center confirmed keeps its state when the rating changes
    from assessments.services.rectification import rectification_step

    rectification_step(actor=admin_user, case=case, action="confirm")
    push(raw, [row(world, level="4")])
    case.refresh_from_db()
    assert case.status == RectificationStatus.VALID
    assert "满意" in case.log.last().note


def test_scope_of_the_client(world, platform, admin_user, staff_user):
    _c, raw = platform
    _w, workload_raw = system_clients.client_create(
        actor=admin_user, name="排队叫号", kind="queue", scopes=["workload.push"]
    )
    assert push(workload_raw, [row(world)]).status_code == 403
    token = Token.objects.create(user=admin_user)
    person = APIClient().post(
        URL, {"ratings": []}, format="json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert person.status_code == 403
    session = APIClient()
    session.force_login(admin_user)
    assert session.post(URL, {"ratings": []}, format="json").status_code == 403
    anonymous = APIClient().post(URL, {"ratings": []}, format="json")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Client")
    assert push("sc_wrong", []).status_code == 401
    assert not Rating.objects.exists()


def test_batch_limit(world, platform, settings):
    settings.ASSESSMENTS = {"RATING_PUSH_BATCH_MAX": 2}
    _c, raw = platform
    answer = push(raw, [row(world, f"L{i}") for i in range(3)])
    assert answer.status_code == 400 and "最多" in str(answer.json())


def test_bad_rating_alerts_the_chief_and_the_center_in_app_and_by_mail(
    world, platform, chief_user, admin_user, django_capture_on_commit_callbacks
):
    _c, raw = platform
    with django_capture_on_commit_callbacks(execute=True):
        push(raw, [row(world, "BAD-1", level="1", reasons=["态度差"])])
    alerts = Notification.objects.filter(kind="assessment.bad_rating_alert")
    assert {n.recipient_id for n in alerts} == {chief_user.pk, admin_user.pk}
    alert = alerts.first()
    assert "A01" in alert.title and "态度差" in alert.body and "BAD-1" in alert.body
    deliver_pending()
    to = sorted(m.to[0] for m in mail.outbox)
    assert "chief@example.org" in to and "admin@example.org" in to


def test_alert_respects_the_mail_preference_and_the_chief_of_the_day(
    world, platform, chief_user, admin_user, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=chief_user, kind="assessment.bad_rating_alert", email=False)
    _c, raw = platform
    with django_capture_on_commit_callbacks(execute=True):
        push(raw, [row(world, "BAD-2", level="2")])
    deliver_pending()
    assert Notification.objects.filter(recipient=chief_user).exists()  # in-app still
    assert "chief@example.org" not in [m.to[0] for m in mail.outbox]
    # served before the chief's stationing began: not theirs to hear
    stationing = world["chief"].stationings.get()
    stationing.start_date = date(2026, 4, 1)
    stationing.save()
    push(raw, [row(world, "BAD-3", level="2")])
    case = Rectification.objects.get(rating__event_ref="BAD-3")
    alerted = Notification.objects.filter(kind="assessment.bad_rating_alert", subject_id=case.pk)
    assert set(alerted.values_list("recipient_id", flat=True)) == {admin_user.pk}


def test_a_batch_is_a_fixed_number_of_queries(world, platform):
    _c, raw = platform

    def rows(prefix, n):
        return [row(world, f"{prefix}-{i}", level="2" if i % 5 == 0 else "4") for i in range(n)]

    push(raw, rows("WARM", 2))  # the monthly rows exist
    small = count_queries(lambda: push(raw, rows("S", 25)))
    large = count_queries(lambda: push(raw, rows("L", 50)))
    assert small == large, (small, large)
    assert large <= 40, large
    assert Rating.objects.count() == 77 and Rectification.objects.count() == 16
    repeat = count_queries(lambda: push(raw, rows("L", 50)))  # all duplicates
    assert repeat <= 12, repeat


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_is_one_row(world, platform):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import threading

    from django.core.cache import cache

    cache.clear()  # the throttle's counts of earlier tests
    _c, raw = platform
    results = []

    def send():
        try:
            results.append(push(raw, [row(world, "RACE-1", level="2")]).json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Rating.objects.filter(event_ref="RACE-1").count() == 1
    assert Rectification.objects.count() == 1
    outcomes = sorted(r["results"][0]["result"] for r in results)
    assert outcomes.count("created") == 1 and set(outcomes) <= {"created", "duplicate"}


def test_issue_client_token_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "issue_client_token",
        "--name",
        "好差评平台",
        "--kind",
        "rating",
        "--scope",
        "ratings.push",
        stdout=out,
        stderr=StringIO(),
    )
    token = out.getvalue().strip()
    client = system_clients.client_for_token(token)
    assert client is not None and client.scopes == ["ratings.push"]


def test_the_feed_is_throttled_per_client(world, platform, admin_user, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from core.authentication import SystemClientRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "system_client": "2/minute"}
    original = SystemClientRateThrottle.THROTTLE_RATES
    SystemClientRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    try:
        _c, raw = platform
        assert [push(raw, []).status_code for _ in range(3)] == [200, 200, 429]
        _o, other = system_clients.client_create(
            actor=admin_user, name="另一平台", kind="rating", scopes=["ratings.push"]
        )
        assert push(other, []).status_code == 200
    finally:
        SystemClientRateThrottle.THROTTLE_RATES = original
        cache.clear()
