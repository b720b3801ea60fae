"""Attendance pages: the day view and monthly sheet (center, liaisons, HR), a person's month
(phone-first for window staff), leave, stepping out, make-up punches, import, month end."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import jobs, spreadsheets
from core.imports import TwoStepImportView
from core.system_clients import client_for_token
from staff.models import Role, Staff
from staff.permissions import Perm, PermissionRequiredMixin, has_perm, permission_required
from windows.models import Stationing
from windows.stand_in_reads import stand_in_for

from . import board, selectors
from .conf import conf
from .forms import LeaveForm, MakeupForm, PunchUploadForm, StepOutForm
from .models import DayStatus, DeductionState, LeaveStep, MakeupRequest, MonthDeduction
from .services import leave as leave_service
from .services import month as month_service
from .services import punches as punch_service
from .services.common import own_person
from .services.days import days_derive
from .sheet import sheet_filename
from .sheet import sheet_xlsx as sheet_workbook

PAGE_SIZE = 50
HALL_SCREEN_SCOPE = "hall.screen"  # a system client's scope: it may show the hall screen


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _month(request) -> date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    parsed = parse_date(raw + "-01") if len(raw) == 7 else None
    return (parsed or timezone.localdate()).replace(day=1)


@permission_required(Perm.ATTENDANCE_LIST)
def day_view(request):
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    rows = selectors.day_list_for_user(request.user, day=day)
    status = request.GET.get("status") or ""
    if status in DayStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.day_counts_for_user(request.user, day=day)
    return render(
        request,
        "attendance/day.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "page_obj": page,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in DayStatus.choices],
            "manage": has_perm(request.user, Perm.ATTENDANCE_MANAGE),
            "query": f"date={day:%Y-%m-%d}" + (f"&status={status}" if status else ""),
        },
    )


def _month_context(request, staff: Staff) -> dict:
    first = _month(request)
    first_day, last = month_service.month_bounds(first)
    days = selectors.person_month(staff, first_day, last)
    totals = {
        field: sum(getattr(d, field) for d in days)
        for field in ("late", "left_early", "missing", "absent_halves", "step_out_overdue")
    }
    return {
        "person": staff,
        "month": first,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "next": (first + timedelta(days=32)).replace(day=1),
        "days": days,
        "totals": totals,
    }


@permission_required(Perm.ATTENDANCE_VIEW)
def person_month(request, pk: int):
    staff = selectors.staff_get_for_user(request.user, pk)
    return render(request, "attendance/person_month.html", _month_context(request, staff))


@permission_required(Perm.ATTENDANCE_REQUEST)
def my_attendance(request):
    staff = own_person(request.user)
    if staff is None:
        raise Http404(_("You have no staff record."))
    context = _month_context(request, staff)
    today = timezone.localdate()
    context.update(
        {
            "today": next((d for d in context["days"] if d.date == today), None),
            "leaves": selectors.leave_list_for_user(request.user).filter(staff=staff)[:10],
            "open_out": selectors.step_out_list_for_user(request.user)
            .filter(staff=staff, back_at__isnull=True)
            .first(),
            "makeups": MakeupRequest.objects.filter(staff=staff).order_by("-at")[:5],
            "step_out_form": StepOutForm(),
            "makeup_form": MakeupForm(),
        }
    )
    return render(request, "attendance/me.html", context)


# --- leave ---------------------------------------------------------------------------------------


@permission_required(Perm.ATTENDANCE_VIEW)
def leave_list(request):
    rows = selectors.leave_list_for_user(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/leave_list.html",
        {"page_obj": page, "waiting": selectors.leave_waiting_for(request.user)},
    )


def _stand_in(number: str) -> Staff | None:
    number = (number or "").strip()
    if not number:
        return None
    found = Staff.objects.filter(staff_number=number).first()
    if found is None:
        raise ValidationError({"stand_in": [_("No staff member has this staff number.")]})
    return found


@permission_required(Perm.ATTENDANCE_REQUEST)
def leave_create(request):
    staff = own_person(request.user)
    if staff is None:
        raise Http404(_("You have no staff record."))
    partner = stand_in_for(staff, timezone.localdate())  # the A/B pair's other person
    form = LeaveForm(
        request.POST or None, initial={"stand_in": partner.staff_number if partner else ""}
    )
    if partner is not None:
        form.fields["stand_in"].help_text = _(
            "Your A/B partner %(name)s (%(number)s) is filled in; change it if someone else "
            "stands in. Required before the leave can be approved."
        ) % {"name": partner.name, "number": partner.staff_number}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = leave_service.leave_request(
                actor=request.user,
                staff=staff,
                category=data["category"],
                start_date=data["start_date"],
                start_half=data["start_half"],
                end_date=data["end_date"],
                end_half=data["end_half"],
                reason=data["reason"],
                stand_in=_stand_in(data["stand_in"]),
            )
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error.messages[0])
        else:
            messages.success(request, _("Your leave request was sent."))
            return redirect("attendance:leave_detail", pk=leave.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "attendance/leave_form.html", {"form": form}, status=status)


@permission_required(Perm.ATTENDANCE_VIEW)
def leave_detail(request, pk: int):
    leave = selectors.leave_get_for_user(request.user, pk)
    step = leave.next_step
    return render(
        request,
        "attendance/leave_detail.html",
        {
            "leave": leave,
            "step": step,
            "step_label": LeaveStep(step).label if step else "",
            "may_decide": step is not None and leave_service.may_decide(request.user, leave, step),
            "is_mine": leave.staff.user_id == request.user.pk,
            "manage": has_perm(request.user, Perm.ATTENDANCE_MANAGE),
        },
    )


LEAVE_ACTIONS = {"decide", "stand_in", "withdraw", "return"}


@require_POST
@permission_required(Perm.ATTENDANCE_VIEW)
def leave_action(request, pk: int, action: str):
    if action not in LEAVE_ACTIONS:
        raise Http404
    leave = selectors.leave_get_for_user(request.user, pk)
    try:
        if action == "decide":
            leave_service.leave_decide(
                actor=request.user,
                leave=leave,
                approve=request.POST.get("approve") == "1",
                note=request.POST.get("note", ""),
            )
        elif action == "stand_in":
            stand_in = _stand_in(request.POST.get("stand_in", ""))
            if stand_in is None:
                raise ValidationError(_("Give the stand-in's staff number."))
            leave_service.leave_set_stand_in(actor=request.user, leave=leave, stand_in=stand_in)
        elif action == "withdraw":
            leave_service.leave_withdraw(actor=request.user, leave=leave)
        else:
            back_on = parse_date(request.POST.get("back_on") or "") or timezone.localdate()
            leave_service.leave_return(actor=request.user, leave=leave, back_on=back_on)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        response = leave_detail(request, pk)
        response.status_code = 400
        return response
    messages.success(request, _("Saved."))
    return redirect("attendance:leave_detail", pk=pk)


# --- stepping out ------------------------------------------------------------------------------


@permission_required(Perm.ATTENDANCE_VIEW)
def step_outs(request):
    if request.method == "POST":
        if not has_perm(request.user, Perm.ATTENDANCE_REQUEST):
            raise PermissionDenied
        staff = own_person(request.user)
        if staff is None:
            raise Http404(_("You have no staff record."))
        form = StepOutForm(request.POST)
        if form.is_valid():
            try:
                leave_service.step_out_register(
                    actor=request.user, staff=staff, **form.cleaned_data
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, _("Stepping out registered. Register your return."))
                return redirect("attendance:me")
        else:
            messages.error(request, _("Give the reason and the destination."))
        return redirect("attendance:me")
    rows = selectors.step_out_list_for_user(request.user)
    return render(
        request,
        "attendance/step_outs.html",
        {"rows": rows[:500], "overdue_minutes": conf("STEP_OUT_OVERDUE_MINUTES")},
    )


@require_POST
@permission_required(Perm.ATTENDANCE_REQUEST)
def step_out_back(request, pk: int):
    item = selectors.step_out_get_for_user(request.user, pk)
    try:
        leave_service.step_out_back(actor=request.user, step_out=item)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("attendance:me")
    messages.success(request, _("Welcome back."))
    return redirect(
        "attendance:step_outs" if request.POST.get("next") == "list" else "attendance:me"
    )


# --- make-up punches ---------------------------------------------------------------------------


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
                leave_service.makeup_request(actor=request.user, staff=staff, **form.cleaned_data)
            except ValidationError as exc:
                for message in _errors(exc):
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
        leave_service.makeup_decide(
            actor=request.user,
            request=item,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for message in _errors(exc):
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
    month = _month(request)
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
    month = _month(request)
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
        for message in _errors(exc):
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
    month = _month(request)
    days = month_service.month_days(month)
    rows = selectors.department_sheet(department, days) if department else []
    return departments, department, month, days, rows


@permission_required(Perm.ATTENDANCE_LIST)
def sheet(request):
    departments, department, month, days, rows = sheet_query(request)
    symbols = month_service.SYMBOLS
    for row in rows:
        row["symbols"] = [symbols.get(cell, "") if cell else "" for cell in row["cells"]]
    return render(
        request,
        "attendance/sheet.html",
        {
            "departments": departments,
            "department": department,
            "month": month,
            "days": days,
            "rows": rows,
            "legend": [(symbols[code], label) for code, label in DayStatus.choices],
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


# --- the on-duty board and the hall screen -------------------------------------------------------


@permission_required(Perm.ATTENDANCE_LIST)
def on_duty(request):
    """Who is at which window now (a liaison: their windows); redrawn every 30 s by htmx."""
    area = request.GET.get("area", "")
    context = board.board(request.user, page=request.GET.get("page"), area=area)
    context["query"] = f"area={area}" if area else ""
    context["area"] = area
    template = "attendance/_board.html" if request.htmx else "attendance/board.html"
    return render(request, template, context)


class _Hall:
    """Whom the hall screen reads for: every window (the center's view), no person."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = Role.CENTER_ADMIN
    pk = None


@never_cache
def hall_screen(request, token):
    """The hall's screen: no login, a revocable system-client token of scope ``hall.screen``
    in the address; every window's state, redrawing itself. Names of the people at the
    windows only, as the hall shows them anyway."""
    client = client_for_token(token)
    if client is None or HALL_SCREEN_SCOPE not in client.scopes:
        raise Http404
    area = request.GET.get("area", "")
    context = board.board(_Hall(), page=request.GET.get("page"), area=area)
    context.update(token=token, area=area, query=f"area={area}" if area else "", screen=True)
    template = "attendance/_board.html" if request.htmx else "attendance/hall.html"
    return render(request, template, context)
