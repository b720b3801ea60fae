"""The transfer approval form (调整审批表) of one request as an official A4 document: the print
view and its PDF from one template (core/documents.py), the same permission and scope as the
request's page. Numbered ``CENTER["DOCUMENTS"]["TRANSFER_NUMBER"]`` from the request's year and
id, dated the center's consent (today until it consents)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import documents, people
from staff.permissions import LoadFirstMixin, Perm

from . import rules, selectors

TEMPLATE = "windows/transfer_document.html"


class TransferFormView(LoadFirstMixin, View):
    permission_required = Perm.TRANSFER_VIEW
    pdf = False

    def load(self, request, pk):
        self.transfer = selectors.transfer_get_for_user(request.user, pk)

    def get(self, request, pk):
        t = self.transfer
        context = {
            "transfer": t,
            "vettings": t.vettings.select_related(
                "staff", "vetted_by", *people.related("vetted_by")
            ),
            "outgoing_tenure": (
                t.outgoing_stationing.tenure_months(t.effective_date)
                if t.outgoing_stationing is not None
                else None
            ),
            "min_months": rules.min_tenure_months(),
            "number": documents.document_number(
                "TRANSFER", year=timezone.localdate(t.created_at).year, id=t.pk
            ),
            "date": (
                timezone.localdate(t.center_consent_at)
                if t.center_consent_at
                else timezone.localdate()
            ),
        }
        if not self.pdf:
            return documents.print_response(request, TEMPLATE, context)
        filename = _("Transfer approval form %(number)s.pdf") % {"number": context["number"]}
        return documents.pdf_response(request, TEMPLATE, context, filename=filename)


class TransferPdfView(TransferFormView):
    pdf = True
