"""Roster import (dry run, all-or-nothing, updates by staff number, scope) and export."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from staff.models import EmploymentType, Staff
from staff.resources import COLUMNS
from staff.roster import RosterFileError, roster_export, roster_import

from ..factories import StaffFactory, valid_id_number

HEADERS = list(COLUMNS.values())


def row(n, **overrides):
    values = {
        "工号": f"N{n:04d}",
        "姓名": f"新人{n}",
        "性别": "女",
        "出生日期": "1988-05-17",
        "身份证号": valid_id_number(5000 + n),
        "手机号码": "13900001111",
        "政治面貌": "中共党员",
        "用工性质": "公务员",
        "职级": "一级科员",
        "学历": "大学本科",
        "派驻单位编码": "A",
        "岗位类别": "窗口工作人员",
        "在岗状态": "在岗",
        "后备干部": "否",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


@pytest.fixture
def a_and_b(dept_a, dept_b):
    return dept_a, dept_b


def test_clean_file_previews_then_imports(admin_user, a_and_b):
    content = xlsx([row(1), row(2)])
    preview = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=False)
    assert preview.ok and not preview.committed
    assert [r.action for r in preview.rows] == ["new", "new"]
    assert Staff.objects.count() == 0, "a dry run writes nothing"

    result = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=True)
    assert result.committed
    person = Staff.objects.get(staff_number="N0001")
    assert person.gender == "female" and person.employment_type == EmploymentType.CIVIL_SERVANT
    assert person.political_status == "party_member" and person.department.code == "A"
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.actor == admin_user
    assert "名册.xlsx" in entry.additional_data["reason"]
    logged_id = entry.changes_dict["id_number"][1]
    assert "********" in logged_id and logged_id != person.id_number, "ID masked in the audit log"


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"身份证号": "510402199001011235"}, "身份证号", "校验码"),
        ({"派驻单位编码": "NOPE"}, "派驻单位编码", "NOPE"),
        ({"出生日期": "17/05/1988"}, "出生日期", "2024-03-01"),
        ({"手机号码": "12345"}, "手机号码", "11"),
        ({"姓名": ""}, "姓名", ""),
        ({"用工性质": "外包"}, "用工性质", "外包"),
    ],
)
def test_each_bad_row_is_listed_with_its_number_and_reason(
    admin_user, a_and_b, overrides, column, fragment
):
    content = xlsx([row(1), row(2, **overrides), row(3)])
    result = roster_import(actor=admin_user, content=content, filename="r.xlsx", commit=True)
    assert not result.ok and not result.committed
    [bad] = result.bad_rows
    assert bad.number == 3, "the header is row 1, so the second data row is row 3"
    assert any(e.startswith(column) and fragment in e for e in bad.errors), bad.errors
    assert Staff.objects.count() == 0, "nothing is written while any row is bad"


def test_duplicate_staff_number_in_file_is_refused(admin_user, a_and_b):
    content = xlsx([row(1), row(2, **{"工号": "N0001"})])
    result = roster_import(actor=admin_user, content=content, filename="r.xlsx", commit=True)
    assert not result.committed
    assert {r.number for r in result.bad_rows} == {2, 3}
    assert all("不止一次" in " ".join(r.errors) for r in result.bad_rows)
    assert Staff.objects.count() == 0


def test_missing_required_column_is_a_file_error(admin_user, a_and_b):
    headers = [h for h in HEADERS if h != "身份证号"]
    content = csv_bytes(
        [[c for h, c in zip(HEADERS, row(1), strict=True) if h != "身份证号"]], headers
    )
    result = roster_import(actor=admin_user, content=content, filename="r.csv", commit=True)
    assert not result.ok and "身份证号" in " ".join(result.file_errors)
    assert Staff.objects.count() == 0


def test_reimport_updates_by_staff_number_and_blank_cells_keep_values(admin_user, dept_a):
    person = StaffFactory(
        staff_number="N0001", department=dept_a, mobile="13911112222", rank="科长"
    )
    original_id = person.id_number
    blanked = row(1, **{"身份证号": "", "手机号码": "", "职级": "", "姓名": "改名了"})
    result = roster_import(
        actor=admin_user, content=xlsx([blanked]), filename="r.xlsx", commit=True
    )
    assert result.committed, result.bad_rows
    person.refresh_from_db()
    assert person.name == "改名了"
    assert person.id_number == original_id and person.mobile == "13911112222"
    assert person.rank == "科长"


def test_csv_in_gb18030_is_read(admin_user, a_and_b):
    text = ",".join(HEADERS) + "\n" + ",".join(row(1)) + "\n"
    result = roster_import(
        actor=admin_user, content=text.encode("gb18030"), filename="r.csv", commit=True
    )
    assert result.committed
    assert Staff.objects.get().name == "新人1"


def test_liaison_imports_only_into_their_department(liaison_a, a_and_b):
    content = xlsx([row(1), row(2, **{"派驻单位编码": "B"})])
    result = roster_import(actor=liaison_a, content=content, filename="r.xlsx", commit=True)
    assert not result.committed
    [bad] = result.bad_rows
    assert "B" in bad.errors[0]
    assert Staff.objects.count() == 0


def test_liaison_cannot_update_another_departments_person(liaison_a, dept_a, dept_b):
    StaffFactory(staff_number="N0001", department=dept_b, name="乙")
    result = roster_import(actor=liaison_a, content=xlsx([row(1)]), filename="r.xlsx", commit=True)
    assert not result.committed
    assert Staff.objects.get(staff_number="N0001").name == "乙"


def test_hr_and_staff_may_not_import(hr_user, staff_user, a_and_b):
    for user in (hr_user, staff_user):
        with pytest.raises(PermissionDenied):
            roster_import(actor=user, content=xlsx([row(1)]), filename="r.xlsx", commit=False)


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"MZ\x90\x00binary", "r.exe"), (b"not a zip", "r.xlsx"), (b"", "r.csv")],
)
def test_unreadable_files_are_refused(admin_user, content, filename):
    with pytest.raises(RosterFileError):
        roster_import(actor=admin_user, content=content, filename=filename, commit=False)


def test_too_many_rows(admin_user, a_and_b, settings):
    settings.CENTER = {**settings.CENTER, "ROSTER_IMPORT_MAX_ROWS": 2}
    with pytest.raises(RosterFileError):
        roster_import(
            actor=admin_user,
            content=xlsx([row(1), row(2), row(3)]),
            filename="r.xlsx",
            commit=False,
        )


def test_export_neutralizes_formulae_and_masks_ids_by_role(admin_user, liaison_a, dept_a):
    StaffFactory(department=dept_a, name='=HYPERLINK("http://x")', rank="+1", mobile="")
    StaffFactory(department=dept_a, name="@SUM(A1)", rank="-2")
    StaffFactory(department=dept_a, name="\tTab", rank="\rCR")

    content, _, _ = roster_export(actor=liaison_a, queryset=Staff.objects.all(), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    values = [v for r in rows[1:] for v in r if isinstance(v, str)]
    dangerous = [v for v in values if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not dangerous, dangerous
    assert '\'=HYPERLINK("http://x")' in values
    ids = [r[HEADERS.index("身份证号")] for r in rows[1:]]
    assert all("********" in i for i in ids), "a liaison sees masked ID numbers"

    content, _, _ = roster_export(actor=admin_user, queryset=Staff.objects.all(), fmt="csv")
    text = content.decode("utf-8-sig")
    assert "'@SUM(A1)" in text and "'-2" in text
    assert "********" not in text, "the center administrator may read ID numbers"
