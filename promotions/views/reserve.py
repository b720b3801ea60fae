"""The reserve-cadre board, marking and rotation plans (the center)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.forms import add_errors
from staff.permissions import Perm, PermissionRequiredMixin, scope
from staff.selectors import staff_list_for_user

from .. import selectors, services
from ..forms import (
    RotationPlanForm,
    RotationProposeForm,
    RotationStartForm,
)
from ..models import RotationPlan
from .workflow import error_text

# --- reserve cadres ----------------------------------------------------------------------------


class ReserveBoardView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "promotions/reserve_board.html",
            {
                "rows": selectors.reserve_board(request.user, today),
                "candidates": selectors.reserve_candidates(request.user, today),
                "today": today,
            },
        )


class ReserveMarkView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def post(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        reserve = request.POST.get("reserve") == "1"
        services.reserve_mark(
            actor=request.user, staff=person, reserve=reserve, reason=request.POST.get("reason", "")
        )
        if reserve:
            messages.success(request, _("%(name)s is now a reserve cadre.") % {"name": person.name})
        else:
            messages.success(
                request, _("%(name)s is no longer a reserve cadre.") % {"name": person.name}
            )
        return redirect("promotions:reserve_board")


@method_decorator(never_cache, name="dispatch")
class RotationPlanCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def get(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        from django.conf import settings

        form = RotationPlanForm(
            initial={
                "planned_start": timezone.localdate(),
                "minimum_months": settings.PROMOTIONS["ROTATION_MIN_MONTHS"],
            }
        )
        return self.render(request, person, form)

    def post(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        form = RotationPlanForm(request.POST)
        if form.is_valid():
            try:
                services.rotation_plan_create(actor=request.user, staff=person, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The rotation was planned."))
                return redirect("promotions:reserve_board")
        return self.render(request, person, form, status=400)

    def render(self, request, person, form, status=200):
        return render(
            request,
            "promotions/rotation_form.html",
            {"form": form, "person": person},
            status=status,
        )


def plan_for_user(user, pk: int) -> RotationPlan:
    """A rotation plan of a person in the user's scope (another department's: 404)."""
    plans = scope(
        RotationPlan.objects.select_related("staff"),
        user,
        department="staff__department",
        person=None,
    )
    return get_object_or_404(plans, pk=pk)


def back_to(request):
    """Where a plan's form returns: the center's board, or the department's rotations."""
    board = request.POST.get("back") == "board"
    return redirect("promotions:reserve_board" if board else "promotions:rotation_list")


class RotationPlanCancelView(PermissionRequiredMixin, View):
    """The center cancels any plan; the home department those it proposed (the service says)."""

    permission_required = Perm.ROTATION_PROPOSE

    def post(self, request, pk):
        plan = plan_for_user(request.user, pk)
        try:
            services.rotation_plan_cancel(
                actor=request.user, plan=plan, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The rotation plan was cancelled."))
        return back_to(request)


# --- the home department's rotations (issue #16) -----------------------------------------------


class RotationListView(PermissionRequiredMixin, View):
    """The reserve cadres of the liaison's departments with their plan, its progress and its
    transfer request; propose a rotation, start one (it raises the transfer request)."""

    permission_required = Perm.ROTATION_PROPOSE

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "promotions/rotations.html",
            {
                "rows": selectors.reserve_board(request.user, today),
                "start_form": RotationStartForm(),
                "today": today,
            },
        )


@method_decorator(never_cache, name="dispatch")
class RotationProposeView(PermissionRequiredMixin, View):
    permission_required = Perm.ROTATION_PROPOSE

    def get(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        form = RotationProposeForm(
            department_id=person.department_id, initial={"planned_start": timezone.localdate()}
        )
        return self.render(request, person, form)

    def post(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        form = RotationProposeForm(request.POST, department_id=person.department_id)
        if form.is_valid():
            try:
                services.rotation_plan_propose(
                    actor=request.user, staff=person, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The rotation was proposed to the center."))
                return redirect("promotions:rotation_list")
        return self.render(request, person, form, status=400)

    def render(self, request, person, form, status=200):
        return render(
            request,
            "promotions/rotation_form.html",
            {"form": form, "person": person, "proposing": True},
            status=status,
        )


class RotationStartView(PermissionRequiredMixin, View):
    permission_required = Perm.ROTATION_PROPOSE

    def post(self, request, pk):
        plan = plan_for_user(request.user, pk)
        form = RotationStartForm(request.POST)
        form.is_valid()
        try:
            plan = services.rotation_plan_start(
                actor=request.user,
                plan=plan,
                early_justification=form.cleaned_data.get("early_justification", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            # the transfer service's refusal (e.g. a window of another department) as a message
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Transfer request #%(number)d was raised for the center's approval.")
                % {"number": plan.transfer_id},
            )
        return back_to(request)
