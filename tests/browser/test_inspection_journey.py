"""An inspection round on a phone, end to end: the inspector starts a round, records a finding
with a photo at a window, records it as a deduction; the window worker sees the photo as the
entry's evidence and appeals."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from assessments import rules_seed
from assessments.models import Appeal, AssessmentRule, Evidence
from inspections import services
from inspections.models import Finding, FindingStatus
from staff.models import User
from tests.windows.factories import StationingFactory, WindowFactory

from .conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def png(width: int = 24, height: int = 16) -> bytes:
    """A real (decodable) PNG: a red rectangle."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xd0\x20\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_inspector_finding_with_photo_becomes_a_deduction_the_worker_appeals(journey):
    rules_seed.load(AssessmentRule)  # the data migration's rows do not survive a flushed test DB
    rule = AssessmentRule.objects.get(code="D04")  # leaving the post; evidence required
    admin = User.objects.get(username="admin")
    person = User.objects.get(username="staff").staff_profile
    window = WindowFactory(code="A08", name="市场准入窗口", department=person.department)
    StationingFactory(staff=person, window=window, start_date=date(2024, 3, 1))
    services.checklist_save(
        actor=admin,
        name="日常巡查清单",
        items=[("工作人员擅离岗位", rule), ("台面整洁", None)],
    )

    inspector = journey("inspection-inspector", viewport=PHONE)
    page = inspector.page
    inspector.login("admin")
    inspector.goto("/inspections/")
    page.get_by_test_id("round-new").click()
    page.select_option("#id_checklist", label="日常巡查清单")
    inspector.shot("round-form")
    page.get_by_test_id("round-form").locator("button[type=submit]").click()
    with translation.override("zh-hans"):
        in_progress = translation.pgettext("inspection round", "In progress")
    expect(page.get_by_test_id("round-status")).to_contain_text(in_progress)
    inspector.shot("round-started")

    page.get_by_test_id("finding-new").click()
    page.select_option("#id_window", label=str(window))
    page.select_option("#id_item", label="工作人员擅离岗位")
    page.select_option("#id_staff", str(person.pk))
    page.fill("#id_note", "10:05 离岗未挂暂离牌，窗口无人")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png()}]
    )
    inspector.shot("finding-form")
    page.get_by_test_id("finding-save").click()
    expect(page.get_by_test_id("finding-list")).to_contain_text(person.name)
    inspector.shot("finding-listed")

    finding = Finding.objects.get(staff=person)
    page.get_by_test_id("finding-list").locator("a").first.click()
    image = page.locator("main img")
    expect(image).to_be_visible()
    handle = image.element_handle()
    page.wait_for_function("img => img.complete", arg=handle)
    assert page.evaluate("img => img.naturalWidth", handle) == 24  # served and decoded
    page.get_by_test_id("finding-enter").click()
    expect(page.get_by_test_id("finding-status")).to_contain_text(zh("Deduction recorded"))
    inspector.shot("deduction-recorded")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ENTERED and finding.entry.rule == rule
    evidence = Evidence.objects.get(entry=finding.entry)
    assert evidence.original_name == "现场.png"

    worker = journey("inspection-worker", viewport=PHONE)
    page = worker.page
    worker.login("staff")
    worker.goto(f"/entries/{finding.entry_id}/")
    expect(page.locator("main")).to_contain_text("现场.png")
    expect(page.locator("main")).to_contain_text("离岗未挂暂离牌")
    worker.shot("entry-with-photo")
    page.get_by_test_id("appeal-button").click()
    page.fill("#id_reason", "当时在后台为群众取件，已告知同事代岗，有监控可查")
    worker.shot("appeal-form")
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("appeal-status")).to_contain_text(zh("Submitted"))
    worker.shot("appealed")
    assert Appeal.objects.get(entry=finding.entry).staff == person


def test_liaison_names_a_stand_in_and_prints_the_window_notice(journey):
    from windows.models import StandIn

    liaison = User.objects.get(username="liaison")
    department = liaison.departments.first()
    window = WindowFactory(code="A09", name="食品经营许可窗口", department=department)
    a, b = (s for s in department.staff.filter(status="active").order_by("id")[:2])
    for person in (a, b):
        StationingFactory(staff=person, window=window, start_date=date(2024, 3, 1))

    flow = journey("stand-in-notice")
    page = flow.page
    flow.login("liaison")
    flow.goto("/windows/stand-ins/?missing=1")
    expect(page.get_by_test_id("stand-in-missing")).to_be_visible()
    page.locator(f"#window-{window.pk}").get_by_role("link", name=zh("Name a pair")).click()
    page.select_option("#id_a", str(a.pk))
    page.select_option("#id_b", str(b.pk))
    flow.shot("pair-form")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"#window-{window.pk}")).to_contain_text(b.name)
    flow.shot("paired")
    pair = StandIn.objects.get(window=window)
    flow.goto(f"/stand-ins/{pair.pk}/notice/?start=2026-12-07&end=2026-12-08&size=a5")
    notice = page.get_by_test_id("window-notice")
    expect(notice).to_contain_text(f"本窗口工作人员暂离期间，业务由 {b.name} 办理")
    expect(notice).to_contain_text("2026年12月7日 – 2026年12月8日")  # the locale's dates
    page.emulate_media(media="print")
    expect(page.get_by_test_id("notice-form")).to_be_hidden()
    expect(page.locator("#sidebar")).to_be_hidden()
    flow.shot("notice-print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A5 sheet
