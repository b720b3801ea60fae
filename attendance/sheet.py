"""The department's monthly attendance sheet as a spreadsheet: the page's download and the
attachment of the month-end e-mail to the home department (``attendance/reminders.py``) build
the same file here."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core import spreadsheets
from staff.models import Department

from . import selectors
from .models import DayStatus
from .services.month import SYMBOLS, month_days


def with_symbols(rows: list[dict]) -> list[dict]:
    """Each row's day cells as the sheet's symbols (``row["symbols"]``), for the page and its
    document; returns ``rows``."""
    for row in rows:
        row["symbols"] = [SYMBOLS.get(cell, "") if cell else "" for cell in row["cells"]]
    return rows


def legend() -> list[tuple[str, str]]:
    """(symbol, label) of every day status, in the statuses' order."""
    return [(SYMBOLS[code], label) for code, label in DayStatus.choices]


def sheet_filename(department: Department, month: date) -> str:
    return f"考勤月报-{department.name}-{month:%Y-%m}.xlsx"


def sheet_xlsx(department: Department, month: date) -> bytes:
    days = month_days(month)
    rows = with_symbols(selectors.department_sheet(department, days))
    headers = [
        _("staff number"),
        _("full name"),
        *[f"{d.day}" for d in days],
        _("late arrivals"),
        _("early departures"),
        _("missing punches"),
        _("half days absent"),
        _("overdue stepping out"),
    ]
    body = [
        [
            row["staff"].staff_number,
            row["staff"].name,
            *row["symbols"],
            row["late"],
            row["left_early"],
            row["missing"],
            row["absent_halves"],
            row["step_out_overdue"],
        ]
        for row in rows
    ]
    return spreadsheets.xlsx_bytes([(f"{month:%Y-%m}", headers, body)])
