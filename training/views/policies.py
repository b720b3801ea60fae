"""Policy updates: the list, publishing one, closing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin

from .. import selectors, services
from ..forms import (
    PolicyUpdateForm,
)

PAGE_SIZE = 50


class PolicyUpdateListView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_VIEW

    def get(self, request):
        updates = selectors.policy_update_list_for_user(request.user)
        page = CountPaginator(updates, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "training/policy_list.html",
            {"page": page, "query": page_query(request), "today": timezone.localdate()},
        )


class PolicyUpdateCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.POLICY_UPDATE_EDIT

    def get(self, request):
        form = PolicyUpdateForm(initial={"published_on": timezone.localdate()})
        return render(request, "training/policy_form.html", {"form": form})

    def post(self, request):
        form = PolicyUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.policy_update_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The policy update was published."))
                return redirect("training:policy_list")
        return render(request, "training/policy_form.html", {"form": form}, status=400)


class PolicyUpdateCloseView(PermissionRequiredMixin, View):
    permission_required = Perm.POLICY_UPDATE_EDIT

    def post(self, request, pk):
        update = get_object_or_404(selectors.policy_update_list_for_user(request.user), pk=pk)
        try:
            services.policy_update_close(actor=request.user, update=update)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The policy update was closed."))
        return redirect("training:policy_list")
