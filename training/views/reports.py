"""Training hours per person and the training reports."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from core.pagination import CountPaginator, page_query
from staff.permissions import Perm, PermissionRequiredMixin

from .. import selectors

PAGE_SIZE = 50


class HoursView(PermissionRequiredMixin, View):
    """Hours this year per person in scope (a liaison: their department), against the target."""

    permission_required = Perm.TRAINING_REPORTS

    def get(self, request):
        today = timezone.localdate()
        people = selectors.people_with_hours(request.user, today.year)
        behind = request.GET.get("behind") == "1"
        if behind:
            people = people.filter(hours_total__lt=selectors.pace_target(today))
        people = people.order_by("hours_total", "name", "id")
        page = CountPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "training/hours.html",
            {
                "page": page,
                "query": page_query(request),
                "behind": behind,
                "target": selectors.annual_target(),
                "pace": selectors.pace_target(today),
                "year": today.year,
            },
        )


class ReportsView(PermissionRequiredMixin, View):
    permission_required = Perm.TRAINING_REPORTS

    def get(self, request):
        today = timezone.localdate()
        user = request.user
        by_department = selectors.hours_by_department(user, today.year)
        behind = selectors.behind_target(user, today)
        onboarding = selectors.onboarding_overdue(user, today)
        policy = selectors.policy_overdue(user, today)
        context = {
            "year": today.year,
            "target": selectors.annual_target(),
            "pace": selectors.pace_target(today),
            "by_department": by_department,
            "behind_count": behind.count(),
            "behind": list(behind[:20]),
            "onboarding_count": onboarding.count(),
            "onboarding": list(onboarding[:50]),
            "policy_count": len(policy),
            "policy": policy[:50],
            "chart_departments": [
                {"label": r["label"], "value": float(r["total"])} for r in by_department[:20]
            ],
            "chart_categories": [
                r for r in selectors.hours_by_category(user, today.year) if r["value"]
            ],
        }
        return render(request, "training/reports.html", context)
