"""The center's overdue-case deductions (issue #18): the proposals with their cases, rerun them,
confirm the chosen ones in one step, dismiss one with a reason. Views call
``services/cases.py`` only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.forms import StyledForm
from core.pagination import CountPaginator
from staff.permissions import Perm, permission_required, scope

from .rule_models import CaseDeduction, CaseDeductionState
from .services import cases as case_services

PAGE = 50


class DismissForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


@permission_required(Perm.ASSESSMENT_ENTRY_EDIT)
def case_deduction_list(request):
    state = request.GET.get("state") or CaseDeductionState.PROPOSED
    if state not in CaseDeductionState.values:
        state = CaseDeductionState.PROPOSED
    rows = (
        scope(CaseDeduction.objects.filter(state=state), request.user)
        .select_related("case", "case__service_item", "case__window", "staff", "department")
        .order_by("-case__deadline", "-id")
    )
    page = CountPaginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/case_deductions.html",
        {
            "page": page,
            "state": state,
            "states": CaseDeductionState.choices,
            "query": f"state={state}",
        },
    )


@permission_required(Perm.ASSESSMENT_ENTRY_EDIT)
@require_POST
def case_deduction_propose(request):
    counts = case_services.case_deductions_propose(actor=request.user)
    messages.success(
        request,
        _("Proposals rerun: %(created)d new, %(updated)d updated, %(withdrawn)d withdrawn.")
        % counts,
    )
    return redirect("assessments:case_deductions")


@permission_required(Perm.ASSESSMENT_ENTRY_EDIT)
@require_POST
def case_deduction_confirm(request):
    try:
        ids = [int(v) for v in request.POST.getlist("ids")]
    except ValueError:
        ids = []
    ids = [pk for pk in ids if 0 < pk < 2**31]
    if not ids:
        messages.error(request, _("Choose the proposals to confirm."))
        return redirect("assessments:case_deductions")
    try:
        done = case_services.case_deductions_confirm(actor=request.user, ids=ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:case_deductions")
    messages.success(
        request,
        ngettext(
            "%(count)d deduction recorded; the person is notified and may appeal.",
            "%(count)d deductions recorded; each person is notified and may appeal.",
            len(done),
        )
        % {"count": len(done)},
    )
    return redirect("assessments:case_deductions")


@permission_required(Perm.ASSESSMENT_ENTRY_EDIT)
def case_deduction_dismiss(request, pk):
    item = get_object_or_404(
        scope(CaseDeduction.objects.all(), request.user).select_related(
            "case", "case__service_item", "staff"
        ),
        pk=pk,
    )
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_deduction_dismiss(
                actor=request.user, deduction=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal is dismissed."))
            return redirect("assessments:case_deductions")
    return render(request, "assessments/case_deduction_dismiss.html", {"item": item, "form": form})
