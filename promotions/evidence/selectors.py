"""Reads for the evidence pages, always through the viewer's scope: a person outside it, or a
snapshot of such a person, answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from staff.models import Staff
from staff.permissions import scope
from staff.selectors import staff_list_for_user

from ..models import EvidenceSnapshot


def evidence_staff_get_for_user(user: Any, pk: int) -> Staff:
    return get_object_or_404(staff_list_for_user(user), pk=pk)


def snapshot_list_for_user(user: Any) -> QuerySet[EvidenceSnapshot]:
    qs = EvidenceSnapshot.objects.select_related("staff", "staff__department", "created_by")
    return scope(qs, user, department="staff__department", person="staff")


def snapshot_get_for_user(user: Any, number: str) -> EvidenceSnapshot:
    return get_object_or_404(snapshot_list_for_user(user), number=number)
