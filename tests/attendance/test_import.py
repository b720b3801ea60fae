"""Importing a device's or door-card system's export: dry run, all or nothing, numbered Chinese
row errors, a re-import stores nothing twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from attendance.models import Punch
from attendance.services.punches import PunchFileError, punch_import
from core.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db


def csv_file(rows, header="工号,打卡时间,设备,验证方式,记录号"):
    return ("\ufeff" + header + "\n" + "\n".join(rows) + "\n").encode()


def stamp(hours):
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def test_dry_run_then_commit_then_reimport(center, admin_user):
    me, other = center["me"].staff_number, center["person_a"].staff_number
    content = csv_file([f"{me},{stamp(3)},一楼,人脸,1", f"{other},{stamp(2)},一楼,指纹,2"])
    dry = punch_import(actor=admin_user, content=content, filename="p.csv", commit=False)
    assert dry.ok and dry.new == 2 and not dry.committed
    assert Punch.objects.count() == 0
    done = punch_import(actor=admin_user, content=content, filename="p.csv", commit=True)
    assert done.committed and Punch.objects.count() == 2
    again = punch_import(actor=admin_user, content=content, filename="p.csv", commit=True)
    assert again.new == 0 and again.already == 2 and Punch.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_the_row(center, admin_user):
    me = center["me"].staff_number
    content = csv_file(
        [f"{me},{stamp(3)},一楼,人脸,1", f"X999,{stamp(2)},一楼,人脸,2", f"{me},明天,一楼,人脸,3"]
    )
    result = punch_import(actor=admin_user, content=content, filename="p.csv", commit=True)
    assert not result.ok and not result.committed
    assert result.errors == [
        (3, "第 3 行：未知的工号“X999”。"),
        (4, "第 4 行：“明天”不是日期和时间。"),
    ]
    assert Punch.objects.count() == 0


def test_xlsx_without_record_ids_is_still_idempotent(center, admin_user):
    me = center["me"].staff_number
    content = xlsx_bytes([("s", ["人员编号", "刷卡时间", "门禁点"], [[me, stamp(1), "东门"]])])
    first = punch_import(actor=admin_user, content=content, filename="门禁.xlsx", commit=True)
    assert first.committed and first.new == 1
    second = punch_import(actor=admin_user, content=content, filename="门禁.xlsx", commit=True)
    assert second.new == 0 and Punch.objects.count() == 1


def test_missing_columns_and_wrong_type_are_file_errors(center, admin_user):
    with pytest.raises(PunchFileError, match="工号"):
        punch_import(
            actor=admin_user,
            content=csv_file([], header="姓名,时间"),
            filename="a.csv",
            commit=False,
        )
    with pytest.raises(PunchFileError):
        punch_import(actor=admin_user, content=b"x", filename="a.txt", commit=False)


def test_only_the_center_imports(center, liaison_a):
    with pytest.raises(PermissionDenied):
        punch_import(actor=liaison_a, content=csv_file([]), filename="a.csv", commit=False)
