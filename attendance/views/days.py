"""The day view (center, liaisons, HR), a person's month (phone-first for window staff), one's
own attendance, the on-duty board and the hall screen."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.system_clients import client_for_token
from staff.models import Role, Staff
from staff.permissions import Perm, has_perm, permission_required

from .. import board, selectors
from ..forms import MakeupForm, StepOutForm
from ..models import DayStatus, MakeupRequest
from ..services import month as month_service
from ..services.common import own_person

PAGE_SIZE = 50
HALL_SCREEN_SCOPE = "hall.screen"  # a system client's scope: it may show the hall screen


def month_asked(request) -> date:
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
    first = month_asked(request)
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
