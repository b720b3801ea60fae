"""Reads for a user, scoped with ``staff.permissions.scope``: a liaison sees the rounds that
covered their departments' windows, and of those only the findings at their windows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from staff.permissions import department_ids, scope

from .models import ChecklistItem, ChecklistTemplate, Finding, FindingPhoto, FindingStatus, Round


def finding_list_for_user(user: Any) -> QuerySet[Finding]:
    """Findings at the windows the user may see, newest first, with what a row shows."""
    qs = Finding.objects.select_related(
        "round", "window", "staff", "item", "rule", "entry", "recorded_by"
    ).prefetch_related(Prefetch("photos", queryset=FindingPhoto.objects.order_by("id")))
    return scope(qs, user, department="window__department").order_by("-observed_at", "-id")


def finding_get_for_user(user: Any, pk: int) -> Finding:
    return get_object_or_404(finding_list_for_user(user), pk=pk)


def photo_get_for_user(user: Any, pk: int) -> FindingPhoto:
    qs = scope(
        FindingPhoto.objects.select_related("finding"),
        user,
        department="finding__window__department",
    )
    return get_object_or_404(qs, pk=pk)


def _count(findings: QuerySet[Finding]) -> Subquery:
    return Coalesce(
        Subquery(
            findings.filter(round_id=OuterRef("pk"))
            .order_by()
            .values("round_id")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def round_list_for_user(user: Any) -> QuerySet[Round]:
    """Rounds the user may see (liaison: those covering one of their departments' windows),
    newest first, each with ``finding_count`` and ``pending_count`` (citing a rule, neither a
    deduction yet nor withdrawn) of the findings the user may see."""
    qs = Round.objects.select_related("checklist", "leader")
    ids = department_ids(user)
    if ids is not None:
        covered = Round.windows.through.objects.filter(window__department_id__in=ids)
        qs = qs.filter(pk__in=covered.values("round_id"))
    visible = scope(Finding.objects.all(), user, department="window__department")
    return qs.annotate(
        finding_count=_count(visible),
        pending_count=_count(visible.filter(status=FindingStatus.RECORDED, rule__isnull=False)),
    ).order_by("-started_at", "-id")


def round_get_for_user(user: Any, pk: int) -> Round:
    return get_object_or_404(
        round_list_for_user(user).prefetch_related("inspectors", "windows"), pk=pk
    )


def round_windows_for_user(user: Any, round_: Round) -> QuerySet:
    """The round's windows the user may see."""
    return scope(round_.windows.select_related("department"), user, department="department")


def checklist_list() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.select_related("rule"))
    ).order_by("-active", "name", "id")


def checklist_items(template: ChecklistTemplate) -> QuerySet[ChecklistItem]:
    return template.items.filter(active=True).select_related("rule").order_by("position", "id")


def findings_of_round(user: Any, round_: Round) -> QuerySet[Finding]:
    return finding_list_for_user(user).filter(round=round_)
