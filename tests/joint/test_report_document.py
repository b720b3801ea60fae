"""The department's monthly report as an official A4 document (issue #20): print view and PDF
from one template, numbered from its department and month, the same rows as the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.pdf import read_pdf

from .factories import StationingFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def january(dept_a):
    StationingFactory(staff__department=dept_a, staff__name="新进驻", start_date=date(2026, 1, 5))
    VisitFactory(department=dept_a, date=date(2026, 1, 9))
    return f"?department={dept_a.pk}&month=2026-01"


def test_the_print_view_is_numbered_dated_and_addressed(liaison_a, dept_a, january):
    response = client_for(liaison_a).get(reverse("joint:report_print") + january)
    assert response.status_code == 200
    html = response.content.decode()
    number = f"攀政服月报〔2026〕01-{dept_a.code}号"
    assert f'data-testid="document-number">{number}<' in html
    assert f'data-testid="document-issuer">{settings.CENTER["NAME"]}<' in html
    assert "2026年1月31日" in html  # a past month is dated at its end
    assert f"主送：{dept_a.name}" in html
    assert "新进驻" in html.split('data-testid="report-people"')[1]
    assert 'data-testid="document-seal"' in html and "派驻单位签收：" in html
    assert reverse("joint:report_pdf") + january.replace("&", "&amp;") in html


def test_the_number_follows_the_setting(settings, liaison_a, dept_a, january):
    settings.CENTER = {
        **settings.CENTER,
        "DOCUMENTS": {
            **settings.CENTER["DOCUMENTS"],
            "CODE": "某中心",
            "REPORT_NUMBER": "{code}-{year}-{month}",
        },
    }
    html = client_for(liaison_a).get(reverse("joint:report_print") + january).content.decode()
    assert 'data-testid="document-number">某中心-2026-1<' in html


def test_the_pdf_is_a4_and_renders_chinese(liaison_a, dept_a, january):
    response = client_for(liaison_a).get(reverse("joint:report_pdf") + january)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2026-01" in response["Content-Disposition"]
    facts = read_pdf(response.content)
    # the figures and two short tables on the first page, the signatures and seal kept together
    assert facts.is_a4() and facts.pages <= 2, facts.pages
    assert "WenQuanYi-Micro-Hei" in facts.fonts
    for text in (settings.CENTER["NAME"], dept_a.name, "新进驻", "月度报告", "盖章"):
        assert facts.covers(text), text


def test_the_department_pages_link_the_pdf(liaison_a, dept_a):
    html = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    assert 'data-testid="report-pdf"' in html.split('data-section="joint-report"')[1]
