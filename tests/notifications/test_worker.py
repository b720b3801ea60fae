"""End to end through a REAL Celery worker: beat's task → sweep → rows → e-mail, over Redis.

The worker is a subprocess (`celery -A config worker`) on the Redis database reserved for these
tests, pointed at this test run's PostgreSQL database. Skipped without PostgreSQL or Redis.
"""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import run_sweeps
from staff.models import Role
from tests.factories import CertificateFactory, StaffFactory, UserFactory

from .conftest import redis_reachable

BROKER = os.environ.get("NOTIFICATIONS_TEST_BROKER", "redis://127.0.0.1:6379/4")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, use_broker):
    from config.celery import app

    use_broker(BROKER)
    app.control.purge()  # leftovers of an earlier, interrupted run
    log = tmp_path / "worker.log"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        "NOTIFICATIONS_TEST_MAIL_DIR": str(mail_dir),
    }
    celery = Path(sys.executable).with_name("celery")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(celery), "-A", "config", "worker", "-P", "solo", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(lambda: b"ready." in log.read_bytes(), 60, log)
            yield {"log": log, "mail": mail_dir}
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(predicate, seconds: float, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out; worker log:\n" + log.read_text(errors="replace")[-4000:])


def _succeeded(log: Path, task_id: str) -> str | None:
    match = re.search(rf"\[{task_id}\] succeeded in [0-9.]+s: (.*)", log.read_text())
    return match.group(1) if match else None


def _messages(mail_dir: Path) -> list:
    messages = []
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip(), policy=policy.default))
    return messages


def test_a_sweep_runs_end_to_end_through_a_real_worker(worker, dept_a, admin_user, liaison_a):
    today = timezone.localdate()
    admin_user.email = "admin@zwfw.example.cn"
    admin_user.save()
    liaison_a.email = "liaison@scjg.example.cn"
    liaison_a.save()
    holder = UserFactory(username="holder", role=Role.STAFF, email="wangfang@example.cn")
    person = StaffFactory(department=dept_a, user=holder, name="王芳")
    CertificateFactory(staff=person, number="川执0001", expires_on=today + timedelta(days=7))

    first = run_sweeps.apply_async(kwargs={"schedule": "daily", "day": today.isoformat()})
    _wait_for(lambda: _succeeded(worker["log"], first.id), 60, worker["log"])
    assert "'staff.certificates': 3" in _succeeded(worker["log"], first.id)

    # The worker queued delivery after its sweep committed; the rows become "sent". (Other sweeps
    # may find something on the real today, e.g. training.behind_target from October: only the
    # certificate's rows and e-mails are counted.)
    certificates = Notification.objects.filter(kind__startswith="certificate.")
    _wait_for(lambda: certificates.filter(email_status="sent").count() == 3, 60, worker["log"])
    messages = [m for m in _messages(worker["mail"]) if "执法证" in m["Subject"]]
    assert sorted(m["To"] for m in messages) == [
        "admin@zwfw.example.cn",
        "liaison@scjg.example.cn",
        "wangfang@example.cn",
    ]
    subject = messages[0]["Subject"]
    assert "王芳的执法证有效期至" in subject
    assert "距今还有7天" in messages[0].get_content()

    # A rerun through the worker (say, two beats) sends nothing twice.
    second = run_sweeps.apply_async(kwargs={"schedule": "daily", "day": today.isoformat()})
    _wait_for(lambda: _succeeded(worker["log"], second.id), 60, worker["log"])
    assert "'staff.certificates': 0" in _succeeded(worker["log"], second.id)
    assert certificates.count() == 3
    assert len([m for m in _messages(worker["mail"]) if "执法证" in m["Subject"]]) == 3
