"""Punches in: pushed by terminals (``punches_push``) or imported from a device's or door-card
system's export (``punch_import``). Both end in ``_insert``: one INSERT per few thousand rows
with ``ON CONFLICT DO NOTHING`` on (source, record id), so a repeat is a no-op."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited, log_bulk
from core.feeds import parse_moment
from core.imports import ImportReport
from core.models import SystemClient
from core.spreadsheets import header_map, table_rows
from core.system_clients import client_audited
from staff.models import Staff
from staff.permissions import Perm, has_perm

from ..conf import conf
from ..models import Punch, PunchMethod

BATCH = 5000


class PunchFileError(ValueError):
    """The file cannot be read at all."""


METHODS = {
    "fingerprint": PunchMethod.FINGERPRINT,
    "指纹": PunchMethod.FINGERPRINT,
    "face": PunchMethod.FACE,
    "人脸": PunchMethod.FACE,
    "刷脸": PunchMethod.FACE,
    "card": PunchMethod.CARD,
    "刷卡": PunchMethod.CARD,
    "门禁卡": PunchMethod.CARD,
    "卡": PunchMethod.CARD,
}


def _method(value: Any) -> str:
    return METHODS.get(str(value or "").strip().lower(), PunchMethod.OTHER)


def _insert(rows: list[Punch]) -> int:
    """Insert, ignoring rows whose (source, record id) is stored; returns the rows sent."""
    for start in range(0, len(rows), BATCH):
        Punch.objects.bulk_create(rows[start : start + BATCH], ignore_conflicts=True)
    return len(rows)


# --- push API ----------------------------------------------------------------------------------


@dataclass
class PushOutcome:
    index: int
    record_id: str
    result: str  # "created", "duplicate", "error"
    errors: list[str] = field(default_factory=list)


def punches_push(*, client: SystemClient, items: list[dict[str, Any]]) -> list[PushOutcome]:
    """Record a terminal's batch. Each item: ``staff_number``, ``at`` (ISO 8601; a time without
    zone is the center's), ``record_id`` (the device's own, unique per client), optional
    ``device`` and ``method``. Good rows are stored even when others are bad (a terminal resends
    only the failed ones); a row already stored is ``duplicate`` and changes nothing."""
    if not client.has_scope("attendance.punch"):
        raise PermissionDenied(_("This client may not record punches."))
    source = f"client:{client.pk}"
    numbers = {str(item.get("staff_number") or "").strip() for item in items}
    people = dict(
        Staff.objects.filter(staff_number__in=numbers - {""}).values_list("staff_number", "id")
    )
    record_ids = [str(item.get("record_id") or "").strip() for item in items]
    stored = set(
        Punch.objects.filter(source=source, record_id__in=set(record_ids) - {""}).values_list(
            "record_id", flat=True
        )
    )
    outcomes, new, seen = [], [], set()
    now = timezone.now()
    for index, item in enumerate(items):
        record_id = record_ids[index]
        errors = []
        staff_id = people.get(str(item.get("staff_number") or "").strip())
        if staff_id is None:
            errors.append(_("Unknown staff number."))
        moment = parse_moment(item.get("at"))
        if moment is None:
            errors.append(_("The time is not a date and time."))
        elif moment > now + timedelta(minutes=5):
            errors.append(_("The time is in the future."))
        if not record_id or len(record_id) > 80:
            errors.append(_("A record id of 1 to 80 characters is required."))
        if errors:
            outcomes.append(PushOutcome(index, record_id, "error", errors))
            continue
        if record_id in stored or record_id in seen:
            outcomes.append(PushOutcome(index, record_id, "duplicate"))
            continue
        seen.add(record_id)
        new.append(
            Punch(
                staff_id=staff_id,
                at=moment,
                device=str(item.get("device") or "")[:60],
                method=_method(item.get("method")),
                source=source,
                record_id=record_id,
                client=client,
            )
        )
        outcomes.append(PushOutcome(index, record_id, "created"))
    if new:
        with transaction.atomic(), client_audited(client, reason=_("Punches from a terminal")):
            _insert(new)
            log_bulk(
                actor=None,
                model=Punch,
                action="push",
                count=len(new),
                reason=_("Punches from %(client)s") % {"client": client.audit_label},
            )
    return outcomes


# --- file import ---------------------------------------------------------------------------------

COLUMNS = {
    "staff_number": ("工号", "人员编号", "staff number", "staff_number"),
    "at": ("打卡时间", "时间", "刷卡时间", "time", "at"),
    "device": ("设备", "设备名称", "考勤机", "门禁点", "device"),
    "method": ("验证方式", "方式", "method"),
    "record_id": ("记录号", "流水号", "记录编号", "record id", "record_id"),
}


@dataclass
class PunchImportResult(ImportReport):
    rows: int = 0
    new: int = 0
    already: int = 0


def _rows(content: bytes, filename: str):
    return table_rows(content, filename, error=PunchFileError)


def _header_map(header: list[Any]) -> dict[str, int]:
    return header_map(header, COLUMNS, ("staff_number", "at"), error=PunchFileError)


def punch_import(*, actor: Any, content: bytes, filename: str, commit: bool) -> PunchImportResult:
    """Check every row of a punch export (dry run) and, with ``commit`` and no bad row, store
    them all in one transaction (all or nothing). Rows already stored (same device and record
    id) are counted and skipped. Without a record-id column, the record id is the digest of
    staff number, time and device, so a re-import of the same file stores nothing twice.
    Raises PermissionDenied or PunchFileError."""
    if not has_perm(actor, Perm.ATTENDANCE_MANAGE):
        raise PermissionDenied(_("You are not allowed to import punches."))
    if len(content) > conf("IMPORT_MAX_BYTES"):
        raise PunchFileError(_("The file is too large."))
    rows = _rows(content, filename)
    header = next(rows, None)
    if not header:
        raise PunchFileError(_("The file has no data rows."))
    columns = _header_map(list(header))
    people = dict(Staff.objects.values_list("staff_number", "id"))
    limit = conf("IMPORT_MAX_ROWS")
    result = PunchImportResult()
    candidates: list[tuple] = []  # (staff_id, at, device, method, source, record_id)
    seen: set[tuple[str, str]] = set()
    now = timezone.now()
    i_number, i_at = columns["staff_number"], columns["at"]
    i_device, i_method = columns.get("device"), columns.get("method")
    i_record = columns.get("record_id")
    for number, values in enumerate(rows, start=2):
        values = list(values)
        if not any(v not in (None, "") for v in values):
            continue
        result.rows += 1
        if result.rows > limit:
            raise PunchFileError(_("The file has more than %(limit)d rows.") % {"limit": limit})

        def cell(index, values=values):
            return values[index] if index is not None and index < len(values) else None

        staff_number = str(cell(i_number) or "").strip()
        if isinstance(cell(i_number), float) and cell(i_number).is_integer():
            staff_number = str(int(cell(i_number)))
        staff_id = people.get(staff_number)
        if staff_id is None:
            result.add_error(
                number,
                _("Row %(row)d: unknown staff number “%(value)s”.")
                % {"row": number, "value": staff_number[:40]},
            )
            continue
        moment = parse_moment(cell(i_at))
        if moment is None:
            result.add_error(
                number,
                _("Row %(row)d: “%(value)s” is not a date and time.")
                % {"row": number, "value": str(cell(i_at) or "")[:40]},
            )
            continue
        if moment > now:
            result.add_error(number, _("Row %(row)d: the time is in the future.") % {"row": number})
            continue
        device = str(cell(i_device) or "").strip()[:60]
        record_id = str(cell(i_record) or "").strip()
        if not record_id:
            record_id = hashlib.sha256(
                f"{staff_number}|{moment.isoformat()}|{device}".encode()
            ).hexdigest()[:40]
        elif len(record_id) > 80:
            result.add_error(number, _("Row %(row)d: the record id is too long.") % {"row": number})
            continue
        source = f"device:{device}"[:120]
        key = (source, record_id)
        if key in seen:
            result.add_error(
                number,
                _("Row %(row)d: the same record appears twice in the file.") % {"row": number},
            )
            continue
        seen.add(key)
        candidates.append((staff_id, moment, device, _method(cell(i_method)), source, record_id))
    if result.rows == 0:
        raise PunchFileError(_("The file has no data rows."))
    if not result.ok:
        return result
    with (
        transaction.atomic(),
        audited(actor=actor, reason=_("Punch import from %(file)s") % {"file": filename}),
    ):
        result.already, inserted = _store(candidates, commit=commit)
        result.new = len(candidates) - result.already
        if not commit:
            return result
        result.new = inserted
        log_bulk(
            actor=actor,
            model=Punch,
            action="import",
            count=result.new,
            reason=_("Punch import from %(file)s") % {"file": filename},
        )
    result.committed = True
    return result


def _store(rows: list[tuple], *, commit: bool) -> tuple[int, int]:
    """How many of ``rows`` are stored already and, with ``commit``, insert the others; returns
    (already stored, inserted). Runs inside the caller's transaction.

    On PostgreSQL the rows are copied (``COPY``) into a temporary table, counted against the
    stored punches with one join and inserted with one ``INSERT … ON CONFLICT DO NOTHING``:
    400,000 rows in seconds. Elsewhere, look-ups and ``bulk_create`` in batches."""
    if connection.vendor == "postgresql":
        return _store_postgresql(rows, commit=commit)
    keys: dict[str, list[str]] = {}
    for row in rows:
        keys.setdefault(row[4], []).append(row[5])
    already = 0
    for source, record_ids in keys.items():
        for start in range(0, len(record_ids), 500):
            already += Punch.objects.filter(
                source=source, record_id__in=record_ids[start : start + 500]
            ).count()
    if not commit:
        return already, 0
    before = Punch.objects.count()
    _insert(
        [
            Punch(staff_id=a, at=b, device=c, method=d, source=e, record_id=f)
            for a, b, c, d, e, f in rows
        ]
    )
    return already, Punch.objects.count() - before


def _store_postgresql(rows: list[tuple], *, commit: bool) -> tuple[int, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for staff_id, moment, device, method, source, record_id in rows:
        writer.writerow((staff_id, moment.isoformat(), device, method, source, record_id))
    buffer.seek(0)
    table = Punch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE punch_in (staff_id integer, at timestamptz, device text,"
            " method text, source text, record_id text) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert("COPY punch_in FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute(
            f"SELECT count(*) FROM punch_in i JOIN {table} p"  # noqa: S608 (our table name)
            " ON p.source = i.source AND p.record_id = i.record_id"
        )
        already = cursor.fetchone()[0]
        inserted = 0
        if commit:
            cursor.execute(
                f"INSERT INTO {table} (staff_id, at, device, method, source, record_id,"  # noqa: S608
                " created_at) SELECT staff_id, at, device, method, source, record_id, now()"
                " FROM punch_in ON CONFLICT (source, record_id) DO NOTHING"
            )
            inserted = cursor.rowcount
        cursor.execute("DROP TABLE punch_in")
    return already, inserted


def punch_template() -> bytes:
    from core.spreadsheets import xlsx_bytes

    headers = ["工号", "打卡时间", "设备", "验证方式", "记录号"]
    sample = [["S0001", "2026-12-01 08:55:12", "一楼东门", "人脸", "100001"]]
    return xlsx_bytes([("打卡记录", headers, sample)])
