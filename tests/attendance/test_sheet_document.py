"""The monthly attendance sheet as an official A4 landscape document (issue #20): the same rows
as the page and its xlsx, numbered from its month and department, the PDF's fonts embedded."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from attendance.services.days import days_derive
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.pdf import read_pdf
from tests.queries import assert_constant_queries

from ..assessments.factories import StationingFactory
from .test_pages import MONDAY, NOW, derived  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

QUERY = "?department=A&month=2026-11"
A4_LANDSCAPE = (841.89, 595.28)


def test_the_print_view_has_the_rows_number_and_blocks(derived, liaison_a):  # noqa: F811
    response = client_for(liaison_a).get(reverse("attendance:sheet_print") + QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="document-number">攀政服勤〔2026〕11-A号<' in html
    assert f'data-testid="document-issuer">{settings.CENTER["NAME"]}<' in html
    sheet = html.split('data-testid="attendance-sheet"')[1].split("</table>")[0]
    row = next(r for r in sheet.split("<tr>") if derived["person_a"].name in r)
    assert "<td>迟</td>" in row  # late on 2 November, as on the page and in the xlsx
    assert "2026年11月30日" in html and 'data-testid="document-seal"' in html
    assert "document-landscape" in html
    page = client_for(liaison_a).get(reverse("attendance:sheet") + QUERY).content.decode()
    assert 'data-testid="sheet-pdf"' in page


def test_the_pdf_is_a4_landscape_and_renders_chinese(derived, liaison_a):  # noqa: F811
    response = client_for(liaison_a).get(reverse("attendance:sheet_pdf") + QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2026-11" in response["Content-Disposition"]
    facts = read_pdf(response.content)
    assert facts.pages == 1
    assert all(
        abs(w - A4_LANDSCAPE[0]) < 0.5 and abs(h - A4_LANDSCAPE[1]) < 0.5
        for w, h in facts.media_boxes
    ), facts.media_boxes
    assert "WenQuanYi-Micro-Hei" in facts.fonts
    for text in (settings.CENTER["NAME"], derived["person_a"].name, "迟", "盖章", "考勤"):
        assert facts.covers(text), text


@pytest.mark.parametrize("name", ["attendance:sheet_print", "attendance:sheet_pdf"])
def test_constant_queries(name, derived, liaison_a):  # noqa: F811
    client = client_for(liaison_a)
    url = reverse(name) + QUERY

    def grow():
        for _ in range(4):
            person = StaffFactory(department=derived["me"].department)
            StationingFactory(staff=person, window=derived["window_a"], start_date=date(2024, 1, 1))
        days_derive(start=MONDAY, end=MONDAY, now=NOW)

    assert_constant_queries(lambda: client.get(url), grow, at_most=5)
