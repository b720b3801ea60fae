"""Roster exports above ROSTER_EXPORT_INLINE_MAX run as a background job (staff.roster_exports),
in eager mode here: the request, the build with progress, the file (formula-safe, masked), who
may download it, the permission re-checked in the worker, and running twice."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from staff import roster_exports
from staff.models import ExportState, RosterExport
from staff.roster_exports import roster_export_build, roster_export_request
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def small_limit(settings):
    settings.CENTER = {**settings.CENTER, "ROSTER_EXPORT_INLINE_MAX": 2}


def rows_of(export):
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        content = handle.read()
    if export.format == "csv":
        return content.decode("utf-8-sig")
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_a_large_export_is_offered_in_the_background_and_built_with_progress(
    admin_user, dept_a, dept_b, small_limit, eager, monkeypatch, django_capture_on_commit_callbacks
):
    StaffFactory.create_batch(4, department=dept_a, name="=cmd|' /C calc'!A0")
    StaffFactory(department=dept_b)
    monkeypatch.setattr(roster_exports, "CHUNK", 2)
    seen = []  # the row's ``done`` as stored at each progress step, during the build
    real_write = roster_exports.write_roster

    def write(**kwargs):
        step = kwargs["progress"]

        def progress(n):
            step(n)
            seen.append(RosterExport.objects.values_list("state", "done").get())

        return real_write(**kwargs | {"progress": progress})

    client = client_for(admin_user)
    offer = client.get(reverse("staff:export"), {"format": "xlsx", "department": dept_a.pk})
    assert offer.status_code == 200 and "export-confirm" in offer.content.decode()
    assert not RosterExport.objects.exists()  # a GET writes nothing

    monkeypatch.setattr(roster_exports, "write_roster", write)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:export"), {"format": "xlsx", "department": str(dept_a.pk)}
        )
    export = RosterExport.objects.get()
    assert response["Location"] == reverse("staff:export_detail", args=[export.pk])
    assert export.filters == {"department": str(dept_a.pk)}
    assert export.state == ExportState.DONE and export.done == export.total == 4
    assert seen == [("running", 2), ("running", 4)]
    rows = rows_of(export)
    assert len(rows) == 5 and all(r[1] == "'=cmd|' /C calc'!A0" for r in rows[1:])
    assert LogEntry.objects.filter(content_type__model="rosterexport").exists()

    page = client.get(reverse("staff:export_detail", args=[export.pk]))
    assert "export-download" in page.content.decode()
    download = client.get(reverse("staff:export_download", args=[export.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


def test_a_small_export_is_still_a_file_at_once(admin_user, dept_a, small_limit):
    StaffFactory.create_batch(2, department=dept_a)
    response = client_for(admin_user).get(reverse("staff:export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not RosterExport.objects.exists()


def test_the_worker_applies_todays_scope_and_masks_ids(
    liaison_a, dept_a, dept_b, django_capture_on_commit_callbacks
):
    StaffFactory.create_batch(2, department=dept_a)
    StaffFactory.create_batch(3, department=dept_b)
    with django_capture_on_commit_callbacks(execute=False):
        export = roster_export_request(actor=liaison_a, filters={}, fmt="csv")
    assert export.total == 2
    roster_export_build(export_id=export.pk)
    text = rows_of(export)
    assert export.state == ExportState.DONE and export.done == 2
    assert text.count("\n") == 3 and "********" in text


def test_permission_is_rechecked_in_the_worker(
    admin_user, dept_a, django_capture_on_commit_callbacks
):
    StaffFactory(department=dept_a)
    with django_capture_on_commit_callbacks(execute=False):
        export = roster_export_request(actor=admin_user, filters={}, fmt="xlsx")
    admin_user.is_active = False
    admin_user.save()
    roster_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.error
    assert not export.file


def test_running_twice_builds_once(admin_user, dept_a, django_capture_on_commit_callbacks):
    StaffFactory(department=dept_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = roster_export_request(actor=admin_user, filters={}, fmt="xlsx")
    assert len(callbacks) == 1
    assert roster_export_build(export_id=export.pk) is not None
    assert roster_export_build(export_id=export.pk) is None


def test_who_may_request_and_see_an_export(
    admin_user, hr_user, liaison_a, staff_user, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        roster_export_request(actor=staff_user, filters={}, fmt="xlsx")
    with django_capture_on_commit_callbacks(execute=False):
        export = roster_export_request(actor=hr_user, filters={}, fmt="xlsx")
    detail = reverse("staff:export_detail", args=[export.pk])
    assert client_for(hr_user).get(detail).status_code == 200
    assert client_for(admin_user).get(detail).status_code == 200
    assert client_for(liaison_a).get(detail).status_code == 404  # someone else's
    assert client_for(staff_user).get(detail).status_code == 403
    download = reverse("staff:export_download", args=[export.pk])
    assert client_for(hr_user).get(download).status_code == 404  # not built yet


def test_its_own_redelivered_message_resumes_it(
    admin_user, dept_a, django_capture_on_commit_callbacks
):
    """Through ``core.jobs`` like every background job: a worker killed mid-export gives its
    message back, and that message (same task id) takes the export over; another leaves it."""
    StaffFactory.create_batch(3, department=dept_a)
    with django_capture_on_commit_callbacks(execute=False):
        export = roster_export_request(actor=admin_user, filters={})
    assert roster_exports.jobs.claim(roster_exports.EXPORT_JOB, pk=export.pk, run_id="run-A")
    assert roster_export_build(export_id=export.pk, run_id="run-B") is None
    resumed = roster_export_build(export_id=export.pk, run_id="run-A")
    assert resumed.state == ExportState.DONE and resumed.done == 3
