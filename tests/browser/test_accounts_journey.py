"""Go-live in the browser (issue #16): the center makes logins for a department's people and
downloads their passwords once; a person logs in with theirs, is held at the password change
until they choose their own; the center resets a password; the go-live import shows its errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from staff.models import Department, User

from ..factories import StaffFactory
from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accounts_journey(journey, tmp_path):
    department = Department.objects.get(code="SCJG")
    newcomers = [
        StaffFactory(department=department, staff_number=f"XN{n:03d}", name=f"新同事{n}")
        for n in range(3)
    ]

    center = journey("accounts-center")
    page = center.page
    center.login("admin")
    center.goto(f"/staff/accounts/?department={department.pk}&account=none")
    expect(page.locator("h1")).to_contain_text(zh("Accounts"))
    expect(page.get_by_test_id("account-table")).to_contain_text("XN000")
    center.shot("people-without-accounts")
    with page.expect_download() as download:
        page.get_by_test_id("create-accounts").locator("button[type=submit]").click()
    path = tmp_path / "accounts.xlsx"
    download.value.save_as(path)
    header, *rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert header[3:] == ("用户名", "初始密码")
    assert [r[3] for r in rows] == ["xn000", "xn001", "xn002"]
    username, password = rows[0][3], rows[0][4]

    person = journey("accounts-first-login")
    page = person.page
    person.login(username, password)
    expect(page.get_by_test_id("first-login")).to_be_visible()
    person.shot("held-at-password-change")
    person.goto("/notifications/")
    expect(page.get_by_test_id("first-login")).to_be_visible()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Ziji#mima2026")
    page.fill("#id_new_password2", "Ziji#mima2026")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("password-changed")).to_be_visible()
    person.shot("password-changed")
    person.goto("/notifications/")
    expect(page.locator("h1")).to_contain_text(zh("Notifications"))
    assert not User.objects.get(username=username).must_change_password

    page = center.page
    center.goto(f"/staff/{newcomers[1].pk}/")
    page.get_by_test_id("reset-password").click()
    expect(page.get_by_test_id("temporary-password")).to_be_visible()
    temporary = page.get_by_test_id("temporary-password").inner_text().strip()
    assert User.objects.get(username="xn001").check_password(temporary)
    center.shot("temporary-password")

    book = Workbook()
    sheet = book.active
    sheet.title = "派驻人员"
    sheet.append(["工号", "窗口编码", "岗位", "派驻日期"])
    sheet.append(["XN000", "没有这个窗口", "窗口工作人员", "2024-03-01"])
    sheet.append(["XN404", "", "窗口工作人员", "2024-03-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = tmp_path / "上线.xlsx"
    upload.write_bytes(buffer.getvalue())
    center.goto("/stationings/import/")
    page.set_input_files("#id_file", str(upload))
    page.locator("main form button[type=submit]").first.click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    expect(page.locator("table")).to_contain_text("没有这个窗口")
    expect(page.locator("table")).to_contain_text("XN404")
    center.shot("go-live-import-errors")
