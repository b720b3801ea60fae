"""The go-live import (issue #16): who is stationed where since when, the chief representatives'
letters, and the law-enforcement certificates, from one workbook — so a center goes live without
one vetted transfer per person.

The workbook has two sheets, each optional (at least one): ``派驻人员`` (a row per person now at a
window) and ``执法证`` (a row per certificate). It goes through the roster's flow: a dry run lists
every row's outcome, every error of the file at once with its sheet and row number, and nothing is
written until the whole file is clean; then all of it or nothing. Rows are written by the
services, not here — certificates by ``staff.services.certificate_add``, stationings by
``stationing_record_existing``, chief letters by ``appointment_file`` — so the rules they enforce
(non-overlapping stationings, the department's windows, chief eligibility, one chief a window)
hold for the import too; the dry run runs the very same writes in a transaction it rolls back.
Certificates go first, so a chief's eligibility sees the certificates of the same file.

Long because: one all-or-nothing import read top to bottom — the workbook's two sheets and their
columns, the row bookkeeping every reader shares (``_Rows``), certificates then stationings with
their letters through the services, and the template of the same columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import events, spreadsheets
from staff.models import Certificate, Staff
from staff.permissions import Perm, has_perm
from staff.roster import RosterFileError, RowOutcome, read_sheets
from staff.roster_cells import BooleanWidget, DateWidget, TextWidget
from staff.services import certificate_add

from .models import ChiefAppointment, Post, ServiceItem, Window
from .services import appointment_file, stationing_record_existing

STATIONING_SHEET = "派驻人员"
CERTIFICATE_SHEET = "执法证"
STATIONING_COLUMNS = {
    "staff_number": "工号",
    "window": "窗口编码",
    "post": "岗位",
    "start_date": "派驻日期",
    "chief": "首席代表",
    "appointment_number": "任命书文号",
    "authorization_number": "授权书文号",
    "valid_from": "任命日期",
    "items": "授权事项编码",
    "authority": "授权权限",
}
STATIONING_REQUIRED = ("staff_number", "window", "start_date")
CERTIFICATE_COLUMNS = {
    "staff_number": "工号",
    "kind": "证件类型",
    "number": "证件号码",
    "issued_on": "发证日期",
    "expires_on": "有效期至",
}
CERTIFICATE_REQUIRED = ("staff_number", "number", "issued_on", "expires_on")
# The system records law-enforcement certificates only (what the chief rule reads).
CERTIFICATE_KINDS = {"", "执法证", "行政执法证", "执法证件", "law-enforcement certificate"}
POST_ALIASES = {
    "首席代表": Post.CHIEF_REPRESENTATIVE,
    "窗口工作人员": Post.STAFF,
    "B岗": Post.BACKUP,
}
AUTHORITY_WORDS = {"受理": "can_accept", "审查": "can_review", "决定": "can_decide"}
SEPARATORS = re.compile(r"[,，、;；\s]+")


@dataclass
class SheetOutcome:
    title: str
    rows: list[RowOutcome] = field(default_factory=list)


@dataclass
class GoLiveResult:
    sheets: list[SheetOutcome]
    file_errors: list[str]
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows

    @property
    def bad_rows(self) -> list[tuple[str, RowOutcome]]:
        return [(s.title, r) for s in self.sheets for r in s.rows if r.errors]

    def count(self, action: str, sheet: str | None = None) -> int:
        return sum(
            1
            for s in self.sheets
            if sheet is None or s.title == sheet
            for r in s.rows
            if r.action == action
        )


def _post_lookup() -> dict[str, str]:
    """A post by its code, its English or Chinese label (every post the model has) or a
    common way of writing it."""
    lookup = {value: value for value in Post.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup |= {str(label).lower(): value for value, label in Post.choices}
    return lookup | POST_ALIASES


# A service's error keys, as the columns of the stationing sheet.
SERVICE_FIELDS = {"staff": "staff_number", "window": "window", "start_date": "start_date"}
SERVICE_FIELDS |= {"post": "post", "items": "items", "valid_from": "valid_from"}


def _messages(
    exc: ValidationError | PermissionDenied, fields: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(column field, message) pairs of a service's error; ``fields`` maps its keys to ours
    (the same names when not given)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            (name if fields is None else fields.get(name, ""), message)
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    if isinstance(exc, ValidationError):
        return [("", message) for message in exc.messages]
    return [("", str(exc))]


class _Rows:
    """A sheet's rows as dicts keyed by our field names, each with its outcome."""

    def __init__(self, title: str, dataset, columns: dict[str, str], required: tuple[str, ...]):
        self.outcome = SheetOutcome(title=title)
        self.columns = columns
        headers = dataset.headers or []
        missing = [columns[f] for f in required if columns[f] not in headers]
        self.file_error = ""
        if missing:
            unknown = [h for h in headers if h and h not in columns.values()]
            self.file_error = _("Sheet %(sheet)s: missing columns: %(columns)s.") % {
                "sheet": title,
                "columns": "、".join(missing),
            }
            if unknown:
                self.file_error += " " + _("Unknown columns: %(columns)s.") % {
                    "columns": "、".join(unknown)
                }
        self.raw = [] if missing else dataset.dict

    def __iter__(self):
        for index, raw in enumerate(self.raw, start=2):  # row 1 is the headers
            values = {name: raw.get(column) for name, column in self.columns.items()}
            number = TextWidget().clean(values.get("staff_number"))
            row = RowOutcome(number=index, staff_number=number, name="", action="new")
            self.outcome.rows.append(row)
            yield row, values

    def error(self, row: RowOutcome, name: str, message: str) -> None:
        label = self.columns.get(name, "")
        row.errors.append(f"{label}：{message}" if label else str(message))
        row.action = "invalid"


class _Invalid(str):
    """A cell that could not be read (its error is already on the row): blank downstream."""


def _cell(rows: _Rows, row: RowOutcome, values: dict, name: str, widget) -> Any:
    try:
        return widget.clean(values.get(name))
    except ValueError as exc:
        rows.error(row, name, str(exc))
        return _Invalid()


def _required(rows: _Rows, row: RowOutcome, value: Any, name: str) -> Any:
    if isinstance(value, _Invalid):
        return None
    if value in (None, ""):
        rows.error(row, name, _("This column is required."))
    return value


def go_live_import(*, actor: Any, content: bytes, filename: str, commit: bool) -> GoLiveResult:
    """Check every row of both sheets; with ``commit``, write them all in one transaction or
    none. Raises PermissionDenied without ``Perm.STATIONING_IMPORT`` (the center), and
    RosterFileError for a file that cannot be read."""
    if not has_perm(actor, Perm.STATIONING_IMPORT):
        raise PermissionDenied(_("You are not allowed to import stationings."))
    if not filename.lower().endswith(".xlsx"):
        raise RosterFileError(_("Only .xlsx workbooks can be imported here."))
    sheets = read_sheets(content)
    found = {
        title: sheets[title] for title in (CERTIFICATE_SHEET, STATIONING_SHEET) if title in sheets
    }
    if not found:
        raise RosterFileError(
            _("The workbook has neither a sheet named %(a)s nor one named %(b)s.")
            % {"a": STATIONING_SHEET, "b": CERTIFICATE_SHEET}
        )
    reason = _("Go-live import from %(file)s") % {"file": filename}
    certificates = (
        _Rows(
            CERTIFICATE_SHEET, found[CERTIFICATE_SHEET], CERTIFICATE_COLUMNS, CERTIFICATE_REQUIRED
        )
        if CERTIFICATE_SHEET in found
        else None
    )
    stationings = (
        _Rows(STATIONING_SHEET, found[STATIONING_SHEET], STATIONING_COLUMNS, STATIONING_REQUIRED)
        if STATIONING_SHEET in found
        else None
    )
    parts = [p for p in (stationings, certificates) if p is not None]
    file_errors = [p.file_error for p in parts if p.file_error]
    result = GoLiveResult(sheets=[p.outcome for p in parts], file_errors=file_errors)
    if file_errors:
        return result
    numbers = {
        TextWidget().clean(raw.get(part.columns["staff_number"]))
        for part in parts
        for raw in part.raw
    }
    people = {p.staff_number: p for p in Staff.objects.filter(staff_number__in=numbers)}
    with transaction.atomic():
        if certificates is not None:
            _import_certificates(certificates, people, actor=actor, reason=reason)
        stationed: list[int] = []
        if stationings is not None:
            stationed = _import_stationings(stationings, people, actor=actor, reason=reason)
        if not result.ok or not commit:
            transaction.set_rollback(True)
            return result
        # What a transfer taking effect announces, for every new stationing at once.
        events.emit(events.STAFF_EVENT, staff_ids=stationed)
    result.committed = True
    return result


def _person(rows: _Rows, row: RowOutcome, people: dict[str, Staff]) -> Staff | None:
    if not row.staff_number:
        rows.error(row, "staff_number", _("This column is required."))
        return None
    person = people.get(row.staff_number)
    if person is None:
        rows.error(
            row,
            "staff_number",
            _("No person with staff number %(number)s; import the roster first.")
            % {"number": row.staff_number},
        )
        return None
    row.name = person.name
    return person


def _import_certificates(rows: _Rows, people: dict[str, Staff], *, actor: Any, reason: str):
    text, day = TextWidget(), DateWidget()
    parsed = []
    for row, values in rows:
        person = _person(rows, row, people)
        kind = _cell(rows, row, values, "kind", text) or ""
        if kind.lower() not in CERTIFICATE_KINDS:
            rows.error(
                row,
                "kind",
                _("Only law-enforcement certificates (执法证) are recorded, not “%(kind)s”.")
                % {"kind": kind},
            )
        number = _required(rows, row, _cell(rows, row, values, "number", text), "number")
        issued = _required(rows, row, _cell(rows, row, values, "issued_on", day), "issued_on")
        expires = _required(rows, row, _cell(rows, row, values, "expires_on", day), "expires_on")
        parsed.append((row, person, number, issued, expires))
    repeated = _repeated(number for _row, _p, number, _i, _e in parsed)
    stored = {
        c.number: c for c in Certificate.objects.filter(number__in=[p[2] for p in parsed if p[2]])
    }
    for row, person, number, issued, expires in parsed:
        if number in repeated:
            rows.error(
                row,
                "number",
                _("Certificate %(number)s appears more than once.") % {"number": number},
            )
        if row.errors:
            continue
        existing = stored.get(number)
        if existing is not None:
            same = (existing.staff_id, existing.issued_on, existing.expires_on) == (
                person.pk,
                issued,
                expires,
            )
            if same:
                row.action = "skip"
            else:
                rows.error(
                    row,
                    "number",
                    _("Certificate %(number)s is already recorded with other details.")
                    % {"number": number},
                )
            continue
        try:
            with transaction.atomic():
                certificate_add(
                    actor=actor,
                    staff=person,
                    number=number,
                    issued_on=issued,
                    expires_on=expires,
                    reason=reason,
                )
        except (ValidationError, PermissionDenied) as exc:
            for name, message in _messages(exc):
                rows.error(row, name if name in rows.columns else "", message)


def _import_stationings(
    rows: _Rows, people: dict[str, Staff], *, actor: Any, reason: str
) -> list[int]:
    """Write each good row through the services (a savepoint each); returns the people newly
    stationed."""
    stationed: list[int] = []
    text, day, yes_no = TextWidget(), DateWidget(), BooleanWidget()
    posts = _post_lookup()
    parsed = []
    for row, values in rows:
        person = _person(rows, row, people)
        window_code = _required(rows, row, _cell(rows, row, values, "window", text), "window")
        post_text = _cell(rows, row, values, "post", text) or ""
        post = posts.get(post_text) or posts.get(post_text.lower()) if post_text else Post.STAFF
        if post is None:
            rows.error(
                row,
                "post",
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": post_text, "allowed": "、".join(POST_ALIASES)},
            )
        start = _required(rows, row, _cell(rows, row, values, "start_date", day), "start_date")
        chief = bool(_cell(rows, row, values, "chief", yes_no))
        if post == Post.CHIEF_REPRESENTATIVE:
            if values.get("chief") not in (None, "") and not chief:
                rows.error(row, "chief", _("The post says chief representative, this column 否."))
            chief = True
        letter = {}
        if chief:
            letter = {
                "appointment_number": _required(
                    rows,
                    row,
                    _cell(rows, row, values, "appointment_number", text),
                    "appointment_number",
                ),
                "authorization_number": _required(
                    rows,
                    row,
                    _cell(rows, row, values, "authorization_number", text),
                    "authorization_number",
                ),
                "valid_from": _required(
                    rows, row, _cell(rows, row, values, "valid_from", day), "valid_from"
                ),
                "items": [
                    c for c in SEPARATORS.split(_cell(rows, row, values, "items", text) or "") if c
                ],
                "authority": _authority(rows, row, _cell(rows, row, values, "authority", text)),
            }
            if letter["valid_from"] and start and letter["valid_from"] < start:
                rows.error(
                    row, "valid_from", _("The letter cannot be dated before the stationing.")
                )
        parsed.append((row, person, window_code, post, start, letter))
    repeated = _repeated(row.staff_number for row, *_rest in parsed)
    windows = {
        w.code.lower(): w
        for w in Window.objects.filter(
            code__in={code for _r, _p, code, *_rest in parsed if code}
        ).prefetch_related("service_items")
    }
    # A case-insensitive code: Window.code is unique as written; look again without case.
    missing = {c.lower() for _r, _p, c, *_rest in parsed if c and c.lower() not in windows}
    if missing:
        for window in Window.objects.prefetch_related("service_items"):
            if window.code.lower() in missing:
                windows[window.code.lower()] = window
    for row, person, window_code, post, start, letter in parsed:
        if row.staff_number in repeated:
            rows.error(
                row,
                "staff_number",
                _("Staff number %(number)s appears more than once in the sheet.")
                % {"number": row.staff_number},
            )
        window = windows.get((window_code or "").lower())
        if window_code and window is None:
            rows.error(row, "window", _("No window with code %(code)s.") % {"code": window_code})
        if row.errors:
            continue
        try:
            with transaction.atomic():
                stationing, created = stationing_record_existing(
                    actor=actor,
                    staff=person,
                    window=window,
                    post=Post.STAFF if letter else post,
                    start_date=start,
                    reason=reason,
                    announce=False,
                )
                if not created:
                    row.action = "skip"
                if letter and not _filed(stationing, letter["appointment_number"]):
                    items = _items(rows, row, window, letter)
                    if row.errors:
                        raise ValidationError("")  # roll this row's savepoint back
                    appointment_file(
                        actor=actor,
                        stationing=stationing,
                        appointment_number=letter["appointment_number"],
                        authorization_number=letter["authorization_number"],
                        valid_from=letter["valid_from"],
                        valid_until=None,
                        items=items,
                    )
                    row.action = "new" if created else "update"
        except (ValidationError, PermissionDenied) as exc:
            for name, message in _messages(exc, SERVICE_FIELDS):
                if message:
                    rows.error(row, name, message)
        except IntegrityError:
            rows.error(row, "", _("This row conflicts with another stationing."))
        else:
            if created:
                stationed.append(person.pk)
    return stationed


def _filed(stationing, appointment_number: str) -> bool:
    return ChiefAppointment.objects.filter(
        stationing=stationing, appointment_number=appointment_number
    ).exists()


def _authority(rows: _Rows, row: RowOutcome, text: str | None) -> dict[str, bool]:
    words = [w for w in SEPARATORS.split(text or "") if w] or ["受理"]
    unknown = [w for w in words if w not in AUTHORITY_WORDS]
    if unknown:
        rows.error(
            row,
            "authority",
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": "、".join(unknown), "allowed": "、".join(AUTHORITY_WORDS)},
        )
    return {flag: word in words for word, flag in AUTHORITY_WORDS.items()}


def _items(rows: _Rows, row: RowOutcome, window: Window, letter: dict) -> list[dict]:
    """The service items the letter authorizes: those named (by code), or every item of the
    window when the cell is blank; each with the row's authority."""
    handled: dict[str, ServiceItem] = {i.code: i for i in window.service_items.all()}
    codes = letter["items"] or list(handled)
    if not codes:
        rows.error(
            row, "items", _("Window %(window)s handles no service item.") % {"window": window.code}
        )
    items = []
    for code in codes:
        item = handled.get(code)
        if item is None:
            rows.error(
                row,
                "items",
                _("%(code)s is not a service item of window %(window)s.")
                % {"code": code, "window": window.code},
            )
            continue
        items.append({"service_item": item, **letter["authority"]})
    return items


def _repeated(values) -> set:
    seen, repeated = set(), set()
    for value in values:
        if value:
            (repeated if value in seen else seen).add(value)
    return repeated


def go_live_template() -> bytes:
    """The workbook with both sheets' headers and an example row each."""
    return spreadsheets.xlsx_bytes(
        [
            (
                STATIONING_SHEET,
                list(STATIONING_COLUMNS.values()),
                [
                    ["A0001", "A-01", "窗口工作人员", "2024-03-01", "否", "", "", "", "", ""],
                    [
                        "A0002",
                        "A-01",
                        "首席代表",
                        "2023-06-01",
                        "是",
                        "攀政务任〔2023〕12号",
                        "攀政务授〔2023〕12号",
                        "2023-06-15",
                        "",
                        "受理、审查",
                    ],
                ],
            ),
            (
                CERTIFICATE_SHEET,
                list(CERTIFICATE_COLUMNS.values()),
                [["A0002", "执法证", "川执2023000123", "2023-01-10", "2029-01-09"]],
            ),
        ]
    )
