"""Browser pages of joint management. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core import documents, spreadsheets
from core.forms import add_errors
from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.selectors import staff_list_for_user

from . import report as reports
from . import sections, selectors, services
from .forms import FollowUpForm, TalkForm, TalkRequestForm, TransitionForm, VisitForm
from .models import FollowUpState, TalkKind
from .permissions import notes_visible

PAGE_SIZE = 50


class DepartmentView(PermissionRequiredMixin, View):
    """The department's window on its people (/joint/)."""

    permission_required = Perm.JOINT_DEPARTMENT

    def get(self, request):
        today = timezone.localdate()
        departments = list(selectors.department_choices_for_user(request.user))
        department = selectors.department_for_user(
            request.user, request.GET.get("department"), departments
        )
        context = sections.department_sections(
            request.user, department, today, staff_page=request.GET.get("page")
        )
        context["query"] = f"department={department.pk}"
        context["departments"] = departments
        return render(request, "joint/department.html", context)


class CenterView(PermissionRequiredMixin, View):
    permission_required = Perm.JOINT_CENTER

    def get(self, request):
        today = timezone.localdate()
        user = request.user
        context = {
            "today": today,
            "visits": list(selectors.visit_list_for_user(user)[:20]),
            "talks": list(selectors.talk_list_for_user(user)[:20]),
            "overdue": list(selectors.follow_ups_overdue_for_user(user, today)[:100]),
            "unvisited": list(selectors.departments_without_visit(user, today)),
        }
        return render(request, "joint/center.html", context)


class VisitListView(PermissionRequiredMixin, View):
    permission_required = Perm.VISIT_LIST

    def get(self, request):
        qs = selectors.visit_list_for_user(request.user)
        department = request.GET.get("department", "")
        if department.isdigit():
            qs = qs.filter(department_id=int(department))
        page = CountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request, "joint/visit_list.html", {"page": page, "query": page_query(request)}
        )


class VisitDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.VISIT_LIST

    def get(self, request, pk):
        visit = selectors.visit_get_for_user(request.user, pk)
        return render(request, "joint/visit_detail.html", {"visit": visit})


class VisitCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.VISIT_EDIT

    def setup_department(self, request):
        return selectors.department_for_user(
            request.user, request.POST.get("department") or request.GET.get("department")
        )

    def get(self, request):
        department = self.setup_department(request)
        form = VisitForm(department=department, initial={"date": timezone.localdate()})
        return self.render(request, form, department)

    def post(self, request):
        department = self.setup_department(request)
        form = VisitForm(request.POST, department=department)
        if form.is_valid():
            try:
                visit = services.visit_record(
                    actor=request.user, department=department, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The visit was recorded."))
                return redirect("joint:visit_detail", pk=visit.pk)
        return self.render(request, form, department, status=400)

    def render(self, request, form, department, status=200):
        return render(
            request,
            "joint/visit_form.html",
            {"form": form, "department": department},
            status=status,
        )


class TalkListView(PermissionRequiredMixin, View):
    permission_required = Perm.TALK_LIST

    def get(self, request):
        department = request.GET.get("department", "")
        if department.isdigit():
            qs = selectors.department_talk_list_for_user(request.user, int(department))
        else:
            qs = selectors.talk_list_for_user(request.user)
        qs = qs.select_related(None).select_related("staff__department")  # no author shown
        page = CountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page": page, "query": page_query(request)}
        return render(request, "joint/talk_list.html", context)


@method_decorator(never_cache, name="dispatch")
class TalkDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.TALK_LIST

    def get(self, request, pk):
        talk = selectors.talk_get_for_user(request.user, pk)
        return render(request, "joint/talk_detail.html", self.context(request, talk))

    @staticmethod
    def context(request, talk, form=None):
        user = request.user
        notes = notes_visible(user, talk)
        follow_ups = list(selectors.follow_up_list_for_user(user).filter(talk=talk))
        return {
            "talk": talk,
            "notes": notes,
            "follow_ups": [
                {"item": f, "targets": services.allowed_targets(user, f)} for f in follow_ups
            ],
            "state_labels": dict(FollowUpState.choices),
            "can_add": notes and has_perm(user, Perm.TALK_EDIT),
            "form": form or FollowUpForm(),
        }


@method_decorator(never_cache, name="dispatch")
class TalkCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.TALK_EDIT

    def people(self, request):
        return staff_list_for_user(request.user)

    def get(self, request):
        initial = {"date": timezone.localdate(), "kind": request.GET.get("kind", TalkKind.ROUTINE)}
        staff_id = request.GET.get("staff", "")
        if staff_id.isdigit():
            person = self.people(request).filter(pk=int(staff_id)).first()
            if person is not None:
                initial["staff_number"] = person.staff_number
        form = TalkForm(initial=initial, people=self.people(request))
        return render(request, "joint/talk_form.html", {"form": form})

    def post(self, request):
        form = TalkForm(request.POST, people=self.people(request))
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = data.pop("staff_number")
            try:
                talk = services.talk_record(actor=request.user, staff=person, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The talk was recorded."))
                return redirect("joint:talk_detail", pk=talk.pk)
        return render(request, "joint/talk_form.html", {"form": form}, status=400)


class FollowUpCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.TALK_EDIT

    def post(self, request, pk):
        talk = selectors.talk_get_for_user(request.user, pk)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.follow_up_add(actor=request.user, talk=talk, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The follow-up was added."))
                return redirect("joint:talk_detail", pk=talk.pk)
        context = TalkDetailView.context(request, talk, form)
        return render(request, "joint/talk_detail.html", context, status=400)


class FollowUpListView(PermissionRequiredMixin, View):
    permission_required = Perm.FOLLOW_UP_LIST

    def get(self, request):
        today = timezone.localdate()
        qs = selectors.follow_up_list_for_user(request.user)
        state = request.GET.get("state", "")
        if state in FollowUpState.values:
            qs = qs.filter(state=state)
        if request.GET.get("overdue"):
            qs = qs.filter(state__in=selectors.OPEN_STATES, due_date__lt=today)
        page = CountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "query": page_query(request),
            "today": today,
            "states": FollowUpState.choices,
            "state": state,
        }
        return render(request, "joint/follow_up_list.html", context)


class FollowUpTransitionView(PermissionRequiredMixin, View):
    permission_required = Perm.FOLLOW_UP_TRANSITION

    def post(self, request, pk):
        follow_up = selectors.follow_up_get_for_user(request.user, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Unknown state."))
            return redirect("joint:talk_detail", pk=follow_up.talk_id)
        try:
            services.follow_up_transition(
                actor=request.user, follow_up=follow_up, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The follow-up was updated."))
        return redirect("joint:talk_detail", pk=follow_up.talk_id)


class TalkRequestView(PermissionRequiredMixin, View):
    """The person asks for a talk (from the panel on their own record)."""

    permission_required = Perm.TALK_REQUEST

    def get(self, request):
        return render(request, "joint/talk_request.html", {"form": TalkRequestForm()})

    def post(self, request):
        form = TalkRequestForm(request.POST)
        if form.is_valid():
            try:
                services.talk_request_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Your department has been asked for a talk."))
                return redirect("home")
        return render(request, "joint/talk_request.html", {"form": form}, status=400)


class ReportView(PermissionRequiredMixin, View):
    permission_required = Perm.JOINT_DEPARTMENT

    def get_report(self, request):
        today = timezone.localdate()
        department = selectors.department_for_user(request.user, request.GET.get("department"))
        first = reports.parse_month(request.GET.get("month"), today)
        return reports.monthly_report(
            user=request.user, department=department, first=first, today=today
        )

    def get(self, request):
        report = self.get_report(request)
        return render(
            request,
            "joint/report.html",
            {"report": report, "departments": selectors.department_choices_for_user(request.user)},
        )


class ReportDownloadView(ReportView):
    def get(self, request):
        report = self.get_report(request)
        return spreadsheets.file_response(
            reports.report_xlsx(report),
            filename=f"{report.department.display_name}-{report.month}-月报.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )


def _report_document_context(report, today) -> dict:
    """The month's report as an official document: numbered from its department and month
    (``CENTER["DOCUMENTS"]["REPORT_NUMBER"]``), dated at the month's end (today while the
    month runs)."""
    number = documents.document_number(
        "REPORT",
        year=report.first.year,
        month=report.first.month,
        department=report.department.code,
    )
    return {"report": report, "number": number, "date": min(report.last, today)}


class ReportPrintView(ReportView):
    """The monthly report as an A4 official document; :class:`ReportPdfView` is its PDF."""

    def get(self, request):
        report = self.get_report(request)
        context = _report_document_context(report, timezone.localdate())
        return documents.print_response(request, "joint/report_document.html", context)


class ReportPdfView(ReportView):
    def get(self, request):
        report = self.get_report(request)
        context = _report_document_context(report, timezone.localdate())
        filename = _("%(department)s monthly report %(month)s.pdf") % {
            "department": report.department.display_name,
            "month": report.month,
        }
        return documents.pdf_response(
            request, "joint/report_document.html", context, filename=filename
        )
