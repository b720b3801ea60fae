"""Official documents (公文): one HTML template per document, shown as the print view and turned
into a PDF on the server by WeasyPrint — the same template, the same CSS
(``static/css/document.css``: A4 ``@page`` rules with the page numbers), so paper and PDF agree.

Templates extend ``documents/base.html`` (issuing unit, document number, date, seal and
signature blocks). WeasyPrint reads only our own static files: its URL fetcher maps
``STATIC_URL`` to the files on disk and refuses everything else, so rendering never goes to the
network (the intranet has none, and a document must not depend on it).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .spreadsheets import file_response

PDF_CONTENT_TYPE = "application/pdf"


def issuer() -> str:
    """The issuing unit printed at the head of every document: the center's name."""
    return settings.CENTER["NAME"]


def document_number(kind: str, **values: Any) -> str:
    """A document number from its scheme in ``CENTER["DOCUMENTS"]`` (``kind``: ``REPORT``,
    ``TRANSFER``, …), filled with ``values`` and the center's code (``{code}``). Derived from
    the document's own identity, so the same document prints the same number every time."""
    documents = settings.CENTER["DOCUMENTS"]
    return documents[f"{kind}_NUMBER"].format(code=documents["CODE"], **values)


def _static_file(path: str) -> Path | None:
    prefix = urlsplit(settings.STATIC_URL).path
    if not path.startswith(prefix):
        return None
    name = unquote(path[len(prefix) :])
    if name.startswith("/") or ".." in Path(name).parts:  # nothing outside the static folders
        return None
    try:  # collected (production, hashed names included)
        collected = Path(staticfiles_storage.path(name))
        if collected.is_file():
            return collected
    except NotImplementedError:  # pragma: no cover - a remote storage
        pass
    found = finders.find(name)
    return Path(found) if found else None


def _fetcher():
    """WeasyPrint's fetcher (a ``URLFetcher`` in WeasyPrint 70): our static files only, read
    from disk, and ``data:`` URLs; anything else fails the rendering (FatalURLFetchingError)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_file(urlsplit(url).path)
            if found is None:
                raise ValueError(f"not a static file of this site: {url}")
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": kind})

    return StaticOnlyFetcher(allowed_protocols=["data", "http", "https"], fail_on_errors=True)


def render_document(html: str, *, base_url: str):
    """WeasyPrint's laid-out document (its ``pages``), for :func:`render_pdf` and the tests."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render()


def render_pdf(html: str, *, base_url: str) -> bytes:
    return render_document(html, base_url=base_url).write_pdf()


def document_context(**context: Any) -> dict[str, Any]:
    """The context every document template reads, beside its own (``issuer``)."""
    return {"issuer": issuer(), **context}


def print_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The print view: the document's page (A4 sheets on screen, paper from the browser)."""
    html = render_to_string(template, document_context(**context, pdf=False), request=request)
    return HttpResponse(html, status=status)


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, filename: str
) -> HttpResponse:
    """The same template as a PDF download (fonts embedded by WeasyPrint)."""
    html = render_to_string(template, document_context(**context, pdf=True), request=request)
    content = render_pdf(html, base_url=request.build_absolute_uri("/"))
    return file_response(content, filename=filename, content_type=PDF_CONTENT_TYPE)
