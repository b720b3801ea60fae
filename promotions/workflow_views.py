"""Browser pages of the promotion workflow: the HR home, recommendations, performance-reference
requests, the reserve-cadre board. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from staff.permissions import Perm, PermissionRequiredMixin, has_perm, scope
from staff.selectors import staff_list_for_user

from . import eligibility, selectors, services
from .forms import (
    AnswerForm,
    DecisionForm,
    ReasonForm,
    RecommendationForm,
    ReferenceRequestForm,
    RotationPlanForm,
)
from .models import RecommendationState, ReferenceState, RotationPlan

PAGE_SIZE = 50


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _person(user, staff_number: str):
    """A person in the user's scope by staff number, or None."""
    number = (staff_number or "").strip()
    return staff_list_for_user(user).filter(staff_number=number).first() if number else None


def evidence_url(person) -> str:
    """The person's evidence pack page, once the evidence pages exist."""
    try:
        return reverse("promotions:evidence", args=[person.pk])
    except NoReverseMatch:
        return ""


def snapshot_url(snapshot) -> str:
    try:
        return reverse("promotions:snapshot", args=[snapshot.number]) if snapshot else ""
    except NoReverseMatch:
        return ""


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
            "people": [
                {"person": p, "flags": flags[p.pk], "evidence_url": evidence_url(p)} for p in people
            ],
            "requests": [{"item": r, "overdue": selectors.is_overdue(r, today)} for r in requests],
            "received": received,
            "exports_url": _exports_url(),
        }
        return render(request, "promotions/hr_home.html", context)


def _exports_url() -> str:
    for name in ("promotions:export_list", "promotions:exports", "promotions:batch_export"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


# --- recommendations ---------------------------------------------------------------------------


class RecommendationListView(PermissionRequiredMixin, View):
    permission_required = Perm.PROMOTION_VIEW

    def get(self, request):
        qs = selectors.recommendation_list_for_user(request.user)
        state = request.GET.get("state", "")
        if state in RecommendationState.values:
            qs = qs.filter(state=state)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "promotions/recommendation_list.html",
            {
                "page": page,
                "query": _query(request),
                "state": state,
                "states": RecommendationState.choices,
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
        person = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            person = _person(request.user, data.pop("staff_number"))
            if person is None:
                form.add_error("staff_number", _("No such person in your scope."))
            else:
                try:
                    rec = services.recommendation_create(actor=request.user, staff=person, **data)
                except ValidationError as exc:
                    _add_errors(form, exc)
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
                _add_errors(form, exc)
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
    def context(request, rec, decision_form=None):
        actions = services.allowed_actions(request.user, rec)
        return {
            "rec": rec,
            "flags": eligibility.flags_for(rec.staff_id),
            "actions": actions,
            "can_decide": "adopt" in actions or "decline" in actions,
            "decision_form": decision_form or DecisionForm(initial={"version": rec.version}),
            "on_behalf": services.decided_on_behalf(rec),
            "snapshot_url": snapshot_url(rec.snapshot if rec.snapshot_id else None),
            "evidence_url": evidence_url(rec.staff),
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
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("Submitted as document %(number)s.") % {"number": rec.snapshot.number},
            )
        return redirect("promotions:recommendation_detail", pk=rec.pk)


class RecommendationDecideView(PermissionRequiredMixin, View):
    permission_required = Perm.RECOMMENDATION_DECIDE

    def post(self, request, pk):
        rec = selectors.recommendation_get_for_user(request.user, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.recommendation_decide(
                    actor=request.user,
                    recommendation=rec,
                    adopted=form.cleaned_data["outcome"] == "adopt",
                    feedback=form.cleaned_data["feedback"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("promotions:recommendation_detail", pk=rec.pk)
        context = RecommendationDetailView.context(request, rec, decision_form=form)
        return render(request, "promotions/recommendation_detail.html", context, status=400)


# --- performance-reference requests ------------------------------------------------------------


class ReferenceListView(PermissionRequiredMixin, View):
    """The center's queue (open first, by due date) or HR's requests."""

    permission_required = Perm.REFERENCE_VIEW

    def get(self, request):
        qs = selectors.reference_list_for_user(request.user)
        state = request.GET.get("state", ReferenceState.OPEN)
        if state in ReferenceState.values:
            qs = qs.filter(state=state)
        if request.GET.get("mine") and has_perm(request.user, Perm.REFERENCE_REQUEST):
            qs = qs.filter(requested_by=request.user)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        page.object_list = [
            {"item": r, "overdue": selectors.is_overdue(r, today)} for r in page.object_list
        ]
        return render(
            request,
            "promotions/reference_list.html",
            {
                "page": page,
                "query": _query(request),
                "state": state,
                "states": ReferenceState.choices,
                "can_request": has_perm(request.user, Perm.REFERENCE_REQUEST),
            },
        )


@method_decorator(never_cache, name="dispatch")
class ReferenceCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_REQUEST

    def get(self, request):
        start, end = services.default_period()
        person = None
        staff_id = request.GET.get("staff", "")
        if staff_id.isdigit():
            person = get_object_or_404(staff_list_for_user(request.user), pk=int(staff_id))
        initial = {
            "period_start": start,
            "period_end": end,
            "due_date": services.default_due_date(),
            "staff_number": person.staff_number if person else "",
        }
        return self.render(request, ReferenceRequestForm(initial=initial), person)

    def post(self, request):
        form = ReferenceRequestForm(request.POST)
        person = None
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = _person(request.user, data.pop("staff_number"))
            if person is None:
                form.add_error("staff_number", _("No such person in your scope."))
            else:
                try:
                    ref = services.reference_request_create(
                        actor=request.user, staff=person, **data
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("The request was sent to the center."))
                    return redirect("promotions:reference_detail", pk=ref.pk)
        return self.render(request, form, person, status=400)

    def render(self, request, form, person, status=200):
        return render(
            request,
            "promotions/reference_form.html",
            {"form": form, "person": person},
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class ReferenceDetailView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_VIEW

    def get(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        return render(request, "promotions/reference_detail.html", self.context(request, ref))

    @staticmethod
    def context(request, ref, form=None):
        user = request.user
        is_open = ref.state == ReferenceState.OPEN
        return {
            "ref": ref,
            "overdue": selectors.is_overdue(ref),
            "appraisal": getattr(ref, "appraisal", None) if ref.state == "answered" else None,
            "can_answer": is_open and has_perm(user, Perm.REFERENCE_ANSWER),
            "can_withdraw": is_open
            and has_perm(user, Perm.REFERENCE_REQUEST)
            and ref.requested_by_id == user.pk,
            "form": form or AnswerForm(initial={"version": ref.version}),
            "flags": eligibility.flags_for(ref.staff_id),
            "snapshot_url": snapshot_url(ref.snapshot if ref.snapshot_id else None),
            "evidence_url": evidence_url(ref.staff),
        }


class ReferenceAnswerView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_ANSWER

    def post(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                ref = services.reference_request_answer(
                    actor=request.user,
                    request=ref,
                    appraisal=form.cleaned_data["appraisal"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Answered; the evidence pack was sent as document %(number)s.")
                    % {"number": ref.snapshot.number},
                )
                return redirect("promotions:reference_detail", pk=ref.pk)
        context = ReferenceDetailView.context(request, ref, form=form)
        return render(request, "promotions/reference_detail.html", context, status=400)


class ReferenceWithdrawView(PermissionRequiredMixin, View):
    permission_required = Perm.REFERENCE_REQUEST

    def post(self, request, pk):
        ref = selectors.reference_get_for_user(request.user, pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            services.reference_request_withdraw(
                actor=request.user, request=ref, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect("promotions:reference_detail", pk=ref.pk)


# --- reserve cadres ----------------------------------------------------------------------------


class ReserveBoardView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "promotions/reserve_board.html",
            {
                "rows": selectors.reserve_board(request.user, today),
                "candidates": selectors.reserve_candidates(request.user, today),
                "today": today,
            },
        )


class ReserveMarkView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def post(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        reserve = request.POST.get("reserve") == "1"
        services.reserve_mark(
            actor=request.user, staff=person, reserve=reserve, reason=request.POST.get("reason", "")
        )
        if reserve:
            messages.success(request, _("%(name)s is now a reserve cadre.") % {"name": person.name})
        else:
            messages.success(
                request, _("%(name)s is no longer a reserve cadre.") % {"name": person.name}
            )
        return redirect("promotions:reserve_board")


@method_decorator(never_cache, name="dispatch")
class RotationPlanCreateView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def get(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        from django.conf import settings

        form = RotationPlanForm(
            initial={
                "planned_start": timezone.localdate(),
                "minimum_months": settings.PROMOTIONS["ROTATION_MIN_MONTHS"],
            }
        )
        return self.render(request, person, form)

    def post(self, request, staff_pk):
        person = get_object_or_404(staff_list_for_user(request.user), pk=staff_pk)
        form = RotationPlanForm(request.POST)
        if form.is_valid():
            try:
                services.rotation_plan_create(actor=request.user, staff=person, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The rotation was planned."))
                return redirect("promotions:reserve_board")
        return self.render(request, person, form, status=400)

    def render(self, request, person, form, status=200):
        return render(
            request,
            "promotions/rotation_form.html",
            {"form": form, "person": person},
            status=status,
        )


class RotationPlanCancelView(PermissionRequiredMixin, View):
    permission_required = Perm.RESERVE_MANAGE

    def post(self, request, pk):
        plans = scope(
            RotationPlan.objects.select_related("staff"),
            request.user,
            department="staff__department",
            person=None,
        )
        plan = get_object_or_404(plans, pk=pk)
        try:
            services.rotation_plan_cancel(
                actor=request.user, plan=plan, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The rotation plan was cancelled."))
        return redirect("promotions:reserve_board")
