"""Joint management in the browser: a department liaison records a heart-to-heart talk with one of
their people from the department's page, then reads and downloads the monthly report, which holds
their department only; another department's talk or report is out of reach by URL."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from joint.models import Talk
from staff.models import Department, Staff

from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_records_a_talk_and_downloads_the_report(journey, full_demo):
    own = Department.objects.get(code="SCJG")
    other = Department.objects.get(code="GAJ")
    person = Staff.objects.filter(department=own, status="active").order_by("id").first()
    month = f"{timezone.localdate():%Y-%m}"
    talks_before = Talk.objects.filter(staff__department=own, date__startswith=month).count()

    j = journey("joint-liaison")
    page = j.page
    j.login("liaison")
    page.locator("#sidebar").get_by_role("link", name=zh("Department window"), exact=True).click()
    expect(page.locator("h1")).to_have_text(own.name)
    people = page.locator("[data-section=joint-staff] tbody tr")
    expect(people.filter(has_text=person.name)).to_have_count(1)
    j.shot("department-page")

    # Record a talk from the person's row: the staff number is filled in for them.
    people.filter(has_text=person.name).get_by_role("link", name=zh("Record a talk")).click()
    expect(page.locator("h1")).to_have_text(zh("Record a talk"))
    expect(page.locator("#id_staff_number")).to_have_value(person.staff_number)
    page.select_option("#id_talker_kind", "liaison")
    page.fill("#id_talker_names", "李科长（派驻单位联络员）")
    page.fill("#id_topics", "窗口工作适应情况、近期业务量")
    page.fill("#id_concerns", "孩子上学接送时间紧张")
    page.fill("#id_notes", "建议与中心协调弹性排班")
    j.shot("talk-form")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.locator(".alert-success")).to_contain_text(zh("The talk was recorded."))
    expect(page.locator("h1")).to_contain_text(person.name)
    expect(page.get_by_test_id("talk-topics")).to_contain_text("近期业务量")
    j.shot("talk-recorded")
    talk = Talk.objects.get(pk=re.search(r"/joint/talks/(\d+)/", page.url).group(1))
    assert (talk.staff, talk.author.username, talk.concerns) == (
        person,
        "liaison",
        "孩子上学接送时间紧张",
    )

    # Another department's talk answers "not found".
    foreign = Talk.objects.exclude(staff__department=own).order_by("id").first()
    response = page.goto(j.url(f"/joint/talks/{foreign.pk}/"))
    assert response.status == 404

    # The monthly report counts the new talk; its xlsx holds this department only.
    j.goto("/joint/")
    page.locator("[data-section=joint-report]").get_by_role("link", name=zh("View report")).click()
    expect(page).to_have_url(re.compile(r"/joint/report/\?"))
    expect(page.locator("h1")).to_have_text(own.name)
    report = page.locator("[data-section=joint-report]")
    talks_figure = report.locator("dt", has_text=zh("Talks")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(talks_figure).to_have_text(str(talks_before + 1))
    j.shot("report")
    with page.expect_download() as download_info:
        report.get_by_role("link", name="xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert own.display_name in download.suggested_filename
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}
    summary = dict(row[:2] for row in sheets[zh("Summary")][1:])
    assert summary[zh("Department")] == own.name
    assert summary[zh("Month")] == month
    assert summary[zh("Talks")] == talks_before + 1
    assert summary[zh("People in service")] == own.staff.exclude(status="left").count()
    own_numbers = set(own.staff.values_list("staff_number", flat=True))
    moved = [row[1] for row in sheets[zh("Joined and left")][1:]]
    assert set(moved) <= own_numbers
    cells = {str(cell) for rows in sheets.values() for row in rows for cell in row if cell}
    foreign_numbers = set(
        Staff.objects.exclude(department=own).values_list("staff_number", flat=True)
    )
    assert not cells & foreign_numbers
    assert not cells & set(Department.objects.exclude(pk=own.pk).values_list("name", flat=True))
    j.shot("report-downloaded")

    # Another department's report, by URL: not found, page and download alike.
    for path in ("/joint/report/", "/joint/report/xlsx/"):
        response = page.goto(j.url(f"{path}?department={other.pk}&month={month}"))
        assert response.status == 404
    expect(page.locator("h1")).to_have_text(zh("Not found"))
    j.shot("other-department-report-404")
