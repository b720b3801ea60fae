"""Batch exports of evidence packs, in eager mode (the task runs in the test process): the
request's checks, the build in batches with progress, the workbook's contents, who may download,
failures with a translated message, and running twice. The real worker: test_exports_worker.py."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from promotions.evidence import exports as evidence_exports
from promotions.evidence.exports import evidence_export_build, evidence_export_request
from promotions.models import EvidenceExport, ExportState
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

START, END = date(2024, 1, 1), date(2026, 11, 20)


@pytest.fixture
def eager():
    """Tasks run in the test process when queued (after commit, as in production)."""
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def request_export(actor, people, captured):
    with captured(execute=True):
        return evidence_export_request(
            actor=actor, staff_ids=[p.pk for p in people], start=START, end=END
        )


def workbook(export):
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def test_export_builds_one_workbook_in_batches(
    grow, record_world, hr_user, eager, monkeypatch, django_capture_on_commit_callbacks
):
    grow(1)
    monkeypatch.setattr(evidence_exports, "BATCH_SIZE", 2)
    people = [record_world["person"], record_world["colleague"], record_world["person_b"]]
    export = request_export(hr_user, people, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.done == export.total == 3
    assert export.finished_at is not None and export.error == ""
    book = workbook(export)
    identity = [[c.value for c in row] for row in book["基本信息"].iter_rows()]
    assert [r[1] for r in identity[1:]] == ["甲部门人员", "同事", "乙部门人员"]
    assert identity[1][4] == record_world["person"].id_number  # HR reads full ID numbers
    monthly = [[c.value for c in row] for row in book["月度考核"].iter_rows()]
    assert monthly[0][:3] == ["工号", "姓名", "派驻单位"]
    assert {r[1] for r in monthly[1:]} >= {"甲部门人员", "同事"}


def test_progress_is_saved_after_each_batch(
    record_world, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(evidence_exports, "BATCH_SIZE", 2)
    people = [record_world["person"], record_world["colleague"], record_world["person_b"]]
    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=admin_user, staff_ids=[p.pk for p in people], start=START, end=END
        )
    seen = []
    real_build = evidence_exports.build_packs

    def build(people, **kwargs):
        seen.append((len(people), EvidenceExport.objects.get(pk=export.pk).done))
        return real_build(people, **kwargs)

    monkeypatch.setattr(evidence_exports, "build_packs", build)
    evidence_export_build(export_id=export.pk)
    assert seen == [(2, 0), (1, 2)]
    assert EvidenceExport.objects.get(pk=export.pk).done == 3


def test_running_twice_builds_once(record_world, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = evidence_export_request(
            actor=admin_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )
    assert len(callbacks) == 1  # queued only after commit
    assert evidence_export_build(export_id=export.pk).state == ExportState.DONE
    assert evidence_export_build(export_id=export.pk) is None


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([], "至少"),
        (None, "最多"),
    ],
)
def test_bad_requests_write_nothing(record_world, hr_user, settings, ids, message):
    settings.PROMOTIONS = {**settings.PROMOTIONS, "BATCH_EXPORT_MAX": 2}
    if ids is None:
        ids = [StaffFactory().pk for _ in range(3)]
    with pytest.raises(ValidationError) as caught:
        evidence_export_request(actor=hr_user, staff_ids=ids, start=START, end=END)
    assert message in " ".join(caught.value.messages)
    assert not EvidenceExport.objects.exists()


def test_reversed_period_and_permission(record_world, hr_user, liaison_a, staff_user):
    with pytest.raises(ValidationError):
        evidence_export_request(
            actor=hr_user, staff_ids=[record_world["person"].pk], start=END, end=START
        )
    for actor in (liaison_a, staff_user):
        with pytest.raises(PermissionDenied):
            evidence_export_request(
                actor=actor, staff_ids=[record_world["person"].pk], start=START, end=END
            )
    assert not EvidenceExport.objects.exists()


def test_failure_is_recorded_with_a_translated_message(
    record_world, hr_user, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=hr_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(evidence_exports, "build_packs", broken)
    evidence_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and not export.file
    assert "导出失败" in export.error  # the requester's language (zh-hans)


def test_requester_who_lost_the_permission_gets_a_message(
    record_world, hr_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=hr_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )
    hr_user.role = "liaison"
    hr_user.save()
    evidence_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and "不能再导出" in export.error


# --- pages --------------------------------------------------------------------------------------


def test_pick_people_and_follow_the_export(
    record_world, hr_user, as_user, eager, django_capture_on_commit_callbacks
):
    client = as_user(hr_user)
    dept = record_world["person"].department
    picker = client.get(reverse("promotions:export_create"), {"department": dept.pk})
    assert picker.status_code == 200
    html = picker.content.decode()
    assert "甲部门人员" in html and "乙部门人员" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("promotions:export_create"),
            {"scope": "all", "department": dept.pk, "q": "", "start": "2024-01-01", "end": ""},
        )
    export = EvidenceExport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{export.pk}/")
    assert set(export.staff.values_list("name", flat=True)) == {"甲部门人员", "同事", "本人"}
    detail = client.get(reverse("promotions:export_detail", args=[export.pk]))
    assert 'data-testid="export-download"' in detail.content.decode()
    fragment = client.get(
        reverse("promotions:export_detail", args=[export.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.startswith('<div id="export-progress"') and "hx-trigger" not in fragment
    download = client.get(reverse("promotions:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert (
        load_workbook(io.BytesIO(b"".join(download.streaming_content))).sheetnames[0] == "基本信息"
    )


def test_ticked_people_only(record_world, admin_user, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = as_user(admin_user).post(
            reverse("promotions:export_create"),
            {"scope": "selected", "staff": [record_world["person_b"].pk], "start": "2025-01-01"},
        )
    assert response.status_code == 302
    export = EvidenceExport.objects.get()
    assert list(export.staff.all()) == [record_world["person_b"]]
    assert export.period_start == date(2025, 1, 1) and export.state == ExportState.QUEUED


def test_nobody_ticked_is_a_clear_error(record_world, hr_user, as_user):
    response = as_user(hr_user).post(reverse("promotions:export_create"), {"scope": "selected"})
    assert response.status_code == 400
    assert "请至少选择一人" in response.content.decode()
    assert not EvidenceExport.objects.exists()


def test_queued_export_polls_and_only_requester_or_center_downloads(
    record_world, hr_user, admin_user, as_user, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=hr_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )
    fragment = as_user(hr_user).get(
        reverse("promotions:export_detail", args=[export.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    download = reverse("promotions:export_download", args=[export.pk])
    assert as_user(hr_user).get(download).status_code == 404  # not ready yet
    evidence_export_build(export_id=export.pk)
    other_hr = UserFactory(username="hr2", role="hr")
    assert as_user(other_hr).get(download).status_code == 404
    assert as_user(admin_user).get(download).status_code == 200
    assert as_user(hr_user).get(download).status_code == 200


def test_a_dead_run_is_taken_over_by_when_it_started(
    record_world, admin_user, settings, django_capture_on_commit_callbacks
):
    """A redelivered task takes over a run only when that run started longer ago than the task
    time limit allows — not merely because the export waited long in the queue."""
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=admin_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600)
    EvidenceExport.objects.filter(pk=export.pk).update(
        created_at=long_ago, state=ExportState.RUNNING, started_at=timezone.now()
    )
    assert evidence_export_build(export_id=export.pk) is None  # still running: left alone
    assert EvidenceExport.objects.get(pk=export.pk).state == ExportState.RUNNING

    EvidenceExport.objects.filter(pk=export.pk).update(started_at=long_ago)  # that run died
    assert evidence_export_build(export_id=export.pk).state == ExportState.DONE


# --- faults: the row is the truth (core.jobs) ---------------------------------------------------


def test_the_same_message_redelivered_resumes_its_own_export(
    record_world, admin_user, django_capture_on_commit_callbacks
):
    """A worker child killed mid-export gives its message back (acks_late): the redelivery has
    the same task id and takes its export over at once; another message leaves it alone."""
    with django_capture_on_commit_callbacks(execute=False):
        export = evidence_export_request(
            actor=admin_user, staff_ids=[record_world["person"].pk], start=START, end=END
        )
    assert evidence_exports.jobs.claim(evidence_exports.EXPORT_JOB, pk=export.pk, run_id="run-A")
    EvidenceExport.objects.filter(pk=export.pk).update(done=1)  # then the child was killed
    assert evidence_export_build(export_id=export.pk, run_id="run-B") is None  # someone else's
    resumed = evidence_export_build(export_id=export.pk, run_id="run-A")
    assert resumed.state == ExportState.DONE and resumed.run_id == "run-A"


def test_broker_down_the_request_succeeds_and_the_requeue_sends_it(
    record_world, hr_user, as_user, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from core import jobs

    published = []

    class DownBroker:
        def __enter__(self):
            raise ConnectionRefusedError("the broker is down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(jobs, "_task", lambda name: _DownTask(name, DownBroker))
    client = as_user(hr_user)
    dept = record_world["person"].department
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("promotions:export_create"),
            {"scope": "all", "department": dept.pk, "q": "", "start": "2024-01-01", "end": ""},
        )
    assert response.status_code == 302  # not a 500: the export is recorded, its message waits
    export = EvidenceExport.objects.get()
    assert export.state == ExportState.QUEUED

    monkeypatch.setattr(jobs, "send", lambda name, *args: published.append((name, args)) or True)
    assert jobs.requeue()["promotions.evidence_export"] == 0  # queued only just now
    EvidenceExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - jobs.REQUEUE_AFTER - timedelta(seconds=1)
    )
    assert jobs.requeue()["promotions.evidence_export"] == 1
    assert published == [("promotions.build_evidence_export", (export.pk,))]


class _DownTask:
    """A task whose broker connection fails as a stopped Redis does."""

    def __init__(self, name, connection):
        from types import SimpleNamespace

        self.name = name
        self.app = SimpleNamespace(
            conf=SimpleNamespace(task_always_eager=False), connection_for_write=connection
        )
