"""HR reads a person's evidence pack, prints it to A4, and exports a shortlist in the
background; the pack prints without the navigation, its parts following one another (no part-per-page breaks)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from staff.models import Staff

from .conftest import SCREENSHOTS, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def test_hr_prints_a_pack_and_exports_a_shortlist(journey, eager_tasks):
    person = Staff.objects.filter(center_role="window").order_by("id").first()
    hr = journey("evidence-hr")
    hr.login("hr")
    hr.goto(f"/promotions/staff/{person.pk}/evidence/")
    page = hr.page
    expect(page.get_by_text(zh("Window service evidence for promotion"))).to_be_visible()
    expect(page.get_by_test_id("id-number")).to_have_text(person.id_number)  # HR: full number
    expect(page.locator("#id_end")).to_have_value(timezone.localdate().isoformat())
    hr.shot("evidence-pack")

    page.emulate_media(media="print")
    expect(page.locator("#sidebar")).to_be_hidden()
    expect(page.get_by_test_id("evidence-period")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=False)
    (SCREENSHOTS / "evidence-hr" / "evidence-pack.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 595" in pdf  # A4 pages
    page.emulate_media(media="screen")

    # The official document (issue #20): A4 sheets on screen, the PDF from the server.
    page.get_by_test_id("evidence-print").click()
    expect(page.get_by_test_id("document-issuer")).to_be_visible()
    expect(page.get_by_test_id("document-seal")).to_be_visible()
    expect(page.get_by_test_id("document-number")).to_have_text(zh("Working copy, not numbered"))
    hr.shot("evidence-document")
    with page.expect_download() as download:
        page.get_by_test_id("document-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.suggested_filename.startswith(zh("Promotion evidence"))

    hr.goto("/promotions/exports/new/?department=" + str(person.department_id))
    hr.shot("export-picker")
    boxes = page.locator("input[name=staff]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_test_id("export-selected").click()
    expect(page.get_by_test_id("export-download")).to_be_visible()
    hr.shot("export-ready")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename.endswith(".xlsx")
