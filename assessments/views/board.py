"""The period board (scores per window and person, entries to review), closing and recomputing a
period, the rankings and the awards of a period."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.pagination import page_query
from staff.permissions import Perm, PermissionRequiredMixin, has_perm
from staff.selectors import department_options_for_user

from .. import selectors
from ..forms import (
    AwardSelectForm,
)
from ..models import (
    AppealStatus,
    AwardKind,
    PeriodKind,
)
from ..services import awards as award_services
from ..services import scores as score_services
from .lists import PAGE_SIZE, ScorePaginator, period_from


class BoardView(PermissionRequiredMixin, View):
    """The period board: scores per window and person, entries to review, period close."""

    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = period_from(request)
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
                query=page_query(request),
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
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{_board_url()}?period={period.pk}")


def _board_url():
    from django.urls import reverse

    return reverse("assessments:board")


class RankingsView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = period_from(request)
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
            context["query"] = page_query(request)
        return render(request, "assessments/rankings.html", context)


class AwardListView(PermissionRequiredMixin, View):
    permission_required = Perm.ASSESSMENT_BOARD

    def get(self, request):
        period = period_from(request)
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
