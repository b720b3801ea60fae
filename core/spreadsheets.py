"""Spreadsheet helpers shared by every export: formula-injection safety and file responses."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

# A cell that starts with one of these is read as a formula (or a DDE payload) by spreadsheet
# programs. import-export's own escaping only strips "=" (see LIBRARIES.md), so we do it here.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Neutralize a value that a spreadsheet would evaluate, by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Build an xlsx file with one sheet per (title, headers, rows), streaming rows to disk."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM so that Excel on Chinese Windows opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in safe_row(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- reading an import file ---------------------------------------------------------------------


def table_rows(content: bytes, filename: str, *, error: type[Exception] = ValueError):
    """The rows of an uploaded .csv (UTF-8 or GB18030) or .xlsx (its first sheet, read without
    trusting the size the sheet declares), as an iterator of tuples. Raises ``error`` with a
    translated message when the file cannot be read."""
    import csv
    import io
    from pathlib import Path

    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise error(_("The CSV file is neither UTF-8 nor GB18030 text."))
        return csv.reader(io.StringIO(text))
    if suffix == ".xlsx":
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            return sheet.iter_rows(values_only=True)
        except Exception as exc:
            raise error(_("The file is not a readable .xlsx workbook.")) from exc
    raise error(_("Only .xlsx and .csv files can be imported."))


def header_map(
    header: Sequence[Any],
    columns: dict[str, Sequence[str]],
    required: Sequence[str],
    *,
    error: type[Exception] = ValueError,
) -> dict[str, int]:
    """Each known column's index in ``header`` (``columns``: key → its accepted names, the first
    one shown in errors); raises ``error`` naming the ``required`` columns that are missing."""
    from django.utils.translation import gettext as _

    names = [str(h or "").strip().lower() for h in header]
    found = {}
    for key, aliases in columns.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
                break
    missing = [columns[k][0] for k in required if k not in found]
    if missing:
        raise error(_("The file needs the columns %(columns)s.") % {"columns": "、".join(missing)})
    return found
