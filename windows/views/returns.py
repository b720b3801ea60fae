"""Issue #16: a stationing returned for poor performance, the windows without a chief and the
replacement demands."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.forms import add_errors
from core.pagination import CountPaginator
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin

from .. import selectors, services
from ..forms import (
    ReturnForm,
)


class StationingReturnView(LoadFirstMixin, FormView):
    """The center returns a stationed person to the home department for poor performance."""

    permission_required = Perm.STATIONING_RETURN
    template_name = "windows/return_form.html"
    form_class = ReturnForm

    def load(self, request, pk):
        self.stationing = selectors.stationing_get_for_user(request.user, pk)
        if self.stationing.end_date is not None:
            raise Http404

    def get_context_data(self, **kwargs):
        return super().get_context_data(stationing=self.stationing, **kwargs)

    def form_valid(self, form):
        try:
            demand = services.stationing_return(
                actor=self.request.user,
                stationing=self.stationing,
                reason=form.cleaned_data["reason"],
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was returned; the department must station a replacement by %(date)s.")
            % {"name": self.stationing.staff.name, "date": demand.due_date.isoformat()},
        )
        return redirect("windows:window_detail", pk=self.stationing.window_id)


class WindowsWithoutChiefView(PermissionRequiredMixin, View):
    """Active windows without a chief representative holding a valid letter of appointment."""

    permission_required = Perm.WINDOW_VIEW

    def get(self, request):
        qs = selectors.windows_without_chief(request.user)
        page = CountPaginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "windows/without_chief.html", {"page": page, "query": ""})


class ReplacementDemandListView(PermissionRequiredMixin, View):
    """The center's replacement demands, open ones first by due date (liaison: their own)."""

    permission_required = Perm.TRANSFER_VIEW

    def get(self, request):
        open_only = request.GET.get("all") != "1"
        qs = selectors.replacement_demands_for_user(request.user, open_only=open_only)
        page = CountPaginator(qs, 50).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "open_only": open_only,
            "query": "" if open_only else "all=1",
            "today": timezone.localdate(),
        }
        return render(request, "windows/replacement_demands.html", context)
