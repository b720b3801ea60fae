"""A batch export end to end through a REAL Celery worker over Redis: the page queues the task
after commit, the worker builds the workbook in batches, the progress fragment stops polling and
the requester downloads the file. Skipped without PostgreSQL or Redis."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from promotions.models import EvidenceExport, ExportState
from tests.factories import StaffFactory
from tests.notifications.conftest import redis_reachable, use_broker  # noqa: F401 (fixture)
from tests.notifications.test_worker import _database_url, _wait_for

BROKER = os.environ.get("PROMOTIONS_TEST_BROKER", "redis://127.0.0.1:6379/9")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def media(tmp_path, settings):
    folder = tmp_path / "media"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@pytest.fixture
def pool():
    """The worker's pool: solo (one process) unless a test asks for prefork children."""
    return ["-P", "solo"]


@pytest.fixture
def worker(tmp_path, media, use_broker, pool):  # noqa: F811
    from config.celery import app

    use_broker(BROKER)
    with app.connection_for_write() as connection:  # its own: the pool a test before closed
        app.control.purge(connection=connection)
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.promotions.worker_settings",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        "PROMOTIONS_TEST_MEDIA_DIR": str(media),
    }
    celery = Path(sys.executable).with_name("celery")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(celery), "-A", "config", "worker", *pool, "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(lambda: b"ready." in log.read_bytes(), 60, log)
            log.with_suffix(".pid").write_text(str(process.pid))
            yield log
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_batch_export_through_a_real_worker(worker, dept_a, dept_b, hr_user, as_user):
    StaffFactory.create_batch(60, department=dept_a)  # more than one batch of 50
    StaffFactory.create_batch(3, department=dept_b)
    client = as_user(hr_user)
    response = client.post(
        reverse("promotions:export_create"),
        {"scope": "all", "department": dept_a.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert response.status_code == 302
    export = EvidenceExport.objects.get()
    assert export.total == 60
    _wait_for(
        lambda: (
            EvidenceExport.objects.get(pk=export.pk).state in (ExportState.DONE, ExportState.FAILED)
        ),
        120,
        worker,
    )
    export.refresh_from_db()
    assert export.state == ExportState.DONE, export.error
    assert export.done == 60
    assert "promotions.build_evidence_export" in worker.read_text()
    fragment = client.get(
        reverse("promotions:export_detail", args=[export.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in fragment and "export-download" in fragment
    download = client.get(reverse("promotions:export_download", args=[export.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["基本信息"].max_row == 61


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in found.split()]


@pytest.mark.parametrize("pool", [["-P", "prefork", "-c", "1"]])
def test_a_worker_killed_mid_export_resumes_it(worker, pool, dept_a, hr_user, as_user):
    """The worker's child dies mid-export (SIGKILL, as the OOM killer would): the message comes
    back (acks_late, reject_on_worker_lost), the new child sees its own task id on the export
    and builds it whole — no export left "running 0/N" for ever."""
    import signal
    import time

    StaffFactory.create_batch(400, department=dept_a)
    client = as_user(hr_user)
    response = client.post(
        reverse("promotions:export_create"),
        {"scope": "all", "department": dept_a.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert response.status_code == 302
    export = EvidenceExport.objects.get()
    _wait_for(lambda: EvidenceExport.objects.get(pk=export.pk).done > 0, 120, worker)
    pid = int(worker.with_suffix(".pid").read_text())
    (child,) = _children(pid)
    os.kill(child, signal.SIGKILL)
    export.refresh_from_db()
    assert export.state == ExportState.RUNNING and export.done < export.total  # killed mid-way
    _wait_for(
        lambda: (
            EvidenceExport.objects.get(pk=export.pk).state in (ExportState.DONE, ExportState.FAILED)
        ),
        180,
        worker,
    )
    export.refresh_from_db()
    assert export.state == ExportState.DONE, export.error
    assert export.done == export.total == 400
    log = worker.read_text()
    assert "WorkerLostError" in log or "exited prematurely" in log
    time.sleep(0.5)
    assert len(_children(pid)) == 1  # a fresh child took over
