"""Browser pages: thin views over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import DateField
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core import people, spreadsheets
from core.forms import add_errors
from core.history import history_for
from core.imports import TwoStepImportView
from core.pagination import CountPaginator
from staff.models import Staff, StaffStatus
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin, has_perm, scope
from staff.roster import RosterFileError
from staff.selectors import department_options_for_user

from . import rules, selectors, services, stationing_import
from .forms import (
    AppointmentForm,
    AttachmentForm,
    GoLiveUploadForm,
    NoteForm,
    ReturnForm,
    StandInForm,
    StandInNoticeForm,
    TransferForm,
    VettingForm,
    candidates,
    search_people,
)
from .models import Side, TransferAttachment, TransferState
from .services.transfers import TRANSITIONS, can_edit, can_vet


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# --- windows -------------------------------------------------------------------------------------


class WindowBoardView(PermissionRequiredMixin, View):
    """Windows with their chief, people and tenure, 50 a page, by department or code/name."""

    permission_required = Perm.WINDOW_VIEW

    def get(self, request):
        department = request.GET.get("department", "")
        department_id = int(department) if department.isdigit() else None
        q = request.GET.get("q", "")[:50]
        include_inactive = request.GET.get("all") == "1"
        board = selectors.window_board(
            request.user,
            department_id=department_id,
            q=q,
            include_inactive=include_inactive,
            page=request.GET.get("page"),
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **board,
            "departments": department_options_for_user(request.user),
            "department": department_id,
            "q": q,
            "include_inactive": include_inactive,
            "query": query.urlencode(),
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


# --- transfers -----------------------------------------------------------------------------------


class TransferListView(PermissionRequiredMixin, View):
    permission_required = Perm.TRANSFER_VIEW

    def get(self, request):
        qs = selectors.transfer_list_for_user(request.user)
        state = request.GET.get("state", "open")
        if state == "open":
            qs = qs.open()
        elif state == "waiting":
            qs = qs.filter(selectors.waiting_for(request.user))
        elif state in TransferState.values:
            qs = qs.filter(state=state)
        else:
            state = "all"
        if request.GET.get("early") == "1":
            qs = qs.filter(is_early=True)
        page = CountPaginator(qs, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "state": state,
            "states": TransferState.choices,
            "query": query.urlencode(),
            "can_create": has_perm(request.user, Perm.TRANSFER_EDIT),
        }
        return render(request, "windows/transfer_list.html", context)


class TransferCreateView(PermissionRequiredMixin, FormView):
    permission_required = Perm.TRANSFER_EDIT
    template_name = "windows/transfer_form.html"
    form_class = TransferForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        for name in ("window", "outgoing", "kind"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(min_months=rules.min_tenure_months(), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            transfer = services.transfer_create(actor=self.request.user, **data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error("window", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("The request was saved as a draft."))
        return redirect("windows:transfer_detail", pk=transfer.pk)


class TransferPeopleView(PermissionRequiredMixin, View):
    """The options of a transfer form's person picker matching ``q`` (htmx), in the user's
    departments only."""

    permission_required = Perm.TRANSFER_EDIT

    def get(self, request, role: str):
        if role not in ("outgoing", "incoming"):
            raise Http404
        people = scope(Staff.objects.filter(status=StaffStatus.ACTIVE), request.user)
        found = search_people(candidates(people, role), request.GET.get("q", ""))
        return render(request, "windows/_people_options.html", {"people": found})


class TransferUpdateView(LoadFirstMixin, FormView):
    permission_required = Perm.TRANSFER_EDIT
    template_name = "windows/transfer_form.html"
    form_class = TransferForm

    def load(self, request, pk):
        self.transfer = selectors.transfer_get_for_user(request.user, pk)
        if not can_edit(self.transfer, request.user):
            raise PermissionDenied

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        t = self.transfer
        return {
            "kind": t.kind,
            "window": t.window_id,
            "to_window": t.to_window_id,
            "outgoing": t.outgoing_id,
            "incoming": t.incoming_id,
            "incoming_post": t.incoming_post,
            "effective_date": t.effective_date,
            "reason": t.reason,
            "early_justification": t.early_justification,
            "override_reason": t.override_reason,
            "version": t.version,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transfer=self.transfer, min_months=rules.min_tenure_months(), **kwargs
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.transfer_update(
                actor=self.request.user,
                transfer=self.transfer,
                expected_version=version,
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The request was updated."))
        return redirect("windows:transfer_detail", pk=self.transfer.pk)


class TransferDetailView(LoadFirstMixin, View):
    permission_required = Perm.TRANSFER_VIEW

    def load(self, request, pk):
        self.transfer = selectors.transfer_get_for_user(request.user, pk)

    def get(self, request, pk):
        t, user = self.transfer, request.user
        actions = services.allowed_actions(t, user)
        outgoing_tenure = None
        if t.outgoing_stationing is not None:
            outgoing_tenure = t.outgoing_stationing.tenure_months(t.effective_date)
        context = {
            "transfer": t,
            "actions": [(name, TRANSITIONS[name].label) for name in actions],
            "can_edit": can_edit(t, user),
            "can_vet": can_vet(t, user),
            "can_override": "approve" in actions
            and services.side_of(user, t.department_id) == Side.CENTER,
            "can_attach": t.is_open and bool(services.side_of(user, t.department_id)),
            "vettings": t.vettings.select_related(
                "staff", "vetted_by", *people.related("vetted_by")
            ),
            "attachments": t.attachments.select_related(
                "uploaded_by", *people.related("uploaded_by")
            ),
            "timeline": selectors.transfer_timeline(t),
            "outgoing_tenure": outgoing_tenure,
            "min_months": rules.min_tenure_months(),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        }
        return render(request, "windows/transfer_detail.html", context)


class TransferActionView(LoadFirstMixin, View):
    """POST submit / start_vetting / approve / reject / withdraw / apply."""

    permission_required = Perm.TRANSFER_EDIT
    handlers = {
        "submit": lambda user, t, note: services.transfer_submit(actor=user, transfer=t),
        "start_vetting": lambda user, t, note: services.transfer_start_vetting(
            actor=user, transfer=t
        ),
        "approve": lambda user, t, note, override="": services.transfer_approve(
            actor=user, transfer=t, note=note, override_reason=override or None
        ),
        "reject": lambda user, t, note: services.transfer_reject(actor=user, transfer=t, note=note),
        "withdraw": lambda user, t, note: services.transfer_withdraw(
            actor=user, transfer=t, note=note
        ),
        "apply": lambda user, t, note: services.transfer_apply(actor=user, transfer=t),
    }

    def load(self, request, pk, action):
        if action not in self.handlers:
            raise Http404
        self.transfer = selectors.transfer_get_for_user(request.user, pk)

    def post(self, request, pk, action):
        note = request.POST.get("note", "")
        extra = {"override": request.POST.get("override_reason", "")} if action == "approve" else {}
        try:
            done = self.handlers[action](request.user, self.transfer, note, **extra)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Request #%(id)d is now %(state)s.")
                % {"id": done.pk, "state": done.get_state_display()},
            )
        return redirect("windows:transfer_detail", pk=self.transfer.pk)


class VettingCreateView(LoadFirstMixin, FormView):
    permission_required = Perm.VETTING_RECORD
    template_name = "windows/vetting_form.html"
    form_class = VettingForm

    def load(self, request, pk):
        self.transfer = selectors.transfer_get_for_user(request.user, pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(transfer=self.transfer, **kwargs)

    def form_valid(self, form):
        try:
            vetting = services.vetting_record(
                actor=self.request.user, transfer=self.transfer, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Vetting of %(name)s recorded: %(decision)s.")
            % {"name": vetting.staff.name, "decision": vetting.get_decision_display()},
        )
        return redirect("windows:transfer_detail", pk=self.transfer.pk)


class AttachmentUploadView(LoadFirstMixin, View):
    permission_required = Perm.TRANSFER_EDIT

    def load(self, request, pk):
        self.transfer = selectors.transfer_get_for_user(request.user, pk)

    def post(self, request, pk):
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        else:
            try:
                services.transfer_attach(
                    actor=request.user, transfer=self.transfer, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, _("The attachment was added."))
        return redirect("windows:transfer_detail", pk=self.transfer.pk)


class AttachmentDownloadView(LoadFirstMixin, View):
    permission_required = Perm.TRANSFER_VIEW

    def load(self, request, pk):
        transfers = selectors.transfer_list_for_user(request.user)
        self.attachment = get_object_or_404(
            TransferAttachment.objects.filter(transfer__in=transfers.values("pk")), pk=pk
        )

    def get(self, request, pk):
        return FileResponse(
            self.attachment.file.open("rb"),
            as_attachment=True,
            filename=self.attachment.original_name,
        )


# --- issue #16: return for poor performance, windows without a chief, replacement demands ------


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


# --- stand-ins (AB岗) ----------------------------------------------------------------------------


class StandInBoardView(PermissionRequiredMixin, View):
    """Every window in scope with its A/B pairs; windows without a complete pair first listed
    by count (``?missing=1`` shows only them)."""

    permission_required = Perm.STAND_IN_VIEW

    def get(self, request):
        missing_only = request.GET.get("missing") == "1"
        board = selectors.stand_in_board(
            request.user, missing_only=missing_only, page=request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **board,
            "missing_only": missing_only,
            "query": query.urlencode(),
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
                messages.error(request, " ".join(_errors(exc)))
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
