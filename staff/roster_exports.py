"""Roster exports too large for a web request: requested in the browser, built by a Celery task.

The shape of ``promotions.evidence.exports``: a :class:`~staff.models.RosterExport` row is the
truth; the request stores the staff list's filters and queues the build after commit through
``core.jobs`` (a broker outage only delays it; beat re-sends what waits too long); the task
takes the id, claims the row (a second run does nothing, its own redelivery resumes), re-checks the
requester's permission and scope, and streams the rows (openpyxl ``write_only``, or csv) to a
file in bounded chunks, updating ``done`` as it goes. Cells are formula-safe and ID numbers
masked as in every export (``core.spreadsheets``, ``StaffResource``).
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import jobs, people, spreadsheets
from core.audit import audited

from .filters import StaffFilter
from .models import ExportFormat, ExportState, Role, RosterExport
from .permissions import Perm, has_perm, role_of
from .resources import StaffResource
from .selectors import staff_list_for_user

logger = logging.getLogger(__name__)

#: Rows written between two progress updates.
CHUNK = 2000
SHEET_TITLE = "人员名册"


def inline_max() -> int:
    """Up to this many people the browser gets the file at once; above, a background export."""
    return settings.CENTER["ROSTER_EXPORT_INLINE_MAX"]


# --- reads -------------------------------------------------------------------------------------


def roster_export_list_for_user(user: Any) -> QuerySet[RosterExport]:
    """The user's own exports; center administrators see everyone's."""
    qs = RosterExport.objects.select_related(
        "requested_by", *people.related("requested_by")
    ).order_by("-created_at", "-id")
    if role_of(user) == Role.CENTER_ADMIN:
        return qs
    return qs.filter(requested_by=user) if role_of(user) else qs.none()


def roster_export_get_for_user(user: Any, pk: int) -> RosterExport:
    """Someone else's export answers 404, whether or not it exists."""
    return get_object_or_404(roster_export_list_for_user(user), pk=pk)


def filtered_staff(user: Any, filters: Mapping[str, Any]) -> QuerySet:
    """The staff list's rows for ``filters`` (its query string), in the user's scope."""
    request = SimpleNamespace(user=user)
    # As given: dict() of a QueryDict would turn every value into a list ("q": ["F"]).
    return StaffFilter(filters, queryset=staff_list_for_user(user), request=request).qs


# --- writing a roster ----------------------------------------------------------------------------


def write_roster(
    *, actor: Any, queryset: QuerySet, fmt: str, out: Any, progress: Any = None
) -> int:
    """Stream ``queryset`` (already scoped and filtered) into the binary file ``out`` as xlsx or
    csv with Chinese headers, formula-safe cells and ID numbers masked unless ``actor`` may read
    them; ``progress(n)`` is called every :data:`CHUNK` rows. Returns the number of rows."""
    resource = StaffResource(user=actor)
    headers = [str(h) for h in resource.headers()]
    rows = resource.rows(queryset)
    if fmt == ExportFormat.CSV:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(headers)
        n = _each(rows, lambda row: writer.writerow(_csv_row(row)), progress)
        text.flush()
        text.detach()
        return n
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_TITLE)
    sheet.append(headers)
    n = _each(rows, lambda row: sheet.append(spreadsheets.safe_row(row)), progress)
    workbook.save(out)
    return n


def _csv_row(row: Iterable[Any]) -> list[Any]:
    return [
        "" if v is None else v.isoformat() if isinstance(v, (date, datetime)) else v
        for v in spreadsheets.safe_row(row)
    ]


def _each(rows: Iterable, write: Any, progress: Any) -> int:
    n = 0
    for row in rows:
        write(row)
        n += 1
        if progress is not None and n % CHUNK == 0:
            progress(n)
    return n


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def roster_export_request(
    *, actor: Any, filters: Mapping[str, Any], fmt: str = ExportFormat.XLSX
) -> RosterExport:
    """Record an export of the staff list as filtered by ``filters`` and queue its build after
    commit. Raises PermissionDenied without ``Perm.STAFF_EXPORT``, ValidationError for an
    unknown format (nothing is written then)."""
    if not has_perm(actor, Perm.STAFF_EXPORT):
        raise PermissionDenied(_("You are not allowed to export the roster."))
    if fmt not in ExportFormat.values:
        raise ValidationError(_("Unknown export format."))
    wanted = {
        k: v for k, v in filters.items() if k not in {"page", "format"} and v not in ("", None)
    }
    total = filtered_staff(actor, wanted).count()
    with audited(actor=actor, reason=_("Roster export requested")):
        export = RosterExport.objects.create(
            filters=wanted, format=fmt, total=total, requested_by=actor
        )
    jobs.send_on_commit(EXPORT_JOB.task_name, export.pk)  # a broker outage only delays it
    return export


class _Refused(Exception):
    """The requester may no longer export: a message for them, not a crash."""


EXPORT_JOB = jobs.register(
    "staff.roster_export",
    model=RosterExport,
    task_name="staff.build_roster_export",
    queued=ExportState.QUEUED,
    running=ExportState.RUNNING,
)


def roster_export_build(*, export_id: int, run_id: str = "") -> RosterExport | None:
    """Build the file of a queued export. Safe to run twice: the export is claimed by a
    conditional update (``core.jobs.claim``): queued, running under this same ``run_id`` (its
    message redelivered after the worker was killed), or running under a run that died; any
    other run does nothing and returns None. Any failure leaves the export FAILED with a
    message in the requester's language."""
    if not jobs.claim(EXPORT_JOB, pk=export_id, run_id=run_id, done=0):
        return None
    export = RosterExport.objects.select_related(
        "requested_by", *people.related("requested_by")
    ).get(pk=export_id)
    requester = export.requested_by
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        try:
            with tempfile.TemporaryFile() as out:
                _build(export, out)
                out.seek(0)
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                export.file.save(
                    f"roster-{export.pk}-{stamp}.{export.format}", File(out), save=False
                )
        except _Refused as exc:
            return _finish(export, state=ExportState.FAILED, error=str(exc))
        except Exception:
            logger.exception("roster export %s failed", export_id)
            message = _("The export failed. Please try again; if it fails again, tell the center.")
            return _finish(export, state=ExportState.FAILED, error=message)
        return _finish(export, state=ExportState.DONE, error="")


def _build(export: RosterExport, out: Any) -> None:
    requester = export.requested_by
    if not requester.is_active or not has_perm(requester, Perm.STAFF_EXPORT):
        raise _Refused(_("You may no longer export the roster."))
    people = filtered_staff(requester, export.filters)  # today's scope, not the request's
    total = people.count()
    RosterExport.objects.filter(pk=export.pk).update(total=total)

    def progress(n: int) -> None:
        RosterExport.objects.filter(pk=export.pk).update(done=n)

    export.done = write_roster(
        actor=requester, queryset=people, fmt=export.format, out=out, progress=progress
    )
    export.total = max(total, export.done)


def _finish(export: RosterExport, *, state: str, error: str) -> RosterExport:
    if state != ExportState.DONE:
        export.refresh_from_db(fields=["done", "total"])
    export.state = state
    export.error = error
    export.finished_at = timezone.now()
    reason = _("Roster export built") if state == ExportState.DONE else _("Roster export failed")
    with audited(actor=export.requested_by, reason=reason):  # built on their behalf
        export.save(update_fields=["state", "error", "finished_at", "file", "done", "total"])
    return export
