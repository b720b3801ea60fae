"""Small helpers for the security tests."""

from __future__ import annotations

import io
import re

from django.utils import translation
from openpyxl import Workbook

from staff import idcard
from staff.resources import COLUMNS

CJK = re.compile(r"[\u4e00-\u9fff]")


def zh(msgid: str, **params) -> str:
    """What the Chinese interface shows for ``msgid``; fails when the catalog lacks it."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert CJK.search(text), f"not translated to Chinese: {msgid!r}"
    return text % params if params else text


def valid_id(first17: str) -> str:
    return first17 + idcard.check_digit(first17)


def roster_row(number: str, name: str, id_number: str, department: str) -> list:
    return [
        number, name, "女", "", id_number, "13912345678", "群众", "公务员", "",
        "大学本科", department, "窗口工作人员", "在岗", "否",
    ]  # fmt: skip


def roster_xlsx(
    rows: list[list], headers: list[str] | None = None, *, literal_strings: bool = False
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or list(COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    if literal_strings:  # store text that looks like a formula as text, as a crafted file can
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
