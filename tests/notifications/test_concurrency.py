"""Two beats at once, two relays at once: nothing is written or e-mailed twice (PostgreSQL)."""

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from notifications import relay, services
from notifications.models import Notification
from staff.models import Role
from tests.factories import CertificateFactory, StaffFactory, UserFactory

from .factories import StationingFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

TODAY = date(2026, 3, 10)


def in_threads(func, n: int = 2) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list = []

    def target(i):
        try:
            barrier.wait()
            results[i] = func()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.fixture
def center(dept_a, admin_user, liaison_a, settings, no_broker):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BATCH_SIZE": 25}
    admin_user.email = "admin@zwfw.example.cn"
    admin_user.save()
    liaison_a.email = "liaison@scjg.example.cn"
    liaison_a.save()
    for i in range(120):
        user = UserFactory(username=f"p{i}", role=Role.STAFF, email=f"p{i}@example.cn")
        person = StaffFactory(department=dept_a, user=user)
        CertificateFactory(staff=person, expires_on=TODAY + timedelta(days=i % 70))
        StationingFactory(staff=person, start_date=date(2024, 3, 10) + timedelta(days=i % 30))


def test_two_concurrent_sweeps_write_each_notification_once(center):
    runs = in_threads(lambda: services.sweeps_run(today=TODAY))
    expected = services.sweeps_run(today=TODAY, dry_run=True)
    assert sum(r.created for r in expected) == 0  # after both runs nothing is missing
    total = Notification.objects.count()
    keys = Notification.objects.values_list(
        "recipient_id", "kind", "subject_type_id", "subject_id", "period"
    )
    assert total == len(set(keys))
    # certificates: 120 with 0..69 days left, 60 days or fewer → 3 recipients each
    certificates = sum(1 for i in range(120) if i % 70 <= 60)
    # tenure: 30 days from the milestone on TODAY … +29 days → all approaching or reached → 2 each
    scoring = 0  # the 10th is past the 5th
    assert total == certificates * 3 + 120 * 2 + scoring
    # Every row was reported by a run (a row both inserted counts twice, never zero times).
    assert sum(result.created for run in runs for result in run) >= total


def test_two_concurrent_relays_email_each_row_once(center):
    services.sweeps_run(today=TODAY)
    total = Notification.objects.count()
    results = in_threads(lambda: relay.deliver_pending(batch_size=20), n=3)
    assert sum(r.sent for r in results) == total
    ids = [m.extra_headers["X-Notification-Id"] for m in mail.outbox]
    assert len(ids) == len(set(ids)) == total
    assert not Notification.objects.filter(email_status="pending").exists()
