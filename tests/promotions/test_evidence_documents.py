"""The evidence pack as an official A4 document (issue #20): the print view and its PDF from the
same template — issuing unit, number (a frozen pack's), date, seal and signature blocks — with
the fonts embedded, Chinese that renders, A4 pages and a query count that does not grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from promotions.evidence.pack import build_pack
from promotions.evidence.snapshots import freeze
from tests.pdf import read_pdf
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2022-01-01", "end": "2026-11-20"}


def _frozen(person, admin_user):
    start, end = date(2022, 1, 1), date(2026, 11, 20)
    pack = build_pack(person, viewer=admin_user, start=start, end=end)
    return freeze(staff=person, period_start=start, period_end=end, content=pack, actor=admin_user)


def test_the_print_view_is_a_document_with_its_blocks(grow, record_world, hr_user, as_user):
    grow(2)
    person = record_world["person"]
    response = as_user(hr_user).get(reverse("promotions:evidence_print", args=[person.pk]), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="document-issuer">{settings.CENTER["NAME"]}<' in html
    assert '<span data-testid="document-number">未编号工作稿</span>' in html  # live: not numbered
    assert 'data-testid="document-seal"' in html and 'data-testid="document-signatures"' in html
    assert "2026年11月20日" in html  # dated today, in the document's format
    assert "css/document.css" in html and 'data-testid="evidence-pack"' in html
    pdf = reverse("promotions:evidence_pdf", args=[person.pk])
    assert f'href="{pdf}?start=2022-01-01&amp;end=2026-11-20"' in html
    page = as_user(hr_user).get(reverse("promotions:evidence", args=[person.pk]), PERIOD)
    assert f"{pdf}?start=2022-01-01&amp;end=2026-11-20" in page.content.decode()


def test_the_pdf_is_a4_with_the_chinese_font_embedded(grow, record_world, hr_user, as_user):
    grow(2)
    person = record_world["person"]
    response = as_user(hr_user).get(reverse("promotions:evidence_pdf", args=[person.pk]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".pdf")
    facts = read_pdf(response.content)
    assert facts.is_a4(), facts.media_boxes
    assert "WenQuanYi-Micro-Hei" in facts.fonts
    # what a reader extracts: the issuing unit, the title, the person, the seal's label
    for text in (
        settings.CENTER["NAME"],
        "窗口工作表现晋升佐证材料",
        person.name,
        "盖章",
        "市场准入窗口",
    ):
        assert facts.covers(text), text
    # Two years of record fit on few pages (it used to print one mostly empty page per part).
    assert 2 <= facts.pages <= 4, facts.pages


def test_a_frozen_pack_prints_with_its_number_and_hash(record_world, admin_user, as_user):
    person = record_world["person"]
    snapshot = _frozen(person, admin_user)
    client = as_user(admin_user)
    html = client.get(reverse("promotions:snapshot_print", args=[snapshot.number])).content.decode()
    assert (
        f'<span class="document-number-value" data-testid="document-number">{snapshot.number}'
        in html
    )
    assert snapshot.content_hash in html and "已核验：内容与摘要一致" in html
    assert reverse("promotions:snapshot_pdf", args=[snapshot.number]) in html
    page = client.get(reverse("promotions:snapshot", args=[snapshot.number])).content.decode()
    assert reverse("promotions:snapshot_pdf", args=[snapshot.number]) in page
    response = client.get(reverse("promotions:snapshot_pdf", args=[snapshot.number]))
    assert response.status_code == 200
    assert snapshot.number in response["Content-Disposition"]
    facts = read_pdf(response.content)
    assert facts.is_a4() and facts.covers(snapshot.number) and facts.covers(snapshot.content_hash)


def test_a_frozen_pack_is_masked_again_for_a_liaison(record_world, admin_user, liaison_a, as_user):
    person = record_world["person"]
    snapshot = _frozen(person, admin_user)
    html = as_user(liaison_a).get(reverse("promotions:snapshot_print", args=[snapshot.number]))
    assert person.id_number not in html.content.decode()
    assert person.masked_id_number in html.content.decode()


def test_a_bad_period_is_a_400_and_no_pdf(record_world, hr_user, as_user):
    url = reverse("promotions:evidence_pdf", args=[record_world["person"].pk])
    response = as_user(hr_user).get(url, {"start": "2026-01-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", ["evidence_print", "evidence_pdf"])
def test_constant_queries(name, grow, record_world, hr_user, as_user):
    grow(1)
    client = as_user(hr_user)
    url = reverse(f"promotions:{name}", args=[record_world["person"].pk])

    def call():
        assert client.get(url, PERIOD).status_code == 200

    assert_constant_queries(call, lambda: grow(2), at_most=17)
