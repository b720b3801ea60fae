"""The go-live import (issue #16): existing stationings, chief letters and certificates, with the
roster's dry run, all-or-nothing and row-numbered errors, and the rules of the services."""

import io
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from staff.models import Certificate, EmploymentType
from staff.roster import RosterFileError
from windows.models import ChiefAppointment, EndReason, Post, Stationing
from windows.stationing_import import (
    CERTIFICATE_COLUMNS,
    CERTIFICATE_SHEET,
    STATIONING_COLUMNS,
    STATIONING_SHEET,
    go_live_import,
    go_live_template,
)

from ..factories import StaffFactory
from .factories import StationingFactory

S_HEADERS = list(STATIONING_COLUMNS.values())
C_HEADERS = list(CERTIFICATE_COLUMNS.values())


def s_row(number, window="A-01", post="窗口工作人员", start="2024-03-01", **letter):
    values = dict.fromkeys(S_HEADERS, "")
    values.update({"工号": number, "窗口编码": window, "岗位": post, "派驻日期": start})
    values.update(letter)
    return [values[h] for h in S_HEADERS]


def chief_row(number, window="A-01", start="2023-06-01", letter_date="2023-06-15", **extra):
    return s_row(
        number,
        window,
        "首席代表",
        start,
        **{
            "首席代表": "是",
            "任命书文号": f"任〔2023〕{number}",
            "授权书文号": f"授〔2023〕{number}",
            "任命日期": letter_date,
            **extra,
        },
    )


def workbook(stationings=None, certificates=None, s_headers=S_HEADERS) -> bytes:
    book = Workbook()
    book.remove(book.active)
    if stationings is not None:
        sheet = book.create_sheet(STATIONING_SHEET)
        sheet.append(s_headers)
        for row in stationings:
            sheet.append(row)
    if certificates is not None:
        sheet = book.create_sheet(CERTIFICATE_SHEET)
        sheet.append(C_HEADERS)
        for row in certificates:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people(dept_a):
    return {
        n: StaffFactory(department=dept_a, staff_number=n, name=f"人员{n}")
        for n in ("A0001", "A0002", "A0003")
    }


def run(actor, content, commit):
    return go_live_import(actor=actor, content=content, filename="上线.xlsx", commit=commit)


def test_a_clean_workbook_previews_then_imports_through_the_services(
    admin_user, people, window_a, licensing_item
):
    content = workbook(
        [s_row("A0001"), chief_row("A0002", **{"授权权限": "受理、审查"})],
        [["A0002", "执法证", "川执2023000123", "2023-01-10", "2029-01-09"]],
    )
    preview = run(admin_user, content, commit=False)
    assert preview.ok and not preview.committed, preview.bad_rows
    assert [(r.number, r.action) for s in preview.sheets for r in s.rows] == [
        (2, "new"),
        (3, "new"),
        (2, "new"),
    ]
    assert not Stationing.objects.exists() and not Certificate.objects.exists(), "dry run"

    result = run(admin_user, content, commit=True)
    assert result.committed
    plain = Stationing.objects.get(staff=people["A0001"])
    assert (plain.window, plain.post, plain.start_date) == (window_a, Post.STAFF, date(2024, 3, 1))
    chief = Stationing.objects.get(staff=people["A0002"])
    assert chief.post == Post.CHIEF_REPRESENTATIVE and chief.end_date is None
    letter = ChiefAppointment.objects.get(stationing=chief)
    assert letter.appointment_number == "任〔2023〕A0002"
    assert letter.valid_from == date(2023, 6, 15) and letter.filed_by == admin_user
    item = letter.items.get()
    assert item.service_item == licensing_item and item.can_accept and item.can_review
    assert not item.can_decide
    assert Certificate.objects.get(number="川执2023000123").staff == people["A0002"]
    entry = LogEntry.objects.get_for_object(plain).get()
    assert entry.actor == admin_user and "上线.xlsx" in entry.additional_data["reason"]

    again = run(admin_user, content, commit=True)
    assert again.committed and again.count("new") == 0 and again.count("skip") == 3
    assert Stationing.objects.count() == 2 and ChiefAppointment.objects.count() == 1


def test_every_error_of_the_file_at_once_and_nothing_written(
    admin_user, dept_a, dept_b, people, window_a, window_a2, window_b, veteran_a, today
):
    temporary = StaffFactory(
        department=dept_a, staff_number="A0009", employment_type=EmploymentType.TEMPORARY
    )
    past = StaffFactory(department=dept_a, staff_number="A0010")
    for n in ("A0004", "A0005", "A0006", "A0007"):
        StaffFactory(department=dept_a, staff_number=n)
    StationingFactory(
        staff=past,
        window=window_a2,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 6, 1),
        end_reason=EndReason.TRANSFER,
    )
    content = workbook(
        [
            s_row("A0001"),  # 2: fine alone, rolled back with the rest
            s_row("Z9999"),  # 3: unknown person
            s_row("A0002", window="NOPE"),  # 4: unknown window
            s_row("A0003", window="B-01"),  # 5: another department's window
            s_row(veteran_a.staff_number, window="A-02"),  # 6: already stationed
            chief_row("A0009"),  # 7: a temporary hire as chief
            s_row("A0010", window="A-01", start="2024-01-01"),  # 8: overlaps a past stationing
            s_row("A0001", window="A-02"),  # 9: twice in the sheet (so is row 2)
            s_row("A0004", window="A-01", start="2024-13-01"),  # 10: a bad date
            chief_row("A0005", **{"任命书文号": ""}),  # 11: a chief without a letter number
            s_row("A0006", window="A-01", post="科长"),  # 12: unknown post
            s_row("A0007", start=(today + timedelta(days=3)).isoformat()),  # 13: in the future
        ],
        [
            ["A0003", "执法证", "川执1", "2024-01-01", "2023-01-01"],  # 2: expires before issue
            ["A0002", "驾驶证", "川执2", "2024-01-01", "2029-01-01"],  # 3: not a certificate here
        ],
    )
    result = run(admin_user, content, commit=True)
    assert not result.committed and not result.ok
    bad = {(sheet, row.number): " ".join(row.errors) for sheet, row in result.bad_rows}
    expected_rows = (
        {(STATIONING_SHEET, n) for n in range(3, 14)}
        | {
            (CERTIFICATE_SHEET, 2),
            (CERTIFICATE_SHEET, 3),
        }
        | {(STATIONING_SHEET, 2)}
    )
    assert set(bad) == expected_rows, bad
    assert "Z9999" in bad[(STATIONING_SHEET, 3)]
    assert "NOPE" in bad[(STATIONING_SHEET, 4)]
    assert "B-01" in bad[(STATIONING_SHEET, 5)]
    assert "A-01" in bad[(STATIONING_SHEET, 6)]
    assert temporary.name in bad[(STATIONING_SHEET, 7)]
    assert "2024-06-01" in bad[(STATIONING_SHEET, 8)]
    assert "任命书文号" in bad[(STATIONING_SHEET, 11)]
    assert "岗位" in bad[(STATIONING_SHEET, 12)]
    assert "派驻日期" in bad[(STATIONING_SHEET, 10)]
    assert Stationing.objects.count() == 2 and not Certificate.objects.exists()
    assert not ChiefAppointment.objects.exists()


def test_a_second_chief_for_one_window_is_refused(admin_user, people, window_a, today):
    certificates = [
        [n, "执法证", f"川执{n}", "2022-01-01", (today + timedelta(days=900)).isoformat()]
        for n in ("A0001", "A0002")
    ]
    content = workbook([chief_row("A0001"), chief_row("A0002")], certificates)
    result = run(admin_user, content, commit=False)
    [(sheet, row)] = result.bad_rows
    assert (sheet, row.number) == (STATIONING_SHEET, 3)
    assert people["A0001"].name in " ".join(row.errors)


def test_the_chief_rule_reads_the_files_certificates(admin_user, people, window_a):
    """Without the certificate sheet the chief is ineligible; with it, eligible."""
    alone = run(admin_user, workbook([chief_row("A0001")]), commit=False)
    assert [r.number for _s, r in alone.bad_rows] == [2]
    with_certificate = run(
        admin_user,
        workbook([chief_row("A0001")], [["A0001", "", "川执9", "2023-01-01", "2029-01-01"]]),
        commit=False,
    )
    assert with_certificate.ok, with_certificate.bad_rows


def test_file_errors(admin_user, people):
    with pytest.raises(RosterFileError):
        go_live_import(actor=admin_user, content=b"a,b\n", filename="a.csv", commit=False)
    book = Workbook()
    book.active.title = "别的"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(RosterFileError):
        run(admin_user, buffer.getvalue(), commit=False)
    result = run(admin_user, workbook([["A0001"]], s_headers=["工号", "窗口"]), commit=False)
    assert result.file_errors and not result.bad_rows
    assert "窗口编码" in result.file_errors[0] and "窗口" in result.file_errors[0]


def test_only_the_center_imports(liaison_a, hr_user, people, window_a):
    for actor in (liaison_a, hr_user):
        with pytest.raises(PermissionDenied):
            run(actor, workbook([s_row("A0001")]), commit=True)


def test_the_template_imports_once_its_people_and_windows_exist(admin_user, dept_a, window_a):
    StaffFactory(department=dept_a, staff_number="A0001")
    StaffFactory(department=dept_a, staff_number="A0002")
    result = run(admin_user, go_live_template(), commit=False)
    assert result.ok, result.bad_rows


def test_the_page_previews_and_confirms(admin_user, people, window_a):
    client = Client()
    client.force_login(admin_user)
    url = reverse("windows:stationing_import")
    upload = SimpleUploadedFile("上线.xlsx", workbook([s_row("A0001")]))
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200 and preview.context["token"]
    assert not Stationing.objects.exists()
    done = client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302 and Stationing.objects.filter(staff=people["A0001"]).exists()

    bad = client.post(url, {"file": SimpleUploadedFile("b.xlsx", workbook([s_row("Z1")]))})
    assert bad.status_code == 400 and 'data-testid="import-errors"' in bad.content.decode()
    csv = client.post(url, {"file": SimpleUploadedFile("b.csv", b"a,b\n")})
    assert csv.status_code == 400
    template = client.get(reverse("windows:stationing_import_template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_a_commit_announces_its_people_once_and_a_dry_run_not_at_all(admin_user, people, window_a):
    from core import events

    heard = []

    def handler(*, staff_ids, **payload):
        heard.append(sorted(staff_ids))

    events.subscribe(events.STAFF_EVENT, handler)
    try:
        content = workbook([s_row("A0001"), s_row("A0002")])
        run(admin_user, content, commit=False)
        assert heard == []
        run(admin_user, content, commit=True)
        assert heard == [sorted([people["A0001"].pk, people["A0002"].pk])]
    finally:
        events.unsubscribe(events.STAFF_EVENT, handler)
