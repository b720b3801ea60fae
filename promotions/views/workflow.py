"""Browser pages of the promotion workflow: the HR home, recommendations, performance-reference
requests, the reserve-cadre board. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.forms import add_errors
from core.pagination import page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.selectors import staff_list_for_user

from .. import eligibility, selectors, services
from ..forms import (
    DecisionForm,
    HomeAnswerForm,
    HomeOutcomeForm,
    RecommendationForm,
)
from ..models import RecommendationState, ReferenceState

PAGE_SIZE = 50


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def person_by_number(user, staff_number: str):
    """A person in the user's scope by staff number, or None."""
    number = (staff_number or "").strip()
    return staff_list_for_user(user).filter(staff_number=number).first() if number else None


# --- HR home -----------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class HRHomeView(PermissionRequiredMixin, View):
    """HR's landing page: search anyone across departments, its reference requests with their
    status, the recommendations received, and the way to the evidence exports."""

    permission_required = Perm.HR_HOME

    def get(self, request):
        user = request.user
        query = request.GET.get("q", "").strip()
        people = selectors.staff_search(user, query)
        flags = eligibility.flags_for_many([p.pk for p in people]) if people else {}
        requests = list(
            selectors.reference_list_for_user(user)
            .filter(requested_by=user)
            .exclude(state=ReferenceState.WITHDRAWN)
            .order_by("-requested_at", "-id")[:30]
        )
        received = list(selectors.recommendation_list_for_user(user)[:30])
        today = timezone.localdate()
        context = {
            "query": query,
            "people": [{"person": p, "flags": flags[p.pk]} for p in people],
            "requests": [{"item": r, "overdue": selectors.is_overdue(r, today)} for r in requests],
            "received": received,
        }
        return render(request, "promotions/hr_home.html", context)


# --- recommendations ---------------------------------------------------------------------------


class RecommendationListView(PermissionRequiredMixin, View):
    permission_required = Perm.PROMOTION_VIEW

    def get(self, request):
        qs = selectors.recommendation_list_for_user(request.user)
        state = request.GET.get("state", "")
        if state in RecommendationState.values:
            qs = qs.filter(state=state)
        awaiting = request.GET.get("awaiting") == "home"
        if awaiting:  # what waits for the home department's answer (the liaison home links here)
            qs = selectors.awaiting_home_answer(qs)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "promotions/recommendation_list.html",
            {
                "page": page,
                "query": page_query(request),
                "state": state,
                "states": RecommendationState.choices,
                "awaiting": awaiting,
                "can_edit": has_perm(request.user, Perm.RECOMMENDATION_EDIT),
            },
        )


@method_decorator(never_cache, name="dispatch")
class RecommendationCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_EDIT

    def get(self, request):
        start, end = services.default_period()
        person = None
        staff_id = request.GET.get("staff", "")
        if staff_id.isdigit():
            person = get_object_or_404(staff_list_for_user(request.user), pk=int(staff_id))
        initial = {
            "period_start": start,
            "period_end": end,
            "staff_number": person.staff_number if person else "",
        }
        return self.render(request, RecommendationForm(initial=initial), person)

    def post(self, request):
        form = RecommendationForm(request.POST)
        # looked up before validation, so a form with errors still shows the person's flags
        person = person_by_number(request.user, request.POST.get("staff_number", ""))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            data.pop("staff_number")
            if person is None:
                form.add_error("staff_number", _("No such person in your scope."))
            else:
                try:
                    rec = services.recommendation_create(actor=request.user, staff=person, **data)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("The draft was saved."))
                    return redirect("promotions:recommendation_detail", pk=rec.pk)
        return self.render(request, form, person, status=400)

    def render(self, request, form, person, status=200):
        return render(
            request,
            "promotions/recommendation_form.html",
            {
                "form": form,
                "person": person,
                "flags": eligibility.flags_for(person.pk) if person else None,
            },
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class RecommendationEditView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_EDIT

    def get(self, request, pk):
        rec = selectors.recommendation_get_for_user(request.user, pk)
        initial = {f: getattr(rec, f) for f in services.EDIT_FIELDS}
        initial["version"] = rec.version
        return self.render(request, rec, RecommendationForm(initial=initial, editing=True))

    def post(self, request, pk):
        rec = selectors.recommendation_get_for_user(request.user, pk)
        form = RecommendationForm(request.POST, editing=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or rec.version
            try:
                services.recommendation_update(
                    actor=request.user, recommendation=rec, expected_version=version, **data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("promotions:recommendation_detail", pk=rec.pk)
        return self.render(request, rec, form, status=400)

    def render(self, request, rec, form, status=200):
        return render(
            request,
            "promotions/recommendation_form.html",
            {
                "form": form,
                "recommendation": rec,
                "person": rec.staff,
                "flags": eligibility.flags_for(rec.staff_id),
            },
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class RecommendationDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.PROMOTION_VIEW

    def get(self, request, pk):
        rec = selectors.recommendation_get_for_user(request.user, pk)
        return render(request, "promotions/recommendation_detail.html", self.context(request, rec))

    @staticmethod
    def context(request, rec, decision_form=None, answer_form=None, outcome_form=None):
        actions = services.allowed_actions(request.user, rec)
        initial = {"version": rec.version}
        return {
            "rec": rec,
            "flags": eligibility.flags_for(rec.staff_id),
            "actions": actions,
            "can_decide": "adopt" in actions or "decline" in actions,
            "decision_form": decision_form or DecisionForm(initial=initial),
            "on_behalf": services.decided_on_behalf(rec),
            # issue #16: the home department's answer and what followed
            "can_answer": services.can_answer(request.user, rec),
            "can_record_outcome": services.can_record_outcome(request.user, rec),
            "answer_form": answer_form or HomeAnswerForm(initial=initial),
            "outcome_form": outcome_form
            or HomeOutcomeForm(
                initial={**initial, "post": rec.home_post, "post_from": rec.home_post_from}
            ),
            "answered_on_behalf": services.answered_on_behalf(rec),
        }


class RecommendationSubmitView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_EDIT

    def post(self, request, pk):
        rec = selectors.recommendation_get_for_user(request.user, pk)
        version = request.POST.get("version", "")
        try:
            rec = services.recommendation_submit(
                actor=request.user,
                recommendation=rec,
                expected_version=int(version) if version.isdigit() else None,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Submitted as document %(number)s.") % {"number": rec.snapshot.number},
            )
        return redirect("promotions:recommendation_detail", pk=rec.pk)


def _detail_form_post(request, pk, form, call, done: str, form_name: str):
    """Validate ``form`` posted from the recommendation page, run ``call(rec, data)``; on success
    back to the page with ``done``, else the page again with the form's errors (400)."""
    rec = selectors.recommendation_get_for_user(request.user, pk)
    if form.is_valid():
        try:
            call(rec, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("promotions:recommendation_detail", pk=rec.pk)
    context = RecommendationDetailView.context(request, rec, **{form_name: form})
    return render(request, "promotions/recommendation_detail.html", context, status=400)


class RecommendationDecideView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_DECIDE

    def post(self, request, pk):
        def call(rec, data):
            services.recommendation_decide(
                actor=request.user,
                recommendation=rec,
                adopted=data["outcome"] == "adopt",
                feedback=data["feedback"],
                expected_version=data["version"],
            )

        form = DecisionForm(request.POST)
        done = _("The decision was recorded.")
        return _detail_form_post(request, pk, form, call, done, "decision_form")


# --- the home department's answer (issue #16) ---------------------------------------------------


class RecommendationHomeAnswerView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_HOME_ANSWER

    def post(self, request, pk):
        def call(rec, data):
            services.recommendation_home_answer(
                actor=request.user,
                recommendation=rec,
                accepted=data["answer"] == "accepted",
                reason=data["reason"],
                post=data["post"],
                post_from=data["post_from"],
                expected_version=data["version"],
            )

        form = HomeAnswerForm(request.POST)
        done = _("The department's answer was recorded.")
        return _detail_form_post(request, pk, form, call, done, "answer_form")


class RecommendationHomeOutcomeView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_HOME_ANSWER

    def post(self, request, pk):
        def call(rec, data):
            services.recommendation_home_outcome(
                actor=request.user,
                recommendation=rec,
                post=data["post"],
                post_from=data["post_from"],
                expected_version=data["version"],
            )

        form = HomeOutcomeForm(request.POST)
        return _detail_form_post(
            request, pk, form, call, _("The post was recorded."), "outcome_form"
        )
