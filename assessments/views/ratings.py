"""Citizen ratings (好差评): rectification cases and their steps, deadline extensions, call-backs,
the rating rates and statistics, the rating import and its template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core import spreadsheets
from core.imports import TwoStepImportView
from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.roster import RosterFileError

from .. import selectors
from ..forms import (
    CallBackForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    RatingUploadForm,
    RectificationStepForm,
)
from ..models import (
    OPEN_RECTIFICATION,
    ExtensionStatus,
    RectificationExtension,
    RectificationStatus,
)
from ..services import rating_import as rating_imports
from ..services import rectification as rectifications
from ..services import rectification_extras as extra_services
from ..workflow import rectification_actions_for
from .lists import PAGE_SIZE


class RectificationListView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request):
        today = timezone.localdate()
        cases = selectors.rectification_list_for_user(request.user)
        status = request.GET.get("status", "open")
        if status == "open":
            cases = cases.filter(status__in=OPEN_RECTIFICATION)
        elif status == "overdue":
            cases = cases.filter(status__in=OPEN_RECTIFICATION, deadline__lt=today)
        elif status in RectificationStatus.values:
            cases = cases.filter(status=status)
        cases = cases.order_by("deadline", "id")
        page = CountPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "status": status,
            "statuses": RectificationStatus.choices,
            "today": today,
            "query": page_query(request),
        }
        return render(request, "assessments/rectification_list.html", context)


@method_decorator(never_cache, name="dispatch")
class RectificationDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request, pk, form=None, status=200, **forms):
        case = selectors.rectification_get_for_user(request.user, pk)
        actions = []
        if has_perm(request.user, Perm.RECTIFICATION_ACT):
            actions = rectification_actions_for(request.user, case.status)
        extensions = list(case.extensions.select_related("requested_by", "decided_by"))
        pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
        is_open = case.status in OPEN_RECTIFICATION
        context = {
            "extensions": extensions,
            "pending_extension": pending,
            "can_request_extension": is_open
            and pending is None
            and has_perm(request.user, Perm.RECTIFICATION_EXTEND_REQUEST)
            and extra_services.is_rated_side(request.user, case),
            "can_decide_extension": pending is not None
            and has_perm(request.user, Perm.RECTIFICATION_EXTEND_DECIDE),
            "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
            "decision_form": forms.get("decision_form") or ExtensionDecisionForm(),
            # what the citizen said on the phone is not for the rated person's eyes
            "show_call_backs": has_perm(request.user, Perm.ASSESSMENT_BOARD),
            "call_backs": case.rating.call_backs.select_related("caller"),
            "can_call_back": has_perm(request.user, Perm.RATING_CALLBACK_RECORD),
            "call_back_form": forms.get("call_back_form")
            or CallBackForm(initial={"called_at": timezone.localtime().replace(second=0)}),
            "case": case,
            "log": case.log.select_related("actor").order_by("at", "id"),
            "actions": actions,
            "form": form or RectificationStepForm(),
            "today": timezone.localdate(),
            "show_rater": has_perm(request.user, Perm.RATING_RATER_VIEW),
        }
        return render(request, "assessments/rectification_detail.html", context, status=status)


class RectificationStepView(PermissionRequiredMixin, View):
    permission_required = Perm.RECTIFICATION_ACT

    def post(self, request, pk):
        case = selectors.rectification_get_for_user(request.user, pk)
        form = RectificationStepForm(request.POST)
        if form.is_valid():
            try:
                rectifications.rectification_step(
                    actor=request.user, case=case, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The case was updated."))
                return redirect("assessments:rectification_detail", pk=case.pk)
        return RectificationDetailView().get(request, pk, form=form, status=400)


def _case_form_post(request, pk, form, call, name: str, done: str):
    """Validate ``form``, run ``call(case, data)``; on success redirect to the case with
    ``done``, else show the case page again with the form's errors (400)."""
    from core.forms import add_errors

    case = selectors.rectification_get_for_user(request.user, pk)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("assessments:rectification_detail", pk=case.pk)
    return RectificationDetailView().get(request, pk, status=400, **{name: form})


class ExtensionRequestView(PermissionRequiredMixin, View):
    permission_required = Perm.RECTIFICATION_EXTEND_REQUEST

    def post(self, request, pk):
        def call(case, data):
            extra_services.extension_request(
                actor=request.user, case=case, days=data["days"], reason=data["reason"]
            )

        form = ExtensionRequestForm(request.POST)
        return _case_form_post(
            request,
            pk,
            form,
            call,
            "extension_form",
            _("Your request for more time was sent to the center."),
        )


class ExtensionDecideView(PermissionRequiredMixin, View):
    permission_required = Perm.RECTIFICATION_EXTEND_DECIDE

    def post(self, request, pk):
        extension = get_object_or_404(
            RectificationExtension.objects.filter(
                case__in=selectors.rectification_list_for_user(request.user)
            ),
            pk=pk,
        )

        def call(case, data):
            extra_services.extension_decide(actor=request.user, extension=extension, **data)

        form = ExtensionDecisionForm(request.POST)
        return _case_form_post(
            request, extension.case_id, form, call, "decision_form", _("The request was decided.")
        )


class CallBackCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.RATING_CALLBACK_RECORD

    def post(self, request, pk):
        def call(case, data):
            extra_services.callback_record(
                actor=request.user, rating=case.rating, case=case, **data
            )

        form = CallBackForm(request.POST)
        return _case_form_post(
            request, pk, form, call, "call_back_form", _("The call-back was recorded.")
        )


class RatingRatesView(PermissionRequiredMixin, View):
    """The GB/T 39734 rates from the monthly rows, grouped as asked (``assessments.rating_rates``)."""

    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        from .. import rating_rates

        group = request.GET.get("group", "month")
        if group not in rating_rates.GROUPS:
            group = "month"
        start, end = _month(request.GET.get("from")), _month(request.GET.get("to"))
        rows = rating_rates.rating_rates_for_user(request.user, group=group, start=start, end=end)
        context = {
            "rows": rows,
            "group": group,
            "groups": [
                ("month", _("Month")),
                ("window", _("Window")),
                ("department", _("Department")),
                ("service_item", _("Service item")),
                ("channel", _("Channel")),
            ],
            "start": start,
            "end": end,
            "defaulting": rating_rates.conf("UNRATED_SATISFIED_AFTER_WORKING_DAYS"),
        }
        return render(request, "assessments/rating_rates.html", context)


def _month(value):
    """``YYYY-MM`` (an ``<input type=month>``) as its first day, or None."""
    from datetime import date

    try:
        year, month = (int(p) for p in (value or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return None


class RatingStatsView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        from django.utils.dateparse import parse_date

        group = request.GET.get("group", "month")
        if group not in selectors.RATING_GROUPS:
            group = "month"
        start = parse_date(request.GET.get("start", "") or "") if request.GET.get("start") else None
        end = parse_date(request.GET.get("end", "") or "") if request.GET.get("end") else None
        rows = selectors.rating_statistics(request.user, group=group, start=start, end=end)
        chart_good = [{"label": r["label"], "value": r["good_rate"] or 0} for r in rows][-36:]
        chart_bad = [{"label": r["label"], "value": r["bad"]} for r in rows][-36:]
        context = {
            "rows": rows,
            "group": group,
            "start": start,
            "end": end,
            "chart_good": chart_good,
            "chart_bad": chart_bad,
        }
        return render(request, "assessments/rating_stats.html", context)


class RatingImportView(PermissionRequiredMixin, TwoStepImportView):
    """Upload → check every row → confirm; nothing is written until the whole file is good."""

    permission_required = Perm.RATING_IMPORT
    form_class = RatingUploadForm
    template_name = "assessments/rating_import.html"
    salt = "assessments.rating-import"
    restart_url_name = "assessments:rating_import"
    file_error = RosterFileError
    import_file = staticmethod(rating_imports.rating_import)

    def succeeded(self, request, result, filename):
        messages.success(
            request,
            _("Imported %(n)d ratings; %(bad)d bad ratings opened rectification cases.")
            % {"n": len(result.rows), "bad": result.bad_count},
        )
        return redirect("assessments:rectification_list")


class RatingTemplateView(PermissionRequiredMixin, View):
    permission_required = Perm.RATING_IMPORT

    def get(self, request):
        return spreadsheets.file_response(
            rating_imports.rating_template(),
            filename="好差评导入模板.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )
