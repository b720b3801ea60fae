"""The window board, a window's page, appointing its chief representative, and the go-live
import of the stationings that began before the system."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core import spreadsheets
from core.forms import add_errors
from core.history import history_for
from core.imports import TwoStepImportView
from core.pagination import page_query
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin, has_perm
from staff.roster import RosterFileError
from staff.selectors import department_options_for_user

from .. import board_reads, rules, selectors, services, stationing_import
from ..forms import (
    AppointmentForm,
    GoLiveUploadForm,
)


class WindowBoardView(PermissionRequiredMixin, View):
    """Windows with their chief, people and tenure, 50 a page, by department or code/name."""

    permission_required = Perm.WINDOW_VIEW

    def get(self, request):
        department = request.GET.get("department", "")
        department_id = int(department) if department.isdigit() else None
        q = request.GET.get("q", "")[:50]
        include_inactive = request.GET.get("all") == "1"
        board = board_reads.window_board(
            request.user,
            department_id=department_id,
            q=q,
            include_inactive=include_inactive,
            page=request.GET.get("page"),
        )
        query = page_query(request)
        context = {
            **board,
            "departments": department_options_for_user(request.user),
            "department": department_id,
            "q": q,
            "include_inactive": include_inactive,
            "query": query,
            "min_months": rules.min_tenure_months(),
        }
        return render(request, "windows/board.html", context)


class WindowDetailView(LoadFirstMixin, View):
    permission_required = Perm.WINDOW_VIEW

    def load(self, request, pk):
        self.window = selectors.window_get_for_user(request.user, pk)

    def get(self, request, pk):
        user = request.user
        context = {
            "window": self.window,
            "history": selectors.window_history(self.window),
            "appointments": selectors.appointments_for_window(self.window),
            "transfers": selectors.transfer_list_for_user(user).filter(window=self.window)[:50],
            "today": timezone.localdate(),
            "min_months": rules.min_tenure_months(),
            "can_appoint": has_perm(user, Perm.APPOINTMENT_EDIT),
            "audit": history_for(self.window, limit=10),
        }
        return render(request, "windows/window_detail.html", context)


class AppointmentCreateView(LoadFirstMixin, FormView):
    permission_required = Perm.APPOINTMENT_EDIT
    template_name = "windows/appointment_form.html"
    form_class = AppointmentForm

    def load(self, request, pk):
        self.stationing = selectors.stationing_get_for_user(request.user, pk)
        if self.stationing.end_date is not None:
            raise Http404

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"window": self.stationing.window}

    def get_context_data(self, **kwargs):
        return super().get_context_data(stationing=self.stationing, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.appointment_file(
                actor=self.request.user,
                stationing=self.stationing,
                appointment_number=data["appointment_number"],
                authorization_number=data["authorization_number"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                items=form.items(),
                replace_current=data["replace_current"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now the chief representative of window %(window)s.")
            % {"name": self.stationing.staff.name, "window": self.stationing.window.code},
        )
        return redirect("windows:window_detail", pk=self.stationing.window_id)


class GoLiveImportView(PermissionRequiredMixin, TwoStepImportView):
    """Existing stationings, chief letters and certificates: upload → every row checked by the
    services in a rolled-back transaction → confirm → all of it or nothing."""

    permission_required = Perm.STATIONING_IMPORT
    form_class = GoLiveUploadForm
    template_name = "windows/stationing_import.html"
    salt = "windows.go-live-import"
    restart_url_name = "windows:stationing_import"
    file_error = RosterFileError
    import_file = staticmethod(stationing_import.go_live_import)

    def preview_context(self, result):
        return {
            "counts": {
                sheet.title: {a: result.count(a, sheet.title) for a in ("new", "update", "skip")}
                for sheet in result.sheets
            }
        }

    def succeeded(self, request, result, filename):
        messages.success(
            request,
            _("Imported %(new)d new and %(update)d updated rows from %(file)s.")
            % {"new": result.count("new"), "update": result.count("update"), "file": filename},
        )
        return redirect("windows:board")


class GoLiveTemplateView(PermissionRequiredMixin, View):
    permission_required = Perm.STATIONING_IMPORT

    def get(self, request):
        return spreadsheets.file_response(
            stationing_import.go_live_template(),
            filename="派驻与执法证导入模板.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )
