"""Batch exports of evidence packs: requested in the browser, built by a Celery task.

One xlsx workbook for the whole selection, one sheet per part with the person in front of every
row (``xlsx.PackWorkbook(batch=True)``): HR compares a shortlist across people (sort the
annual sheet by grade, filter one person) and files one document, which a zip of a thousand
workbooks would not let them do. The task builds the packs in bounded batches, updating
``done``, and re-checks the requester's permission and scope from ids.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs, people
from core.audit import audited
from staff.models import Role
from staff.permissions import Perm, has_perm, role_of
from staff.selectors import staff_list_for_user

from ..models import EvidenceExport, ExportState
from .pack import build_packs
from .xlsx import PackWorkbook

logger = logging.getLogger(__name__)

#: People built together (one query per part for all of them) between two progress updates:
#: bounded memory per step, visible progress.
BATCH_SIZE = 50


def batch_max() -> int:
    return settings.PROMOTIONS["BATCH_EXPORT_MAX"]


# --- reads -------------------------------------------------------------------------------------


def export_list_for_user(user: Any) -> QuerySet[EvidenceExport]:
    """The user's own exports; center administrators see everyone's."""
    qs = EvidenceExport.objects.select_related(
        "requested_by", *people.related("requested_by")
    ).order_by("-created_at", "-id")
    if role_of(user) == Role.CENTER_ADMIN:
        return qs
    return qs.filter(requested_by=user) if role_of(user) else qs.none()


def export_get_for_user(user: Any, pk: int) -> EvidenceExport:
    """Someone else's export answers 404, whether or not it exists."""
    return get_object_or_404(export_list_for_user(user), pk=pk)


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def evidence_export_request(
    *, actor: Any, staff_ids: Iterable[int], start: date, end: date
) -> EvidenceExport:
    """Record a batch export of the evidence packs of ``staff_ids`` for ``start``–``end`` and
    queue its build after commit.

    Raises PermissionDenied without ``Perm.EVIDENCE_EXPORT``; ValidationError when nobody is
    picked, more than ``BATCH_EXPORT_MAX`` are, someone is outside the actor's scope, or the
    period is reversed. Nothing is written then.
    """
    if not has_perm(actor, Perm.EVIDENCE_EXPORT):
        raise PermissionDenied(_("You may not export evidence packs."))
    ids = sorted({int(pk) for pk in staff_ids})
    if not ids:
        raise ValidationError(_("Pick at least one person."))
    if len(ids) > batch_max():
        raise ValidationError(
            _("At most %(max)d people can be exported at once; %(count)d were picked.")
            % {"max": batch_max(), "count": len(ids)}
        )
    if end < start:
        raise ValidationError(_("The end of the evidence period cannot be before its start."))
    visible = staff_list_for_user(actor).filter(pk__in=ids).count()
    if visible != len(ids):
        raise ValidationError(_("Some of the people picked are not in your scope."))
    with audited(actor=actor, reason=_("Evidence export requested")):
        export = EvidenceExport.objects.create(
            period_start=start, period_end=end, total=len(ids), requested_by=actor
        )
        export.staff.set(ids)
    jobs.send_on_commit(EXPORT_JOB.task_name, export.pk)  # a broker outage only delays it
    return export


class _Refused(Exception):
    """The requester may no longer export: a message for them, not a crash."""


EXPORT_JOB = jobs.register(
    "promotions.evidence_export",
    model=EvidenceExport,
    task_name="promotions.build_evidence_export",
    queued=ExportState.QUEUED,
    running=ExportState.RUNNING,
)


def evidence_export_build(*, export_id: int, run_id: str = "") -> EvidenceExport | None:
    """Build the workbook of a queued export. Safe to run twice: the export is claimed by a
    conditional update (``core.jobs.claim``): queued, or running under this same ``run_id`` (the
    message redelivered after its worker was killed: the run starts its export again), or
    running under a run that died (judged from when that run started, not from when the export
    was requested). Any other run does nothing and returns None.

    Any failure leaves the export FAILED with a message in the requester's language."""
    if not jobs.claim(EXPORT_JOB, pk=export_id, run_id=run_id, done=0):
        return None
    export = EvidenceExport.objects.select_related(
        "requested_by", *people.related("requested_by")
    ).get(pk=export_id)
    requester = export.requested_by
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        try:
            content = _build(export)
        except _Refused as exc:
            return _finish(export, state=ExportState.FAILED, error=str(exc))
        except Exception:
            logger.exception("evidence export %s failed", export_id)
            message = _("The export failed. Please try again; if it fails again, tell the center.")
            return _finish(export, state=ExportState.FAILED, error=message)
        name = f"evidence-{export.pk}-{timezone.localdate():%Y%m%d}.xlsx"
        export.file.save(name, ContentFile(content), save=False)
        return _finish(export, state=ExportState.DONE, error="")


def _build(export: EvidenceExport) -> bytes:
    requester = export.requested_by
    if not has_perm(requester, Perm.EVIDENCE_EXPORT):
        raise _Refused(_("You may no longer export evidence packs."))
    picked = EvidenceExport.staff.through.objects.filter(evidenceexport_id=export.pk)
    people = staff_list_for_user(requester).filter(pk__in=picked.values("staff_id"))
    ids = list(
        people.order_by("department__code", "staff_number", "id").values_list("pk", flat=True)
    )
    if len(ids) != export.total:
        raise _Refused(_("Some of the people picked are no longer in your scope."))
    book = PackWorkbook(batch=True)
    by_id = staff_list_for_user(requester)
    cache: dict = {}
    try:
        for first in range(0, len(ids), BATCH_SIZE):
            chunk = ids[first : first + BATCH_SIZE]
            rows = {person.pk: person for person in by_id.filter(pk__in=chunk)}
            packs = build_packs(
                [rows[pk] for pk in chunk],
                start=export.period_start,
                end=export.period_end,
                viewer=requester,
                cache=cache,
            )
            for pack in packs:
                book.add(pack)
            EvidenceExport.objects.filter(pk=export.pk).update(done=first + len(chunk))
    except BaseException:
        book.discard()
        raise
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _finish(export: EvidenceExport, *, state: str, error: str) -> EvidenceExport:
    export.refresh_from_db(fields=["done"])
    export.state = state
    export.error = error
    export.finished_at = timezone.now()
    reason = (
        _("Evidence export built") if state == ExportState.DONE else _("Evidence export failed")
    )
    with audited(actor=export.requested_by, reason=reason):  # built on their behalf
        export.save(update_fields=["state", "error", "finished_at", "file"])
    return export
