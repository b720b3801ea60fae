"""core.documents: WeasyPrint reads only our static files, pages are A4 with the page number and
(from the second page) the document number in the margins, numbers follow their setting."""

from __future__ import annotations

import pytest
from django.test import override_settings

from core import documents
from tests.pdf import read_pdf

BASE = "http://testserver/"


def _html(body: str, head: str = '<link rel="stylesheet" href="/static/css/document.css">') -> str:
    return f'<html><head>{head}</head><body class="document-body"><article class="document">{body}</article></body></html>'


def _margin_texts(page) -> dict[str, str]:
    def texts(box):
        own = [box.text] if hasattr(box, "text") else []
        return own + [t for child in getattr(box, "children", []) for t in texts(child)]

    return {
        box.at_keyword: "".join(texts(box))
        for box in page._page_box.children
        if getattr(box, "at_keyword", None)
    }


def test_pages_are_a4_numbered_with_the_document_number_from_page_two():
    body = '<p class="document-number"><span class="document-number-value">攀政服〔2026〕3号</span></p>'
    body += "<p>段落</p>" * 90
    rendered = documents.render_document(_html(body), base_url=BASE)
    assert len(rendered.pages) >= 2
    first, second = (_margin_texts(page) for page in rendered.pages[:2])
    assert first == {"@bottom-center": "— 1 —"}
    assert second == {"@top-right": "攀政服〔2026〕3号", "@bottom-center": "— 2 —"}
    facts = read_pdf(rendered.write_pdf())
    assert facts.is_a4() and facts.pages == len(rendered.pages)
    assert "WenQuanYi-Micro-Hei" in facts.fonts and facts.covers("攀政服段落")


def test_a_stylesheet_from_elsewhere_fails_the_rendering():
    from weasyprint.urls import FatalURLFetchingError

    outside = '<link rel="stylesheet" href="http://example.com/evil.css">'
    with pytest.raises(FatalURLFetchingError):
        documents.render_pdf(_html("<p>x</p>", head=outside), base_url=BASE)
    with pytest.raises(FatalURLFetchingError):  # nothing outside the static folder either
        documents.render_pdf(
            _html("<p>x</p>", head='<link rel="stylesheet" href="/static/../manage.py">'),
            base_url=BASE,
        )


def test_a_missing_static_file_fails_the_rendering():
    from weasyprint.urls import FatalURLFetchingError

    missing = '<link rel="stylesheet" href="/static/css/missing.css">'
    with pytest.raises(FatalURLFetchingError):
        documents.render_pdf(_html("<p>x</p>", head=missing), base_url=BASE)


def test_numbers_follow_their_setting(settings):
    assert documents.document_number("TRANSFER", year=2026, id=17) == "攀政服调〔2026〕17号"
    with override_settings(
        CENTER={**settings.CENTER, "DOCUMENTS": {"CODE": "X", "TRANSFER_NUMBER": "{code}-{id:04d}"}}
    ):
        assert documents.document_number("TRANSFER", id=17) == "X-0017"


def test_collected_static_files_are_read_from_static_root(settings, tmp_path):
    """Production serves hashed, collected names (ManifestStaticFilesStorage): the fetcher reads
    them from STATIC_ROOT, where the finders would not find them."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "document.0123abcd.css").write_text("@page { size: A5; }")
    settings.STATIC_ROOT = str(tmp_path)
    head = '<link rel="stylesheet" href="/static/css/document.0123abcd.css">'
    rendered = documents.render_document(_html("<p>x</p>", head=head), base_url=BASE)
    assert round(rendered.pages[0].width * 0.75) == 420  # A5 (148 mm) in points, not A4's 595


def test_only_names_inside_the_static_folders_are_read(settings):
    """The fetcher's own check, past URL joining (which folds a plain ``/../`` away before the
    fetcher sees it): escaped dots and an absolute name are refused, a real file is found."""
    prefix = settings.STATIC_URL
    assert documents._static_file(prefix + "css/document.css") is not None
    for name in ("%2e%2e/manage.py", "..%2fmanage.py", "/etc/passwd", "%2fetc%2fpasswd"):
        assert documents._static_file(prefix + name) is None, name
