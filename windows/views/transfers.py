"""Transfer requests: the list, raising and editing, the detail with its transitions, vetting
and attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core import people
from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from staff.models import Staff, StaffStatus
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin, has_perm, scope

from .. import rules, selectors, services
from ..forms import (
    AttachmentForm,
    NoteForm,
    TransferForm,
    VettingForm,
    candidates,
    search_people,
)
from ..models import Side, TransferAttachment, TransferState
from ..services.transfers import TRANSITIONS, can_edit, can_vet


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
        query = page_query(request)
        context = {
            "page": page,
            "state": state,
            "states": TransferState.choices,
            "query": query,
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
            for message in exc.messages:
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
                for message in exc.messages:
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
