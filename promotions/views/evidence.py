"""Evidence pack pages: the live pack of a person for a period, its xlsx, and frozen snapshots
rendered through the same template. Pages that show ID numbers are ``never_cache``."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core import documents
from core.spreadsheets import XLSX_CONTENT_TYPE, file_response
from staff.permissions import Perm, PermissionRequiredMixin

from ..evidence import selectors
from ..evidence.forms import EvidencePeriodForm, period_from
from ..evidence.pack import PARTS, live_pack, masked_for
from ..evidence.snapshots import verify
from ..evidence.xlsx import pack_filename, pack_xlsx


@method_decorator(never_cache, name="dispatch")
class EvidenceView(PermissionRequiredMixin, View):
    """``GET ?start=&end=``: the on-screen, printable pack (default: the last EVIDENCE_YEARS)."""

    permission_required = Perm.EVIDENCE_VIEW

    def get(self, request, pk: int):
        person = selectors.evidence_staff_get_for_user(request.user, pk)
        form, period = period_from(request.GET)
        status = 200
        if period is None:
            form, period, status = _fallback(form)
        else:  # show the dates used, defaults included
            form = EvidencePeriodForm({"start": period[0], "end": period[1]})
        pack = live_pack(person, start=period[0], end=period[1], viewer=request.user)
        context = {"person": person, "pack": pack, "form": form, "parts": PARTS}
        return render(request, "promotions/evidence.html", context, status=status)


def _fallback(form):
    """An invalid period is reported on the page, which then shows the default period."""
    default = EvidencePeriodForm({})
    default.is_valid()
    start, end = default.cleaned_data["start"], default.cleaned_data["end"]
    shown = EvidencePeriodForm({"start": start, "end": end})
    shown._errors = form.errors
    return shown, (start, end), 400


class _LivePackView(PermissionRequiredMixin, View):
    """A live pack for ``?start=&end=`` handed to :meth:`respond`; an invalid period answers
    400 with the page and its errors."""

    permission_required = Perm.EVIDENCE_VIEW

    def get(self, request, pk: int):
        person = selectors.evidence_staff_get_for_user(request.user, pk)
        form, period = period_from(request.GET)
        if period is None:
            return render(
                request,
                "promotions/evidence.html",
                {"person": person, "pack": None, "form": form, "parts": PARTS},
                status=400,
            )
        pack = live_pack(person, start=period[0], end=period[1], viewer=request.user)
        return self.respond(request, person, pack)

    def respond(self, request, person, pack):  # pragma: no cover - each view has its own
        raise NotImplementedError


@method_decorator(never_cache, name="dispatch")
class EvidenceXlsxView(_LivePackView):
    def respond(self, request, person, pack):
        return file_response(
            pack_xlsx(pack), filename=pack_filename(pack), content_type=XLSX_CONTENT_TYPE
        )


def _document_context(person, pack, snapshot=None) -> dict:
    """The evidence pack as an official document: a frozen pack carries its snapshot's number
    and date; a live one is an unnumbered working copy dated today."""
    context = {"person": person, "pack": pack, "snapshot": snapshot, "document": True}
    if snapshot is None:
        return {**context, "number": "", "date": timezone.localdate()}
    return {
        **context,
        "number": snapshot.number,
        "date": timezone.localdate(snapshot.created_at),
        "verified": verify(snapshot),
    }


def _pdf_filename(pack, number: str = "") -> str:
    identity = pack["identity"]
    parts = [_("Promotion evidence"), identity["staff_number"], identity["name"], number]
    return "-".join(part for part in parts if part) + ".pdf"


@method_decorator(never_cache, name="dispatch")
class EvidencePrintView(_LivePackView):
    """The pack as an A4 official document (print view); its PDF is :class:`EvidencePdfView`."""

    def respond(self, request, person, pack):
        return documents.print_response(
            request, "promotions/evidence_document.html", _document_context(person, pack)
        )


@method_decorator(never_cache, name="dispatch")
class EvidencePdfView(_LivePackView):
    def respond(self, request, person, pack):
        return documents.pdf_response(
            request,
            "promotions/evidence_document.html",
            _document_context(person, pack),
            filename=_pdf_filename(pack),
        )


@method_decorator(never_cache, name="dispatch")
class SnapshotView(PermissionRequiredMixin, View):
    """A frozen pack, exactly as sent, with its number, hash and whether the hash still holds."""

    permission_required = Perm.EVIDENCE_VIEW

    def get(self, request, number: str):
        snapshot = selectors.snapshot_get_for_user(request.user, number)
        context = {
            "person": snapshot.staff,
            "pack": masked_for(snapshot.content, request.user),
            "snapshot": snapshot,
            "verified": verify(snapshot),
            "parts": PARTS,
        }
        return render(request, "promotions/evidence.html", context)


@method_decorator(never_cache, name="dispatch")
class SnapshotXlsxView(PermissionRequiredMixin, View):
    permission_required = Perm.EVIDENCE_VIEW

    def get(self, request, number: str):
        snapshot = selectors.snapshot_get_for_user(request.user, number)
        pack = masked_for(snapshot.content, request.user)
        return file_response(
            pack_xlsx(pack),
            filename=pack_filename(pack, number=snapshot.number),
            content_type=XLSX_CONTENT_TYPE,
        )


@method_decorator(never_cache, name="dispatch")
class SnapshotPrintView(PermissionRequiredMixin, View):
    """A frozen pack as an official document, numbered with the snapshot's number."""

    permission_required = Perm.EVIDENCE_VIEW
    pdf = False

    def get(self, request, number: str):
        snapshot = selectors.snapshot_get_for_user(request.user, number)
        pack = masked_for(snapshot.content, request.user)
        context = _document_context(snapshot.staff, pack, snapshot)
        template = "promotions/evidence_document.html"
        if not self.pdf:
            return documents.print_response(request, template, context)
        return documents.pdf_response(
            request, template, context, filename=_pdf_filename(pack, snapshot.number)
        )


class SnapshotPdfView(SnapshotPrintView):
    pdf = True
