"""The department's monthly attendance sheet as an official A4 (landscape) document: the print
view and its PDF from one template (core/documents.py), the same rows as the page and its xlsx,
the same permission and scope. Numbered ``CENTER["DOCUMENTS"]["ATTENDANCE_NUMBER"]`` from the
month and the department, dated the month's end (today while the month runs)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import documents
from staff.permissions import Perm, permission_required

from . import sheet
from .views.month import sheet_query

TEMPLATE = "attendance/sheet_document.html"


def _context(request) -> dict:
    _departments, department, month, days, rows = sheet_query(request)
    if department is None:
        raise Http404
    return {
        "department": department,
        "month": month,
        "days": days,
        "rows": sheet.with_symbols(rows),
        "legend": sheet.legend(),
        "number": documents.document_number(
            "ATTENDANCE", year=month.year, month=month.month, department=department.code
        ),
        "date": min(days[-1], timezone.localdate()),
    }


@permission_required(Perm.ATTENDANCE_LIST)
def sheet_print(request):
    return documents.print_response(request, TEMPLATE, _context(request))


@permission_required(Perm.ATTENDANCE_LIST)
def sheet_pdf(request):
    context = _context(request)
    filename = _("Attendance sheet %(department)s %(month)s.pdf") % {
        "department": context["department"].name,
        "month": f"{context['month']:%Y-%m}",
    }
    return documents.pdf_response(request, TEMPLATE, context, filename=filename)
