"""Hostile roster uploads through the real page: each gets a clear Chinese error, nothing is
written (no person, no audit entry, no stored upload)."""

from __future__ import annotations

import io
import os

import pytest
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from staff.models import Staff

from .helpers import roster_row, roster_xlsx, valid_id, zh

pytestmark = pytest.mark.django_db

IMPORT = "staff:import"


def stored_uploads() -> list[str]:
    try:
        return default_storage.listdir("imports")[1]
    except FileNotFoundError:
        return []


def post_file(client, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse(IMPORT), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.fixture
def admin_client(as_user, admin_user, dept_a):
    return as_user(admin_user)


@pytest.fixture
def unchanged():
    """Asserts, after the test, that nothing was written."""
    people, entries, uploads = Staff.objects.count(), LogEntry.objects.count(), stored_uploads()
    yield
    assert Staff.objects.count() == people
    assert LogEntry.objects.count() == entries
    assert stored_uploads() == uploads


WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + os.urandom(2000)


@pytest.mark.parametrize(
    ("name", "content", "msgid"),
    [
        ("setup.exe", WINDOWS_EXE, "Only .xlsx and .csv files can be imported."),
        ("名册.txt", "工号,姓名\nA1,张三\n".encode(), "Only .xlsx and .csv files can be imported."),
        ("名册.xlsx", WINDOWS_EXE, "The file is not a readable .xlsx workbook."),
        ("名册.xlsx", os.urandom(4096), "The file is not a readable .xlsx workbook."),
        (
            "名册.xlsx",
            b"PK\x03\x04" + os.urandom(512),
            "The file is not a readable .xlsx workbook.",
        ),
        ("名册.xlsx", b"", "The submitted file is empty."),
        ("名册.csv", b"\xff\xfe\x00\xd8" * 100, "The CSV file is neither UTF-8 nor GB18030 text."),
    ],
    ids=["exe", "txt", "exe-renamed-xlsx", "random-bytes", "zip-garbage", "empty", "binary-csv"],
)
def test_unreadable_files_are_refused(admin_client, unchanged, name, content, msgid):
    response = post_file(admin_client, name, content)
    assert response.status_code == 400
    assert zh(msgid) in response.content.decode()
    assert b'data-testid="confirm-import"' not in response.content


def test_oversized_file_is_refused(admin_client, unchanged, settings):
    settings.CENTER = {**settings.CENTER, "ROSTER_IMPORT_MAX_BYTES": 1024 * 1024}
    content = roster_xlsx([]) + b"\0" * (1024 * 1024)
    response = post_file(admin_client, "名册.xlsx", content)
    assert response.status_code == 400
    assert zh("The file is larger than %(mb)d MB.", mb=1) in response.content.decode()


def test_too_many_rows_are_refused(admin_client, unchanged, settings, dept_a):
    settings.CENTER = {**settings.CENTER, "ROSTER_IMPORT_MAX_ROWS": 5}
    rows = [
        roster_row(f"R{i:03d}", "某人", valid_id(f"5104021990010{i:03d}1"), "A") for i in range(6)
    ]
    response = post_file(admin_client, "名册.xlsx", roster_xlsx(rows))
    assert response.status_code == 400
    assert zh("The file has more than %(limit)d rows.", limit=5) in response.content.decode()
    # The same for CSV.
    csv = "\n".join(",".join(str(v) for v in row) for row in [list(range(14)), *rows])
    response = post_file(admin_client, "名册.csv", csv.encode())
    assert response.status_code == 400
    assert zh("The file has more than %(limit)d rows.", limit=5) in response.content.decode()


def test_a_header_only_file_is_refused(admin_client, unchanged):
    response = post_file(admin_client, "名册.xlsx", roster_xlsx([]))
    assert response.status_code == 400
    assert zh("The file has no data rows.") in response.content.decode()


PAYLOADS = [
    "=cmd|'/c calc'!A1",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|'/c calc'!A0",
]


def test_formula_cells_are_neutralized_after_import_and_export(admin_client, dept_a):
    rows = [
        roster_row(f"F{i}", payload, valid_id(f"510402199102{10 + i}00{i}"), "A")
        for i, payload in enumerate(PAYLOADS)
    ]
    content = roster_xlsx(rows, literal_strings=True)
    checked = post_file(admin_client, "名册.xlsx", content)
    assert checked.status_code == 200, checked.content.decode()
    token = checked.context["token"]
    confirmed = admin_client.post(reverse(IMPORT), {"token": token})
    assert confirmed.status_code == 302
    stored = dict(
        Staff.objects.filter(staff_number__startswith="F").values_list("staff_number", "name")
    )
    assert stored == {f"F{i}": payload for i, payload in enumerate(PAYLOADS)}  # kept as typed

    response = admin_client.get(reverse("staff:export"), {"format": "xlsx", "q": "F"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for i, payload in enumerate(PAYLOADS):
        cell = names[f"F{i}"]
        assert cell.value == "'" + payload
        assert cell.data_type == "s"  # a string, never a formula

    response = admin_client.get(reverse("staff:export"), {"format": "csv", "q": "F"})
    text = response.content.decode("utf-8-sig")
    for payload in PAYLOADS:
        assert f"'{payload}" in text
        assert f",{payload}" not in text


def test_a_tampered_confirmation_token_imports_nothing(admin_client, unchanged):
    response = admin_client.post(reverse(IMPORT), {"token": "forged:token"})
    assert response.status_code == 302
    assert Staff.objects.count() == 0


def test_a_real_formula_cell_is_not_evaluated_into_the_roster(admin_client, unchanged, dept_a):
    """A formula typed in Excel has no stored value for us: the name is missing, row refused."""
    row = roster_row("G1", "=cmd|'/c calc'!A1", valid_id("51040219910301001"), "A")
    response = post_file(admin_client, "名册.xlsx", roster_xlsx([row]))
    assert response.status_code == 400
    rows = response.context["result"].bad_rows
    assert [r.number for r in rows] == [2]
