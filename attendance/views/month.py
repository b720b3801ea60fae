"""The month's work: make-up punches, the punch import, deriving days, month end with its
proposed deductions, the department's monthly sheet."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs, spreadsheets
from core.imports import TwoStepImportView
from staff.permissions import Perm, PermissionRequiredMixin, has_perm, permission_required
from windows.models import Stationing

from .. import selectors
from .. import sheet as sheet_rows
from ..conf import conf
from ..forms import MakeupForm, PunchUploadForm
from ..models import DeductionState, MonthDeduction
from ..services import makeups as makeup_service
from ..services import month as month_service
from ..services import punches as punch_service
from ..services.common import own_person
from ..services.days import days_derive
from ..sheet import sheet_filename
from ..sheet import sheet_xlsx as sheet_workbook
from .days import PAGE_SIZE, month_asked


@permission_required(Perm.ATTENDANCE_VIEW)
def makeups(request):
    if request.method == "POST":
        if not has_perm(request.user, Perm.ATTENDANCE_REQUEST):
            raise PermissionDenied
        staff = own_person(request.user)
        if staff is None:
            raise Http404(_("You have no staff record."))
        form = MakeupForm(request.POST)
        if form.is_valid():
            try:
                makeup_service.makeup_request(actor=request.user, staff=staff, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your make-up punch request was sent."))
        else:
            messages.error(request, _("Give the time and the reason."))
        return redirect("attendance:me")
    page = Paginator(selectors.makeup_list_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "attendance/makeups.html",
        {"page_obj": page, "manage": has_perm(request.user, Perm.ATTENDANCE_MANAGE)},
    )


@require_POST
@permission_required(Perm.ATTENDANCE_MANAGE)
def makeup_decide(request, pk: int):
    item = get_object_or_404(selectors.makeup_list_for_user(request.user), pk=pk)
    try:
        makeup_service.makeup_decide(
            actor=request.user,
            request=item,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("attendance:makeups")
    messages.success(request, _("Saved."))
    return redirect("attendance:makeups")


# --- import, derive, month end ------------------------------------------------------------------


class PunchImportView(PermissionRequiredMixin, TwoStepImportView):
    permission_required = Perm.ATTENDANCE_MANAGE
    form_class = PunchUploadForm
    template_name = "attendance/import.html"
    salt = "attendance.punch-import"
    restart_url_name = "attendance:import"
    file_error = punch_service.PunchFileError
    import_file = staticmethod(punch_service.punch_import)

    def succeeded(self, request, result, filename):
        messages.success(
            request,
            _("Imported %(new)d punches from %(file)s (%(already)d were already stored).")
            % {"new": result.new, "file": filename, "already": result.already},
        )
        return redirect("attendance:day")


@permission_required(Perm.ATTENDANCE_MANAGE)
def import_template(request):
    return spreadsheets.file_response(
        punch_service.punch_template(),
        filename="打卡记录导入模板.xlsx",
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@require_POST
@permission_required(Perm.ATTENDANCE_MANAGE)
def derive(request):
    start = parse_date(request.POST.get("start") or "")
    end = parse_date(request.POST.get("end") or "") or start
    if start is None or end < start or (end - start).days > 31:
        messages.error(request, _("Give a span of at most 31 days."))
        return redirect("attendance:day")
    people = Stationing.objects.current_on(end).count()
    if people * ((end - start).days + 1) > conf("DERIVE_INLINE_MAX"):
        # a province's month takes minutes: a worker derives it, not this request
        if jobs.send("attendance.derive_span", start.isoformat(), end.isoformat()):
            messages.success(
                request, _("The days are being derived; they appear in a few minutes.")
            )
        else:
            messages.error(request, _("The derivation could not be queued; try again later."))
        return redirect(f"{reverse('attendance:day')}?date={end:%Y-%m-%d}")
    result = days_derive(start=start, end=end)
    messages.success(
        request,
        _("Days derived: %(created)d new, %(updated)d changed, %(deleted)d removed.")
        % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
    )
    return redirect(f"{reverse('attendance:day')}?date={end:%Y-%m-%d}")


@permission_required(Perm.ATTENDANCE_MANAGE)
def month_end(request):
    month = month_asked(request)
    rows = (
        MonthDeduction.objects.filter(month=month)
        .select_related("staff", "department", "entry")
        .order_by("department__code", "staff__staff_number", "kind")
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    proposed = rows.filter(state=DeductionState.PROPOSED).count()
    return render(
        request,
        "attendance/month.html",
        {
            "month": month,
            "page_obj": page,
            "proposed": proposed,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "query": f"month={month:%Y-%m}",
        },
    )


@require_POST
@permission_required(Perm.ATTENDANCE_MANAGE)
def month_action(request, action: str):
    month = month_asked(request)
    target = f"{reverse('attendance:month')}?month={month:%Y-%m}"
    try:
        if action == "propose":
            done = month_service.deductions_propose(actor=request.user, month=month)
            messages.success(
                request,
                _("Proposals: %(created)d new, %(updated)d changed, %(removed)d removed.") % done,
            )
        elif action == "confirm":
            confirmed = month_service.deductions_confirm(actor=request.user, month=month)
            messages.success(
                request,
                _("%(count)d deductions recorded as assessment entries.")
                % {"count": len(confirmed)},
            )
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(target)


# --- the monthly sheet ---------------------------------------------------------------------------


def sheet_query(request):
    """The sheet's department (scoped: another department's code → 404), month, days and rows;
    shared by the page, its xlsx and its document (attendance/documents.py)."""
    departments = selectors.department_list_for_user(request.user)
    code = request.GET.get("department") or ""
    department = None
    if code:
        department = get_object_or_404(departments, code=code)
    month = month_asked(request)
    days = month_service.month_days(month)
    rows = selectors.department_sheet(department, days) if department else []
    return departments, department, month, days, rows


@permission_required(Perm.ATTENDANCE_LIST)
def sheet(request):
    departments, department, month, days, rows = sheet_query(request)
    return render(
        request,
        "attendance/sheet.html",
        {
            "departments": departments,
            "department": department,
            "month": month,
            "days": days,
            "rows": sheet_rows.with_symbols(rows),
            "legend": sheet_rows.legend(),
        },
    )


@permission_required(Perm.ATTENDANCE_LIST)
def sheet_xlsx(request):
    _departments, department, month, _days, _rows = sheet_query(request)
    if department is None:
        raise Http404
    response: HttpResponse = spreadsheets.file_response(
        sheet_workbook(department, month),
        filename=sheet_filename(department, month),
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )
    return response
