"""Pages for the scoring inputs people type in, each calling its service: the year-end review of
a quarter or year (the center), the grade the home department decided (its liaison, or the
center), the red-flag formula's window inputs (the center), and the rule table with its
history (the center edits it; everyone who assesses reads it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_errors
from core.history import history_for
from core.pagination import CountPaginator
from staff.permissions import Perm, PermissionRequiredMixin, has_perm, scope
from staff.selectors import department_list_for_user
from windows.models import Window

from . import selectors
from .forms import GradeForm, ReviewForm, RuleForm, WindowInputForm
from .models import AssessmentRule, PeriodKind, Score
from .services import awards as award_services
from .services import rules as rule_services
from .services import scores as score_services

PAGE_SIZE = 50


def _say(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class ResultsView(PermissionRequiredMixin, View):
    """A quarter's or year's results: monthly average, year-end review, total, the grade the
    center suggests and the one the home department decided."""

    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request, pk):
        period = selectors.period_get(pk)
        if period.kind == PeriodKind.MONTH:
            raise Http404
        department = request.GET.get("department", "")
        scores = selectors.results_for_user(
            request.user, period, int(department) if department.isdigit() else None
        )
        page = CountPaginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "assessments/results.html",
            {
                "period": period,
                "page": page,
                "department": department,
                "departments": department_list_for_user(request.user)[:400],
                "query": f"department={department}" if department else "",
                "can_review": has_perm(request.user, Perm.ASSESSMENT_PERIOD_MANAGE)
                and not period.is_closed,
                "can_grade": has_perm(request.user, Perm.ASSESSMENT_GRADE_RECORD)
                and period.kind == PeriodKind.YEAR,
                "grade_form": GradeForm(),
            },
        )


def _results_url(score: Score, request) -> str:
    url = reverse("assessments:results", args=[score.period_id])
    back = request.POST.get("back", "")
    return f"{url}?{back}" if back and "//" not in back else url


def _score_in_scope(user, pk: int) -> Score:
    return get_object_or_404(
        scope(Score.objects.all(), user, department="staff__department", person="staff"), pk=pk
    )


class ReviewSetView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_PERIOD_MANAGE

    def post(self, request, pk):
        score = _score_in_scope(request.user, pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("A review score is between 0 and 100."))
            return redirect(_results_url(score, request))
        try:
            score_services.review_score_set(
                actor=request.user,
                score=score,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Year-end review recorded; the scores are recomputed."))
        except ValidationError as exc:
            _say(request, exc)
        return redirect(_results_url(score, request))


class GradeRecordView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_GRADE_RECORD

    def post(self, request, pk):
        score = _score_in_scope(request.user, pk)
        form = GradeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a grade."))
            return redirect(_results_url(score, request))
        try:
            score_services.department_grade_record(
                actor=request.user,
                score=score,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The department's grade is recorded."))
        except ValidationError as exc:
            _say(request, exc)
        return redirect(_results_url(score, request))


class WindowInputsView(PermissionRequiredMixin, View):
    """The red-flag formula per window: the center's inputs beside the score they make."""

    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request, pk):
        period = selectors.period_get(pk)
        return render(
            request,
            "assessments/window_inputs.html",
            {
                "period": period,
                "rows": selectors.window_input_rows(request.user, period),
                "can_edit": has_perm(request.user, Perm.AWARD_MANAGE) and not period.is_closed,
            },
        )

    def post(self, request, pk):
        if not has_perm(request.user, Perm.AWARD_MANAGE):
            raise PermissionDenied
        period = selectors.period_get(pk)
        form = WindowInputForm(request.POST)
        if not form.is_valid():
            errors = [e for field in form.errors.values() for e in field]
            messages.error(request, " ".join(errors))
        else:
            window = get_object_or_404(
                scope(Window.objects.all(), request.user, department="department"),
                pk=form.cleaned_data["window"],
            )
            try:
                award_services.window_input_set(
                    actor=request.user,
                    period=period,
                    window=window,
                    efficiency=form.cleaned_data["efficiency"],
                    duty_votes=form.cleaned_data["duty_votes"],
                    public_votes=form.cleaned_data["public_votes"],
                    reason=form.cleaned_data["reason"],
                    efficiency_override=form.cleaned_data["efficiency_override"],
                )
                messages.success(request, _("Inputs of %(w)s saved.") % {"w": window.code})
            except ValidationError as exc:
                _say(request, exc)
        return redirect("assessments:window_inputs", pk=period.pk)


class RuleListView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_VIEW

    def get(self, request):
        return render(
            request,
            "assessments/rule_list.html",
            {
                "rules": selectors.rule_list(),
                "can_edit": has_perm(request.user, Perm.ASSESSMENT_RULE_EDIT),
            },
        )


class RuleFormView(PermissionRequiredMixin, View):
    """Add a rule (no ``pk``) or change one, with its history beside the form."""

    permission_required = Perm.ASSESSMENT_RULE_EDIT

    def _render(self, request, form, rule):
        history = history_for(rule) if rule is not None else []
        return render(
            request, "assessments/rule_form.html", {"form": form, "rule": rule, "history": history}
        )

    def get(self, request, pk=None):
        rule = get_object_or_404(AssessmentRule, pk=pk) if pk else None
        return self._render(request, RuleForm(instance=rule), rule)

    def post(self, request, pk=None):
        rule = get_object_or_404(AssessmentRule, pk=pk) if pk else None
        form = RuleForm(request.POST, instance=AssessmentRule.objects.get(pk=pk) if pk else None)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in rule_services.FIELDS}
            try:
                saved = rule_services.rule_save(
                    actor=request.user, rule=rule, reason=form.cleaned_data["reason"], **values
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Rule %(code)s saved.") % {"code": saved.code})
                return redirect("assessments:rule_list")
        return self._render(request, form, rule)
