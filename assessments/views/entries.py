"""Deductions and bonuses: the fast entry with its staff lookup, an entry and its evidence, a
person's own record, appeals and their decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core import spreadsheets
from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm

from .. import selectors
from ..forms import (
    AppealDecisionForm,
    AppealForm,
    EntryForm,
)
from ..models import (
    AppealStatus,
    Evidence,
)
from ..services import appeals as appeal_services
from ..services import entries as entry_services
from ..services.entries import notice_text
from .lists import PAGE_SIZE


class StaffLookupView(PermissionRequiredMixin, View):
    """htmx: the people matching what was typed, as <option>s of the fast-entry datalist."""

    permission_required = Perm.ASSESSMENT_ENTRY_EDIT

    def get(self, request):
        people = selectors.staff_for_entry_lookup(request.user, request.GET.get("staff", ""))
        return render(request, "assessments/_staff_options.html", {"people": people})


class EntryCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_ENTRY_EDIT
    template_name = "assessments/entry_form.html"

    def get(self, request):
        form = EntryForm(initial={"date": timezone.localdate()}, user=request.user)
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = EntryForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = entry_services.entry_record(
                    actor=request.user,
                    staff=data["staff"],
                    rule=data["rule"],
                    date=data["date"],
                    quantity=data["quantity"],
                    window=data["window"],
                    notes=data["notes"],
                    files=data["files"],
                    joint_liability=data["joint_liability"] or None,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The entry was recorded."))
                return redirect("assessments:entry_detail", pk=entry.pk)
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator(never_cache, name="dispatch")
class EntryDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request, pk):
        entry = selectors.entry_get_for_user(request.user, pk)
        own = entry.staff.user_id == request.user.pk
        appeal = getattr(entry, "appeal", None) if hasattr(entry, "appeal") else None
        can_appeal = (
            own
            and appeal is None
            and entry.kind == "deduction"
            and entry.status == "active"
            and timezone.localdate() <= entry.appeal_deadline
            and has_perm(request.user, Perm.ASSESSMENT_APPEAL_SUBMIT)
        )
        context = {
            "entry": entry,
            "appeal": appeal,
            "notice": notice_text(entry),
            "can_appeal": can_appeal,
            "shares": list(entry.joint_shares.select_related("staff")),
        }
        return render(request, "assessments/entry_detail.html", context)


class EvidenceDownloadView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request, pk):
        item = get_object_or_404(Evidence, pk=pk)
        if item.entry_id:
            selectors.entry_get_for_user(request.user, item.entry_id)
        else:
            selectors.appeal_get_for_user(request.user, item.appeal_id)
        response = FileResponse(item.file.open("rb"), content_type=item.content_type)
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{spreadsheets._quote(item.original_name)}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(never_cache, name="dispatch")
class MyRecordView(PermissionRequiredMixin, View):
    """A staff member's own results: monthly scores with breakdown, entries, appeals."""

    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request):
        person = getattr(request.user, "staff_profile", None)
        if person is None:
            raise Http404
        scores = selectors.with_ranks(
            list(
                selectors.score_list_for_user(request.user)
                .filter(staff=person)
                .order_by("-period__start_date", "period__kind")[:36]
            )
        )
        entries = selectors.entry_list_for_user(request.user).filter(staff=person)[:100]
        context = {
            "person": person,
            "scores": scores,
            "entries": entries,
            "today": timezone.localdate(),
            "history": selectors.score_history(person),
            "awards": selectors.award_list_for_user(request.user).filter(staff=person)[:20],
            "cases": selectors.rectification_list_for_user(request.user).filter(staff=person)[:20],
        }
        return render(request, "assessments/my_record.html", context)


class AppealCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_APPEAL_SUBMIT

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission_required):
            raise PermissionDenied
        self.entry = selectors.entry_get_for_user(request.user, kwargs["pk"])
        if self.entry.staff.user_id != request.user.pk:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(
            request, "assessments/appeal_form.html", {"form": AppealForm(), "entry": self.entry}
        )

    def post(self, request, pk):
        form = AppealForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                appeal_services.appeal_submit(
                    actor=request.user,
                    entry=self.entry,
                    reason=form.cleaned_data["reason"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your appeal was submitted."))
                return redirect("assessments:entry_detail", pk=self.entry.pk)
        context = {"form": form, "entry": self.entry}
        return render(request, "assessments/appeal_form.html", context, status=400)


class AppealListView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        status = request.GET.get("status", AppealStatus.SUBMITTED)
        appeals = selectors.appeal_list_for_user(request.user)
        if status in AppealStatus.values:
            appeals = appeals.filter(status=status)
        appeals = appeals.order_by("submitted_at", "id")
        page = CountPaginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
        can_decide = has_perm(request.user, Perm.ASSESSMENT_APPEAL_DECIDE)
        context = {
            "page": page,
            "can_decide": can_decide,
            "status": status,
            "statuses": AppealStatus.choices,
            "query": page_query(request),
        }
        return render(request, "assessments/appeal_list.html", context)


class AppealDecideView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_APPEAL_DECIDE

    def get(self, request, pk):
        appeal = selectors.appeal_get_for_user(request.user, pk)
        return render(
            request,
            "assessments/appeal_decide.html",
            {"appeal": appeal, "form": AppealDecisionForm()},
        )

    def post(self, request, pk):
        appeal = selectors.appeal_get_for_user(request.user, pk)
        form = AppealDecisionForm(request.POST)
        if form.is_valid():
            try:
                appeal_services.appeal_decide(
                    actor=request.user, appeal=appeal, **form.cleaned_data
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The appeal was decided; the score was recomputed."))
                return redirect("assessments:appeal_list")
        return render(
            request, "assessments/appeal_decide.html", {"appeal": appeal, "form": form}, status=400
        )
