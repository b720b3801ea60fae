"""Roster import (dry run, then all-or-nothing commit) and export. Service functions: the
browser, the API and tests all import through ``roster_import``."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core import spreadsheets

from . import idcard
from .permissions import Perm, has_perm
from .resources import COLUMNS, StaffResource


class RosterFileError(ValueError):
    """The file cannot be read at all (wrong type, corrupt, too many rows)."""


@dataclass
class RowOutcome:
    number: int  # the row number as a spreadsheet shows it (the header is row 1)
    staff_number: str
    name: str
    action: str  # "new", "update", "skip", "invalid"
    errors: list[str] = field(default_factory=list)


@dataclass
class RosterResult:
    rows: list[RowOutcome]
    file_errors: list[str]
    committed: bool = False
    version: str = ""  # of the stored people the file updates (roster_import's ``version``)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


# Longer than any column of the roster: such a cell is refused as too long by validation, and
# its error shows this much of it at most (a 300 MB name cell once made a 314 MB error page).
CELL_MAX_CHARS = 200


def _capped(value: Any) -> Any:
    if isinstance(value, str) and len(value) > CELL_MAX_CHARS:
        return value[:CELL_MAX_CHARS]
    return value


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """Parse xlsx or csv into a Dataset. Raises RosterFileError with a translated reason."""
    suffix = Path(filename).suffix.lower()
    limit = settings.CENTER["ROSTER_IMPORT_MAX_ROWS"]
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise RosterFileError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from exc
        try:
            dataset = tablib.Dataset().load(text, format="csv")
        except Exception as exc:
            raise RosterFileError(_("The CSV file could not be read.")) from exc
        if len(dataset) <= limit:
            capped = tablib.Dataset(headers=dataset.headers)
            for values in dataset:
                capped.append([_capped(v) for v in values])
            dataset = capped
    elif suffix == ".xlsx":
        dataset = next(iter(read_sheets(content, first_only=True).values()))
    else:
        raise RosterFileError(_("Only .xlsx and .csv files can be imported."))
    if dataset.headers:
        dataset.headers = [str(h).strip() for h in dataset.headers]
    if len(dataset) > limit:
        raise RosterFileError(_("The file has more than %(limit)d rows.") % {"limit": limit})
    if len(dataset) == 0:
        raise RosterFileError(_("The file has no data rows."))
    return dataset


def read_sheets(content: bytes, *, first_only: bool = False) -> dict[str, tablib.Dataset]:
    """Every sheet of an xlsx workbook (or its first only) by title, read as the roster is: the
    first row is the headers (stripped), blank rows are dropped, cells are capped, the sheet's
    declared size is not trusted, and at most ``ROSTER_IMPORT_MAX_ROWS`` rows a sheet. Raises
    RosterFileError with a translated reason."""
    limit = settings.CENTER["ROSTER_IMPORT_MAX_ROWS"]
    sheets: dict[str, tablib.Dataset] = {}
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            # Files written by other tools often declare a smaller <dimension> than they hold;
            # read-only openpyxl stops there unless told to read the sheet as it is.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True)
            headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            dataset = tablib.Dataset(headers=headers)
            for index, row in enumerate(rows):
                if index >= limit:
                    raise RosterFileError(
                        _("The file has more than %(limit)d rows.") % {"limit": limit}
                    )
                values = [_capped(v) for v in list(row)[: len(headers)]]
                values += [None] * (len(headers) - len(values))
                if any(v not in (None, "") for v in values):
                    dataset.append(values)
            sheets[str(sheet.title).strip()] = dataset
        workbook.close()
    except RosterFileError:
        raise
    except Exception as exc:
        raise RosterFileError(_("The file is not a readable .xlsx workbook.")) from exc
    if not sheets:
        raise RosterFileError(_("The file is not a readable .xlsx workbook."))
    return sheets


def _outcomes(result, dataset: tablib.Dataset) -> RosterResult:
    labels = dict(COLUMNS)
    rows: dict[int, RowOutcome] = {}
    number_column = COLUMNS["staff_number"]
    name_column = COLUMNS["name"]
    raw_rows = dataset.dict  # tablib builds this list on every access: once only

    def outcome(index: int) -> RowOutcome:
        if index not in rows:
            raw = raw_rows[index - 1]
            rows[index] = RowOutcome(
                number=index + 1,
                staff_number=str(raw.get(number_column) or ""),
                name=str(raw.get(name_column) or ""),
                action="new",
            )
        return rows[index]

    for index, row_result in enumerate(result.rows, start=1):
        outcome(index).action = row_result.import_type
    for invalid in result.invalid_rows:
        item = outcome(invalid.number)
        item.action = "invalid"
        for name, messages in invalid.error_dict.items():
            label = labels.get(name, "")
            for message in messages:
                item.errors.append(f"{label}：{message}" if label else str(message))
    for number, errors in result.row_errors():
        item = outcome(number)
        item.action = "invalid"
        for error in errors:
            item.errors.append(_error_text(error.error))
    file_errors = [_error_text(e.error) for e in result.base_errors]
    if file_errors:  # the columns are wrong: no row could be read, so no row is blamed
        return RosterResult(rows=[], file_errors=file_errors)
    return RosterResult(rows=[rows[k] for k in sorted(rows)], file_errors=file_errors)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, (ValueError, PermissionDenied)):
        return str(exc)
    return _("This row could not be saved (%(kind)s).") % {"kind": type(exc).__name__}


def roster_import(
    *, actor: Any, content: bytes, filename: str, commit: bool, version: str | None = None
) -> RosterResult:
    """Validate every row; with ``commit``, write them all in one transaction or none at all.

    The people a commit updates are locked while it runs, so an edit made meanwhile waits and
    then applies to (and is audited against) what the import wrote. ``version`` is the preview's
    (``RosterResult.version``): when someone saved one of those people after the preview, the
    commit writes nothing and says so — the file was checked against what they were then.

    A liaison can create and update only people of their own departments. Raises
    PermissionDenied for a user who may not import, RosterFileError for an unreadable file.
    """
    if not has_perm(actor, Perm.STAFF_IMPORT):
        raise PermissionDenied(_("You are not allowed to import the roster."))
    dataset = read_dataset(content, filename)
    reason = _("Roster import from %(file)s") % {"file": filename}
    # Rows are validated against one bulk look-up (see StaffResource.before_import), so the dry run
    # writes nothing at all, and the commit runs in one transaction without per-row savepoints:
    # any error rolls the whole file back.
    with transaction.atomic():
        # import_data() would force per-row savepoints (and saves) on a dry run; the inner step
        # with using_transactions=False skips saving on a dry run and savepoints on a commit.
        resource = StaffResource(user=actor, reason=reason)
        result = resource.import_data_inner(
            dataset,
            dry_run=not commit,
            raise_errors=False,
            using_transactions=False,
            collect_failed_rows=False,
        )
        outcome = _outcomes(result, dataset)
        outcome.version = resource.version()
        if commit and version is not None and version != outcome.version:
            transaction.set_rollback(True)
            outcome.file_errors.append(
                _(
                    "Some of the people in this file were changed after your preview; nothing "
                    "was imported. Upload the file again to check it against their records now."
                )
            )
            return outcome
        if not outcome.ok:
            transaction.set_rollback(True)
            return outcome
        if not commit:
            return outcome
    outcome.committed = True
    return outcome


def roster_template() -> bytes:
    """An empty roster with the headers and one example row."""
    first17 = "51040219900101123"
    example = [
        "A0001",
        "张三",
        "男",
        "1990-01-01",
        first17 + idcard.check_digit(first17),
        "13800000000",
        "中共党员",
        "公务员",
        "一级科员",
        "大学本科",
        "D01",
        "窗口工作人员",
        "在岗",
        "否",
    ]
    return spreadsheets.xlsx_bytes([("人员名册", list(COLUMNS.values()), [example])])


def roster_export(*, actor: Any, queryset, fmt: str) -> tuple[bytes, str, str]:
    """The given (already scoped and filtered) people as xlsx or csv, formula-safe, with ID
    numbers masked unless the actor may read them, built in memory: for a bounded number of
    people (the browser's inline export, ``roster_exports.inline_max()``); a larger export is a
    background job (``roster_exports.roster_export_request``)."""
    from .roster_exports import write_roster

    if not has_perm(actor, Perm.STAFF_EXPORT):
        raise PermissionDenied(_("You are not allowed to export the roster."))
    buffer = io.BytesIO()
    write_roster(actor=actor, queryset=queryset, fmt=fmt, out=buffer)
    if fmt == "csv":
        return buffer.getvalue(), "text/csv; charset=utf-8", "csv"
    return buffer.getvalue(), spreadsheets.XLSX_CONTENT_TYPE, "xlsx"
