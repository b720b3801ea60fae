"""Browser pages, phone-first (an inspector walks the hall with a phone). Thin: selectors read,
services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core import spreadsheets
from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from staff.permissions import LoadFirstMixin, Perm, PermissionRequiredMixin, has_perm

from . import selectors, services
from .forms import ChecklistForm, FindingForm, RoundForm, WithdrawForm, people_at
from .models import ChecklistTemplate, FindingStatus, RoundKind, RoundStatus

# --- rounds --------------------------------------------------------------------------------------


class RoundListView(PermissionRequiredMixin, View):
    permission_required = Perm.INSPECTION_VIEW

    def get(self, request):
        rounds = selectors.round_list_for_user(request.user)
        kind = request.GET.get("kind", "")
        if kind in RoundKind.values:
            rounds = rounds.filter(kind=kind)
        status = request.GET.get("status", "")
        if status in RoundStatus.values:
            rounds = rounds.filter(status=status)
        page = CountPaginator(rounds, 30).get_page(request.GET.get("page"))
        query = page_query(request)
        context = {
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": RoundKind.choices,
            "statuses": RoundStatus.choices,
            "query": query,
            "can_record": has_perm(request.user, Perm.INSPECTION_RECORD),
            "can_edit_checklists": has_perm(request.user, Perm.CHECKLIST_EDIT),
        }
        return render(request, "inspections/round_list.html", context)


class RoundCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.INSPECTION_RECORD
    template_name = "inspections/round_form.html"

    def get(self, request):
        initial = {
            "inspectors": [request.user.pk],
            "started_at": timezone.localtime().replace(second=0, microsecond=0),
            "kind": RoundKind.DAILY,
            "all_windows": True,
        }
        return render(request, self.template_name, {"form": RoundForm(initial=initial)})

    def post(self, request):
        form = RoundForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.round_open(
                    actor=request.user,
                    kind=data["kind"],
                    checklist=data["checklist"],
                    inspectors=list(data["inspectors"]),
                    leader=data["leader"],
                    windows=form.chosen_windows(),
                    started_at=data["started_at"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The round has started."))
                return redirect("inspections:round_detail", pk=round_.pk)
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator(never_cache, name="dispatch")
class RoundDetailView(LoadFirstMixin, View):
    permission_required = Perm.INSPECTION_VIEW

    def load(self, request, pk):
        self.round = selectors.round_get_for_user(request.user, pk)

    def get(self, request, pk):
        user = request.user
        context = {
            "round": self.round,
            "findings": selectors.findings_of_round(user, self.round),
            "windows": selectors.round_windows_for_user(user, self.round),
            "can_record": has_perm(user, Perm.INSPECTION_RECORD)
            and self.round.is_open
            and (
                self.round.leader_id == user.pk
                or any(u.pk == user.pk for u in self.round.inspectors.all())
            ),
            "can_decide": has_perm(user, Perm.INSPECTION_RECORD),
            "statuses": FindingStatus,
        }
        return render(request, "inspections/round_detail.html", context)


class RoundCloseView(LoadFirstMixin, View):
    permission_required = Perm.INSPECTION_RECORD

    def load(self, request, pk):
        self.round = selectors.round_get_for_user(request.user, pk)

    def post(self, request, pk):
        try:
            _round, entered = services.round_close(actor=request.user, round=self.round)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The round is closed; %(n)d findings were recorded as deductions.")
                % {"n": len(entered)},
            )
        return redirect("inspections:round_detail", pk=self.round.pk)


# --- findings ------------------------------------------------------------------------------------


class FindingCreateView(LoadFirstMixin, View):
    permission_required = Perm.INSPECTION_RECORD
    template_name = "inspections/finding_form.html"

    def load(self, request, pk):
        self.round = selectors.round_get_for_user(request.user, pk)
        if not self.round.is_open:
            raise Http404

    def get(self, request, pk):
        initial = {"window": request.GET.get("window")} if request.GET.get("window") else {}
        form = FindingForm(initial=initial, round=self.round)
        return render(request, self.template_name, {"form": form, "round": self.round})

    def post(self, request, pk):
        form = FindingForm(request.POST, request.FILES, round=self.round)
        if form.is_valid():
            data = form.cleaned_data
            try:
                finding = services.finding_record(
                    actor=request.user,
                    round=self.round,
                    window=data["window"],
                    staff=data["staff"],
                    item=data["item"],
                    rule=data["rule"],
                    note=data["note"],
                    photos=data["photos"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Finding recorded at window %(window)s.") % {"window": finding.window.code},
                )
                if "another" in request.POST:
                    return redirect("inspections:finding_create", pk=self.round.pk)
                return redirect("inspections:round_detail", pk=self.round.pk)
        context = {"form": form, "round": self.round}
        return render(request, self.template_name, context, status=400)


class FindingPeopleView(LoadFirstMixin, View):
    """htmx: the ``<option>``s of the people stationed today at the chosen window."""

    permission_required = Perm.INSPECTION_RECORD

    def load(self, request, pk):
        self.round = selectors.round_get_for_user(request.user, pk)

    def get(self, request, pk):
        chosen = request.GET.get("window", "")
        window = self.round.windows.filter(pk=chosen).first() if chosen.isdigit() else None
        return render(request, "inspections/_people_options.html", {"people": people_at(window)})


@method_decorator(never_cache, name="dispatch")
class FindingDetailView(LoadFirstMixin, View):
    permission_required = Perm.INSPECTION_VIEW

    def load(self, request, pk):
        self.finding = selectors.finding_get_for_user(request.user, pk)

    def get(self, request, pk, form=None, status=200):
        context = {
            "finding": self.finding,
            "can_decide": has_perm(request.user, Perm.INSPECTION_RECORD)
            and self.finding.status == FindingStatus.RECORDED,
            "withdraw_form": form or WithdrawForm(),
        }
        return render(request, "inspections/finding_detail.html", context, status=status)


class FindingActionView(LoadFirstMixin, View):
    """POST ``enter`` (record the deduction) or ``withdraw`` (with a reason)."""

    permission_required = Perm.INSPECTION_RECORD

    def load(self, request, pk, action):
        if action not in ("enter", "withdraw"):
            raise Http404
        self.finding = selectors.finding_get_for_user(request.user, pk)

    def post(self, request, pk, action):
        try:
            if action == "enter":
                finding = services.finding_enter(actor=request.user, finding=self.finding)
                messages.success(
                    request,
                    _("Deduction recorded for %(name)s; they may appeal it.")
                    % {"name": finding.staff.name},
                )
            else:
                form = WithdrawForm(request.POST)
                if not form.is_valid():
                    return FindingDetailView.get(self, request, pk, form=form, status=400)
                services.finding_withdraw(
                    actor=request.user, finding=self.finding, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The finding was withdrawn."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("inspections:finding_detail", pk=self.finding.pk)


class PhotoView(LoadFirstMixin, View):
    """A finding's photo, to those who may see the finding; never cached, never public."""

    permission_required = Perm.INSPECTION_VIEW

    def load(self, request, pk):
        self.photo = selectors.photo_get_for_user(request.user, pk)

    def get(self, request, pk):
        photo = self.photo
        response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{spreadsheets._quote(photo.original_name)}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- checklists ----------------------------------------------------------------------------------


class ChecklistListView(PermissionRequiredMixin, View):
    permission_required = Perm.CHECKLIST_EDIT

    def get(self, request):
        return render(
            request, "inspections/checklist_list.html", {"templates": selectors.checklist_list()}
        )


class ChecklistEditView(PermissionRequiredMixin, View):
    """Create (no ``pk``) or edit a checklist template."""

    permission_required = Perm.CHECKLIST_EDIT
    template_name = "inspections/checklist_form.html"

    def _template(self, pk):
        return get_object_or_404(ChecklistTemplate, pk=pk) if pk else None

    def get(self, request, pk=None):
        template = self._template(pk)
        form = ChecklistForm(initial=ChecklistForm.initial_for(template) if template else None)
        return render(request, self.template_name, {"form": form, "template": template})

    def post(self, request, pk=None):
        template = self._template(pk)
        form = ChecklistForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.checklist_save(
                    actor=request.user,
                    template=template,
                    name=data["name"],
                    kind=data["kind"],
                    active=data["active"],
                    items=data["items"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The checklist was saved."))
                return redirect("inspections:checklist_list")
        context = {"form": form, "template": template}
        return render(request, self.template_name, context, status=400)
