"""Performance-reference request pages: HR asks and withdraws, the center answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.pagination import page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.selectors import staff_list_for_user

from .. import eligibility, selectors, services
from ..forms import (
    AnswerForm,
    ReasonForm,
    ReferenceRequestForm,
)
from ..models import ReferenceState
from .workflow import (
    PAGE_SIZE,
    add_errors,
    error_text,
    person_by_number,
)

# --- performance-reference requests ------------------------------------------------------------


class ReferenceListView(PermissionRequiredMixin, View):
    """The center's queue (open first, by due date) or HR's requests."""

    permission_required = Perm.REFERENCE_VIEW

    def get(self, request):
        qs = selectors.reference_list_for_user(request.user)
        state = request.GET.get("state", ReferenceState.OPEN)
        if state in ReferenceState.values:
            qs = qs.filter(state=state)
        if request.GET.get("mine") and has_perm(request.user, Perm.REFERENCE_REQUEST):
            qs = qs.filter(requested_by=request.user)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        page.object_list = [
            {"item": r, "overdue": selectors.is_overdue(r, today)} for r in page.object_list
        ]
        return render(
            request,
            "promotions/reference_list.html",
            {
                "page": page,
                "query": page_query(request),
                "state": state,
                "states": ReferenceState.choices,
                "can_request": has_perm(request.user, Perm.REFERENCE_REQUEST),
            },
        )


@method_decorator(never_cache, name="dispatch")
class ReferenceCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_REQUEST

    def get(self, request):
        start, end = services.default_period()
        person = None
        staff_id = request.GET.get("staff", "")
        if staff_id.isdigit():
            person = get_object_or_404(staff_list_for_user(request.user), pk=int(staff_id))
        initial = {
            "period_start": start,
            "period_end": end,
            "due_date": services.default_due_date(),
            "staff_number": person.staff_number if person else "",
        }
        return self.render(request, ReferenceRequestForm(initial=initial), person)

    def post(self, request):
        form = ReferenceRequestForm(request.POST)
        person = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = person_by_number(request.user, data.pop("staff_number"))
            if person is None:
                form.add_error("staff_number", _("No such person in your scope."))
            else:
                try:
                    ref = services.reference_request_create(
                        actor=request.user, staff=person, **data
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("The request was sent to the center."))
                    return redirect("promotions:reference_detail", pk=ref.pk)
        return self.render(request, form, person, status=400)

    def render(self, request, form, person, status=200):
        return render(
            request,
            "promotions/reference_form.html",
            {"form": form, "person": person},
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class ReferenceDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_VIEW

    def get(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        return render(request, "promotions/reference_detail.html", self.context(request, ref))

    @staticmethod
    def context(request, ref, form=None):
        user = request.user
        is_open = ref.state == ReferenceState.OPEN
        return {
            "ref": ref,
            "overdue": selectors.is_overdue(ref),
            "appraisal": getattr(ref, "appraisal", None) if ref.state == "answered" else None,
            "can_answer": is_open and has_perm(user, Perm.REFERENCE_ANSWER),
            "can_withdraw": is_open
            and has_perm(user, Perm.REFERENCE_REQUEST)
            and ref.requested_by_id == user.pk,
            "form": form or AnswerForm(initial={"version": ref.version}),
            "flags": eligibility.flags_for(ref.staff_id),
        }


class ReferenceAnswerView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_ANSWER

    def post(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                ref = services.reference_request_answer(
                    actor=request.user,
                    request=ref,
                    appraisal=form.cleaned_data["appraisal"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Answered; the evidence pack was sent as document %(number)s.")
                    % {"number": ref.snapshot.number},
                )
                return redirect("promotions:reference_detail", pk=ref.pk)
        context = ReferenceDetailView.context(request, ref, form=form)
        return render(request, "promotions/reference_detail.html", context, status=400)


class ReferenceWithdrawView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_REQUEST

    def post(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.reference_request_withdraw(
                actor=request.user, request=ref, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect("promotions:reference_detail", pk=ref.pk)
