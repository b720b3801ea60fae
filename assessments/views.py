"""Browser pages. Thin: read through selectors, write through services."""

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
from core.imports import TwoStepImportView
from core.pagination import CountPaginator
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.roster import RosterFileError
from staff.selectors import department_options_for_user

from . import selectors
from .forms import (
    AppealDecisionForm,
    AppealForm,
    AwardSelectForm,
    CallBackForm,
    EntryForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    RatingUploadForm,
    RectificationStepForm,
)
from .models import (
    OPEN_RECTIFICATION,
    AppealStatus,
    AwardKind,
    Evidence,
    ExtensionStatus,
    PeriodKind,
    RectificationExtension,
    RectificationStatus,
)
from .services import appeals as appeal_services
from .services import awards as award_services
from .services import entries as entry_services
from .services import ratings as rating_services
from .services import rectification_extras as extra_services
from .services import scores as score_services
from .services.entries import notice_text
from .workflow import rectification_actions_for

PAGE_SIZE = 50


class ScorePaginator(CountPaginator):
    """Pages of a score ranking in two steps: the page's ids over the index alone, then those
    rows with their joins. A deep page (the last of 100,000 people) otherwise joins every
    person it skips."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = list(self.object_list.filter(pk__in=ids)) if ids else []
        return self._get_page(selectors.with_ranks(rows), number, self)


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _period_from(request):
    pk = request.GET.get("period")
    if pk and pk.isdigit():
        return selectors.period_get(int(pk))
    return selectors.period_current()


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class BoardView(PermissionRequiredMixin, View):
    """The period board: scores per window and person, entries to review, period close."""

    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = _period_from(request)
        context = {"period": period, "periods": selectors.period_list()[:40]}
        if period is not None:
            scores = selectors.score_ranking_for_user(request.user, period)
            page = ScorePaginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
            selectors.with_workload(page.object_list, period)
            context.update(
                page=page,
                windows=selectors.window_board(request.user, period),
                entries=selectors.entry_brief_list_for_user(request.user).filter(period=period)[
                    :20
                ],
                open_appeals=selectors.appeal_list_for_user(request.user)
                .filter(status=AppealStatus.SUBMITTED, entry__period=period)
                .count(),
                query=_query(request),
                can_manage=has_perm(request.user, Perm.ASSESSMENT_PERIOD_MANAGE),
            )
        return render(request, "assessments/board.html", context)


class PeriodActionView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_PERIOD_MANAGE
    action = "close"

    def post(self, request, pk):
        period = selectors.period_get(pk)
        try:
            if self.action == "close":
                score_services.period_close(actor=request.user, period=period)
                messages.success(
                    request, _("%(p)s is closed; its scores are frozen.") % {"p": period.label}
                )
            else:
                count = score_services.score_recompute(actor=request.user, period=period)
                messages.success(request, _("%(n)d scores recomputed.") % {"n": count})
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        return redirect(f"{_board_url()}?period={period.pk}")


def _board_url():
    from django.urls import reverse

    return reverse("assessments:board")


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
            "query": _query(request),
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
            "query": _query(request),
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
                rating_services.rectification_step(
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
        from . import rating_rates

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


class RankingsView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = _period_from(request)
        kind = request.GET.get("kind")
        if kind in PeriodKind.values and not request.GET.get("period"):
            period = selectors.period_current(kind)
        departments = department_options_for_user(request.user)  # no headcount: no staff scan
        department = request.GET.get("department", "")
        context = {
            "period": period,
            "periods": selectors.period_list()[:60],
            "departments": departments,
            "department": department,
        }
        if period is not None:
            department_id = int(department) if department.isdigit() else None
            scores = selectors.score_ranking_for_user(request.user, period, department_id)
            page = ScorePaginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
            selectors.with_workload(page.object_list, period)
            context["page"] = page
            context["by_department"] = department.isdigit()
            context["query"] = _query(request)
        return render(request, "assessments/rankings.html", context)


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
    import_file = staticmethod(rating_services.rating_import)

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
            rating_services.rating_template(),
            filename="好差评导入模板.xlsx",
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )


class AwardListView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = _period_from(request)
        context = {
            "period": period,
            "periods": selectors.period_list()[:60],
            "kinds": AwardKind.choices,
        }
        if period is not None:
            context["awards"] = (
                selectors.award_list_for_user(request.user)
                .filter(period=period)
                .order_by("kind", "rank", "id")
            )
            context["can_manage"] = has_perm(request.user, Perm.AWARD_MANAGE)
        return render(request, "assessments/award_list.html", context)


class AwardSelectView(PermissionRequiredMixin, View):
    permission_required = Perm.AWARD_MANAGE

    def post(self, request, pk):
        period = selectors.period_get(pk)
        form = AwardSelectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an award and a quota."))
        else:
            try:
                awards = award_services.awards_select(
                    actor=request.user,
                    period=period,
                    kind=form.cleaned_data["kind"],
                    quota=form.cleaned_data["quota"],
                )
                messages.success(request, _("%(n)d awards chosen.") % {"n": len(awards)})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        from django.urls import reverse

        return redirect(f"{reverse('assessments:award_list')}?period={period.pk}")
