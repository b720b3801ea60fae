"""End-to-end journeys of each role, as people use the pages, in Chinese (and once in English and
at tablet width). Each step is asserted on what the page shows and photographed."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from assessments.models import Appeal, AssessmentRule, Score
from assessments.services.entries import entry_record
from notifications.models import Notification
from staff import idcard
from staff import selectors as staff_selectors
from staff.models import Department, Staff, User
from staff.resources import COLUMNS

from .conftest import has_cjk, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_row(number: str, name: str, id_number: str, department: str = "SCJG") -> list:
    return [
        number, name, "女", "", id_number, "13912345678", "群众", "公务员", "一级科员",
        "大学本科", department, "窗口工作人员", "在岗", "否",
    ]  # fmt: skip


def valid_id(first17: str) -> str:
    return first17 + idcard.check_digit(first17)


def upload(page, name: str, content: bytes) -> None:
    page.set_input_files(
        "input[type=file]",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}],
    )
    page.get_by_role("button", name=zh("Check the file")).click()
    page.wait_for_load_state()


def test_center_administrator(journey):
    j = journey("center-admin")
    page = j.page
    admin = User.objects.get(username="admin")

    j.login("admin")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text(zh("Dashboard"))
    figures = staff_selectors.composition(admin)
    assert figures["total"] == 120 - Staff.objects.filter(status="left").count()
    for key, value in figures.items():
        expect(page.locator(f"[data-figure={key}]")).to_have_text(str(value))
    expect(page.locator("[data-chart=bar] canvas")).to_have_count(1)  # ECharts drew, CSP allowed
    j.shot("dashboard")

    # Find a person by name.
    person = Staff.objects.filter(department__code="GAJ").order_by("id").first()
    page.locator("#sidebar").get_by_role("link", name=zh("Staff"), exact=True).click()
    expect(page.locator("h1")).to_have_text(zh("Staff"))
    page.locator("#id_q").press_sequentially(person.name)
    rows = page.locator("#staff-table tbody tr")
    expect(rows.filter(has_text=person.staff_number)).to_have_count(1)
    expected = Staff.objects.search(person.name).count()
    expect(rows).to_have_count(expected)
    j.shot("search")

    # Edit them: the new phone number shows on the detail page and in the change history.
    rows.filter(has_text=person.staff_number).get_by_role("link", name=person.name).click()
    expect(page.locator("h1")).to_contain_text(person.name)
    expect(page.get_by_test_id("id-number")).to_have_text(person.id_number)  # admin reads it
    page.get_by_role("link", name=zh("Edit")).click()
    page.fill("#id_mobile", "13700001111")
    j.shot("edit-form")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.locator(".alert-success")).to_contain_text(person.name)
    expect(page.locator("dl").first).to_contain_text("13700001111")
    history = page.locator(".timeline")
    expect(history).to_contain_text("13700001111")
    expect(history).to_contain_text(person.mobile)
    expect(history).to_contain_text(f"{admin.first_name}（")  # the person and unit, not the login
    expect(history).not_to_contain_text("admin")
    j.shot("edited")
    assert Staff.objects.get(pk=person.pk).mobile == "13700001111"

    # Import a roster with one bad row: the row error with its row number, nothing imported.
    before = Staff.objects.count()
    good = roster_row("IMP001", "导入甲", valid_id("51040219920304112"))
    bad = roster_row("IMP002", "导入乙", "510402199203041129")  # wrong check digit
    if bad[4] == valid_id(bad[4][:17]):
        bad[4] = bad[4][:17] + ("0" if bad[4][17] != "0" else "1")
    page.locator("#sidebar").get_by_role("link", name=zh("Roster import"), exact=True).click()
    upload(page, "名册.xlsx", roster_xlsx([good, bad]))
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    error_row = page.locator("tr.table-danger")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td").first).to_have_text("3")  # header is row 1
    expect(error_row).to_contain_text("IMP002")
    expect(error_row).to_contain_text(
        str(zh("The ID number's check digit is wrong; please check the number."))
    )
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    j.shot("import-row-error")
    assert Staff.objects.count() == before

    # Fix it, check again, confirm: both imported.
    bad[4] = valid_id("51040219930405222")
    upload(page, "名册.xlsx", roster_xlsx([good, bad]))
    expect(page.get_by_test_id("import-ok")).to_be_visible()
    j.shot("import-checked")
    page.get_by_test_id("confirm-import").click()
    expect(page.locator(".alert-success")).to_contain_text("名册.xlsx")
    j.shot("imported")
    assert Staff.objects.count() == before + 2
    assert Staff.objects.get(staff_number="IMP002").department.code == "SCJG"

    # Export: the download happens and opens with the Chinese headers.
    page.goto(j.url("/staff/"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=zh("Export xlsx")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(sheet_rows[0])[: len(COLUMNS)] == list(COLUMNS.values())
    assert len(sheet_rows) - 1 == Staff.objects.count()
    exported = {row[0]: row for row in sheet_rows[1:]}
    assert exported["IMP001"][1] == "导入甲"
    j.shot("exported")


def test_department_liaison(journey):
    j = journey("liaison")
    page = j.page
    own = Department.objects.get(code="SCJG")
    own_count = Staff.objects.filter(department=own).count()
    other = Staff.objects.filter(department__code="GAJ").order_by("id").first()

    j.login("liaison")
    expect(page.locator("h1")).to_contain_text(own.name)  # lands on their department
    j.shot("department")

    page.goto(j.url("/staff/"))
    count = page.get_by_test_id("result-count")
    expect(count).to_contain_text(str(own_count))
    cells = page.locator("#staff-table tbody tr td:nth-child(4)")
    assert set(cells.all_inner_texts()) == {own.display_name}
    page.locator("#id_q").press_sequentially(other.name)
    expect(page.locator("#staff-table tbody")).not_to_contain_text(other.staff_number)
    j.shot("own-staff-only")

    response = page.goto(j.url(f"/staff/{other.pk}/"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(zh("Not found"))
    assert has_cjk(page.locator("main").inner_text())
    expect(page.locator("main")).not_to_contain_text(other.name)
    j.shot("other-department-404")

    page.goto(j.url("/staff/new/"))
    page.fill("#id_staff_number", "LIA001")
    page.fill("#id_name", "新来的")
    page.select_option("#id_gender", "female")
    page.fill("#id_id_number", valid_id("51040219950607332"))
    page.select_option("#id_employment_type", "civil_servant")
    options = page.locator("#id_department option").all_inner_texts()
    assert [o for o in options if o.strip("-").strip()] == [str(own)]  # only their department
    page.select_option("#id_department", str(own.pk))
    j.shot("add-form")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.locator("h1")).to_contain_text("新来的")
    expect(page.locator("dl")).to_contain_text(own.name)
    j.shot("added")
    added = Staff.objects.get(staff_number="LIA001")
    assert added.department == own
    assert added.date_of_birth.isoformat() == "1995-06-07"


def test_hr(journey, full_demo):
    j = journey("hr")
    page = j.page
    person = (
        Staff.objects.filter(department__code="GAJ", scores__isnull=False).order_by("-id").first()
    )

    j.login("hr")
    expect(page).to_have_url(re.compile(r"/promotions/hr/$"))  # HR lands on its own home
    page.goto(j.url("/staff/"))
    page.locator("#id_q").press_sequentially(person.staff_number)
    row = page.locator("#staff-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(person.department.display_name)
    j.shot("search-across-departments")

    row.get_by_role("link", name=person.name).click()
    expect(page.get_by_test_id("id-number")).to_have_text(person.id_number)  # full, for HR
    expect(page.get_by_role("link", name=zh("Edit"))).to_have_count(0)
    j.shot("detail-full-id")

    response = page.goto(j.url(f"/staff/{person.pk}/edit/"))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(zh("Not allowed"))
    assert has_cjk(page.locator("main").inner_text())
    j.shot("edit-403")

    # Scores: HR reads them, and an attempt to change one is refused, in the pages and the API.
    score = Score.objects.filter(staff=person).order_by("-period__start_date", "-id").first()
    page.locator("#sidebar").get_by_role("link", name=zh("Assessment board"), exact=True).click()
    expect(page.locator("h1")).to_contain_text(zh("Period board"))
    expect(page.locator("#sidebar").get_by_role("link", name=zh("Record an entry"))).to_have_count(
        0
    )
    j.shot("assessment-board")
    response = page.goto(j.url("/entries/new/"))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(zh("Not allowed"))
    j.shot("record-entry-403")
    csrf = next(c["value"] for c in j.context.cookies() if c["name"] == "csrftoken")
    api = page.request
    headers = {"X-CSRFToken": csrf}
    read = api.get(j.url(f"/api/v1/scores/{score.pk}/"))
    assert read.status == 200 and read.json()["total"] == str(score.total)
    attempts = [
        api.patch(j.url(f"/api/v1/scores/{score.pk}/"), data={"total": "100.00"}, headers=headers),
        api.put(j.url(f"/api/v1/scores/{score.pk}/"), data={"total": "100.00"}, headers=headers),
        api.post(
            j.url("/api/v1/entries/"),
            data={
                "staff": person.pk,
                "rule": AssessmentRule.objects.get(code="B01").pk,
                "date": str(timezone.localdate()),
                "quantity": "1",
            },
            headers=headers,
        ),  # fmt: skip
        api.post(j.url(f"/api/v1/periods/{score.period_id}/recompute/"), headers=headers),
    ]
    assert [r.status for r in attempts] == [403, 403, 403, 403], [r.text() for r in attempts]
    assert Score.objects.get(pk=score.pk).total == score.total


def test_window_staff(journey, full_demo):
    """The person sees their record, reads the notice of a new deduction in the notification
    center (the unread badge goes down), appeals the deduction, and opens their training menu."""
    me = Staff.objects.get(user__username="staff")
    admin = User.objects.get(username="admin")
    rule = AssessmentRule.objects.get(code="D01")
    today = timezone.localdate()
    entry = entry_record(actor=admin, staff=me, rule=rule, date=today, notes="窗口巡查时离岗未挂牌")
    unread = Notification.objects.filter(recipient=me.user, read_at__isnull=True).count()

    j = journey("window-staff")
    page = j.page
    j.login("staff")
    expect(page).to_have_url(re.compile(rf"/staff/{me.pk}/$"))
    expect(page.locator("h1")).to_contain_text(me.name)
    expect(page.get_by_test_id("id-number")).to_have_text(me.masked_id_number)
    badge = page.get_by_test_id("notification-badge")
    expect(badge).to_contain_text(str(min(unread, 99)))
    j.shot("own-record")

    response = page.goto(j.url("/staff/"))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(zh("Not allowed"))
    j.shot("list-403")

    # The notification center: the deduction notice on top, unread; mark it read in place.
    badge.click()
    expect(page.locator("h1")).to_have_text(zh("Notifications"))
    notice = page.get_by_test_id("notification").first
    expect(notice).to_contain_text("窗口巡查时离岗未挂牌")
    expect(notice).to_have_class(re.compile(r"list-group-item-primary"))
    j.shot("notification-center")
    notice.get_by_role("button", name=zh("Mark read")).click()
    expect(notice).not_to_have_class(re.compile(r"list-group-item-primary"))
    expect(notice.get_by_role("button", name=zh("Mark read"))).to_have_count(0)
    if unread > 1:
        expect(badge).to_contain_text(str(min(unread - 1, 99)))
    else:
        expect(badge.locator(".badge")).to_have_count(0)
    j.shot("notification-read")
    assert Notification.objects.filter(recipient=me.user, read_at__isnull=True).count() == (
        unread - 1
    )

    # Follow the notice to the record and appeal the deduction.
    notice.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/my-assessment/$"))
    row = page.get_by_test_id("entries").locator("tr", has_text="窗口巡查时离岗未挂牌")
    row.get_by_role("link", name=zh("View")).click()
    page.get_by_test_id("appeal-button").click()
    page.fill("#id_reason", "当时正在协助群众填表，工牌放在桌上，有监控可查")
    j.shot("appeal-form")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("appeal-status")).to_contain_text(zh("Submitted"))
    j.shot("appealed")
    assert Appeal.objects.get(entry=entry).staff_id == me.pk

    # The training menu.
    page.locator("#sidebar").get_by_role("link", name=zh("My training"), exact=True).click()
    expect(page.locator("h1")).to_have_text(zh("My training"))
    expect(page.get_by_test_id("menu").locator("li").first).to_be_visible()
    j.shot("training-menu")


def test_english_and_tablet(journey, full_demo):
    j = journey("english-tablet", viewport={"width": 768, "height": 1024})
    page = j.page
    j.login("admin")
    expect(page.locator("h1")).to_have_text(zh("Dashboard"))
    sidebar = page.locator("#sidebar")
    expect(sidebar.get_by_role("link", name=zh("Staff"))).not_to_be_visible()  # collapsed
    j.shot("tablet-dashboard-zh")

    page.locator("header select[name=language]").select_option("en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("[data-figure=total]")).to_be_visible()
    j.shot("tablet-dashboard-en")

    page.get_by_role("button", name="Menu").click()
    staff_link = sidebar.get_by_role("link", name="Staff", exact=True)
    expect(sidebar).to_have_class(re.compile(r"\bshow\b"))
    expect(sidebar).not_to_have_class(re.compile(r"\bshowing\b"))  # slide-in finished
    expect(staff_link).to_be_visible()
    j.shot("tablet-menu-open")
    staff_link.click()
    expect(page.locator("h1")).to_have_text("Staff")
    expect(page.locator("#staff-table th").first).to_have_text("staff number")
    j.shot("tablet-staff-list-en")

    first = page.locator("#staff-table tbody tr a").first
    first.click()
    expect(page.locator(".card-header").first).to_have_text("Personal information")
    j.shot("tablet-detail-en")

    # One page of every app (and a detail page where there is one), in English at 768 px.
    for path, heading, detail_link in [
        ("/windows/", "Window board", "main table a[href^='/windows/']"),
        ("/transfers/", "Transfer requests", None),
        ("/assessments/", "Period board", None),
        ("/appeals/", "Appeal queue", None),
        ("/training/calendar/", "Training calendar", "main a[href^='/training/sessions/']"),
        ("/training/", "Training catalog", None),
        ("/joint/center/", "Joint management", None),
        ("/joint/talks/", "Heart-to-heart talks", "main a[href^='/joint/talks/']"),
        ("/notifications/", "Notifications", None),
    ]:
        response = j.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_contain_text(heading)
        assert_english_page(page, path)
        j.shot("tablet-en" + path.rstrip("/").replace("/", "-"))
        if detail_link:
            listed = page.url
            page.locator(detail_link).first.click()
            page.wait_for_url(lambda url, listed=listed: url != listed)
            page.wait_for_load_state()
            assert_english_page(page, page.url)
            j.shot("tablet-en" + path.rstrip("/").replace("/", "-") + "-detail")


# Page furniture (never data): headings of tables and cards, labels, buttons, terms, navigation.
FURNITURE = (
    "main thead th, main label, main button, main dt, main .card-header, main legend, "
    "main .breadcrumb-item:not(.active), #sidebar .nav-link, #sidebar .nav-heading"
)


def assert_english_page(page, where: str) -> None:
    """English throughout (no Chinese in the page furniture) and nothing wider than the screen."""
    expect(page.locator("html")).to_have_attribute("lang", "en")
    leaks = [text for text in page.locator(FURNITURE).all_inner_texts() if has_cjk(text)]
    assert not leaks, (where, leaks)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, (where, "wider than the screen", scroll, client)
