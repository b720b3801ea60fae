"""Stand-ins (AB岗): the board, naming, changing and ending a pair, the printable window notice."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import DateField
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.forms import add_errors
from core.pagination import page_query
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin, has_perm

from .. import selectors, services
from ..forms import (
    StandInForm,
    StandInNoticeForm,
)


class StandInBoardView(PermissionRequiredMixin, View):
    """Every window in scope with its A/B pairs; windows without a complete pair first listed
    by count (``?missing=1`` shows only them)."""

    permission_required = Perm.STAND_IN_VIEW

    def get(self, request):
        missing_only = request.GET.get("missing") == "1"
        board = selectors.stand_in_board(
            request.user, missing_only=missing_only, page=request.GET.get("page")
        )
        query = page_query(request)
        context = {
            **board,
            "missing_only": missing_only,
            "query": query,
            "can_edit": has_perm(request.user, Perm.STAND_IN_EDIT),
        }
        return render(request, "windows/stand_in_board.html", context)


class StandInCreateView(LoadFirstMixin, FormView):
    permission_required = Perm.STAND_IN_EDIT
    template_name = "windows/stand_in_form.html"
    form_class = StandInForm

    def load(self, request, pk):
        self.window = selectors.window_get_for_user(request.user, pk)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"window": self.window}

    def get_initial(self):
        return {"valid_from": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(window=self.window, pair=None, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            pair = services.stand_in_create(
                actor=self.request.user,
                window=self.window,
                a=data["a"],
                b=data["b"],
                service_item=data["service_item"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                exception_note=data["exception_note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(b)s stands in for %(a)s at window %(window)s.")
            % {"a": pair.a.name, "b": pair.b.name, "window": self.window.code},
        )
        return redirect(f"{reverse('windows:stand_in_board')}#window-{self.window.pk}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StandInUpdateView(LoadFirstMixin, FormView):
    permission_required = Perm.STAND_IN_EDIT
    template_name = "windows/stand_in_form.html"
    form_class = StandInForm

    def load(self, request, pk):
        self.pair = selectors.stand_in_get_for_user(request.user, pk)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"window": self.pair.window, "pair": self.pair}

    def get_initial(self):
        pair = self.pair
        return {
            "b": pair.b_id,
            "valid_from": pair.valid_from,
            "valid_until": pair.valid_until,
            "exception_note": pair.exception_note,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(window=self.pair.window, pair=self.pair, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.stand_in_update(
                actor=self.request.user,
                pair=self.pair,
                b=data["b"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                exception_note=data["exception_note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The stand-in pair was saved."))
        return redirect(f"{reverse('windows:stand_in_board')}#window-{self.pair.window_id}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StandInEndView(LoadFirstMixin, View):
    """POST: the pair's last day is today (or ``on``)."""

    permission_required = Perm.STAND_IN_EDIT

    def load(self, request, pk):
        self.pair = selectors.stand_in_get_for_user(request.user, pk)

    def post(self, request, pk):
        try:
            on = DateField().clean(request.POST.get("on") or timezone.localdate())
        except ValidationError:
            on = None
        if on is None:
            messages.error(request, _("Enter a valid date."))
        else:
            try:
                services.stand_in_end(actor=request.user, pair=self.pair, on=on)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The stand-in pair was ended."))
        return redirect(f"{reverse('windows:stand_in_board')}#window-{self.pair.window_id}")


class StandInNoticeView(LoadFirstMixin, View):
    """The window notice to print (A4 or A5): "while the staff member of this window is away,
    their business is handled by B", with the window and the dates."""

    permission_required = Perm.STAND_IN_VIEW

    def load(self, request, pk):
        self.pair = selectors.stand_in_get_for_user(request.user, pk)

    def get(self, request, pk):
        today = timezone.localdate()
        form = StandInNoticeForm(
            {
                "start": request.GET.get("start") or today,
                "end": request.GET.get("end", ""),
                "size": request.GET.get("size") or "a4",
            }
        )
        valid = form.is_valid()
        context = {"pair": self.pair, "form": form, "notice": form.cleaned_data if valid else None}
        return render(
            request, "windows/stand_in_notice.html", context, status=200 if valid else 400
        )
