"""Leave in approval tiers with a named stand-in, and stepping out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.models import Staff
from staff.permissions import Perm, has_perm, permission_required
from windows.stand_in_reads import stand_in_for

from .. import selectors
from ..conf import conf
from ..forms import LeaveForm, StepOutForm
from ..models import LeaveStep
from ..services import leave as leave_service
from ..services import step_outs as step_out_service
from ..services.common import own_person
from .days import PAGE_SIZE


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
        for message in exc.messages:
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
                step_out_service.step_out_register(
                    actor=request.user, staff=staff, **form.cleaned_data
                )
            except ValidationError as exc:
                for message in exc.messages:
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
        step_out_service.step_out_back(actor=request.user, step_out=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("attendance:me")
    messages.success(request, _("Welcome back."))
    return redirect(
        "attendance:step_outs" if request.POST.get("next") == "list" else "attendance:me"
    )
