"""The dashboard's figures: what a snapshot holds (:func:`figures_for`) and how the page reads
it back (:func:`page_context`).

A snapshot is computed for a *scope* (who sees which departments), not for a person: the
dashboard's figures depend on nothing else (``Perm.DASHBOARD_VIEW`` is the center's and HR's,
both unconfined; a confined viewer would get a ``departments:`` row of their own). What is
stored is plain JSON with no translated text: labels are put back in the reader's language.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from assessments import selectors as assessment_selectors
from assessments.models import Period
from staff import selectors as staff_selectors
from staff.models import EmploymentType, Role
from staff.permissions import department_ids
from training import selectors as training_selectors
from windows import dashboard_reads as windows_dashboard
from windows import rules

from .models import CENTER_SCOPE, DashboardSnapshot

DEPARTMENTS_PREFIX = "departments:"
#: People listed by name in the tenure-milestones card (the rest are counted).
MILESTONES_SHOWN = 50


def scope_of(user: Any) -> str:
    """The snapshot scope of ``user``: every department, or exactly theirs."""
    ids = department_ids(user)
    if ids is None:
        return CENTER_SCOPE
    return DEPARTMENTS_PREFIX + ",".join(str(pk) for pk in sorted(ids))


class ScopeViewer:
    """Stands for everyone of a scope when the figures are taken outside a request (beat): the
    selectors read only the role and the departments (``staff.permissions.scope``)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __init__(self, scope: str):
        if scope == CENTER_SCOPE:
            self.role = Role.CENTER_ADMIN
        elif scope.startswith(DEPARTMENTS_PREFIX):
            self.role = Role.LIAISON
            ids = scope.removeprefix(DEPARTMENTS_PREFIX)
            # what staff.permissions.department_ids reads for a confined viewer
            self._department_ids = frozenset(int(pk) for pk in ids.split(",") if pk)
        else:
            raise ValueError(f"unknown dashboard scope {scope!r}")


def figures_for(viewer: Any, today: date) -> dict[str, Any]:
    """Every figure of the dashboard as ``viewer`` may see them (about twenty aggregate queries
    over the whole center: the reason they are a snapshot). JSON-ready."""
    assessment = assessment_selectors.dashboard_figures(viewer)
    period = assessment.pop("period")
    assessment["period"] = (
        None
        if period is None
        else {"id": period.pk, "kind": period.kind, "year": period.year, "number": period.number}
    )
    milestones = [
        {
            "staff_id": row["stationing"].staff_id,
            "name": row["stationing"].staff.name,
            "window_code": row["stationing"].window.code,
            "window_name": row["stationing"].window.name,
            "reached_on": row["reached_on"].isoformat(),
        }
        for row in windows_dashboard.tenure_milestones(viewer, today)[:MILESTONES_SHOWN]
    ]
    return {
        "day": today.isoformat(),
        "figures": staff_selectors.composition(viewer),
        "compliance": staff_selectors.compliance(viewer),
        "chart_departments": staff_selectors.staff_by_department(viewer),
        "employment": staff_selectors.employment_type_counts(viewer),
        "windows_compliance": windows_dashboard.compliance(viewer, today)
        | windows_dashboard.window_gaps(viewer, today),
        "tenure_milestones": milestones,
        "tenure_milestones_more": max(
            0, windows_dashboard.tenure_milestone_count(viewer, today) - len(milestones)
        ),
        "assessment": assessment,
        "training": training_selectors.dashboard_figures(viewer, today),
    }


def page_context(snapshot: DashboardSnapshot) -> dict[str, Any]:
    """The template's context from a stored snapshot, labels in the active language. No
    query."""
    stored = snapshot.figures
    labels = dict(EmploymentType.choices)
    assessment = dict(stored["assessment"])
    period = assessment.get("period")
    if period is not None:  # unsaved: only for its label
        assessment["period"] = Period(
            pk=period["id"], kind=period["kind"], year=period["year"], number=period["number"]
        )
    milestones = [
        row | {"reached_on": parse_date(row["reached_on"])} for row in stored["tenure_milestones"]
    ]
    taken_at = timezone.localtime(snapshot.taken_at)
    return {
        "snapshot": snapshot,
        "taken_at": taken_at,
        "taken_today": taken_at.date() == timezone.localdate(),
        "figures": stored["figures"],
        "compliance": stored["compliance"],
        "chart_departments": stored["chart_departments"],
        "chart_employment": [
            {"label": str(labels[key]), "value": n}
            for key, n in stored["employment"].items()
            if key in labels and n
        ],
        "windows_compliance": stored["windows_compliance"],
        "tenure_milestones": milestones,
        "tenure_milestones_more": stored.get("tenure_milestones_more", 0),
        "tenure_lookahead_days": rules.center("TENURE_MILESTONE_LOOKAHEAD_DAYS"),
        "assessment": assessment,
        "training": stored["training"],
        "refresh_minutes": settings.CENTER["DASHBOARD_SNAPSHOT_MINUTES"],
        "certificate_warning_days": settings.CENTER["CERTIFICATE_WARNING_DAYS"],
    }


def compliance_list(viewer: Any, kind: str, today: date) -> tuple[str, str, Any]:
    """What a compliance figure of the dashboard stands for, live (the figure is the snapshot's):
    ``(title, row kind, queryset)`` where the row kind says which columns the page shows.
    ``KeyError`` for an unknown ``kind``."""
    if kind in windows_dashboard.COMPLIANCE_KINDS:
        rows = windows_dashboard.compliance_rows(viewer, kind, today)
        return str(COMPLIANCE_TITLES[kind]), "stationing", rows
    if kind in staff_selectors.CERTIFICATE_KINDS:
        rows = staff_selectors.compliance_rows(viewer, kind, today)
        row_kind = "certificate" if kind == "certificate_expiring" else "person"
        title = COMPLIANCE_TITLES[kind] % {"days": settings.CENTER["CERTIFICATE_WARNING_DAYS"]}
        return title, row_kind, rows
    raise KeyError(kind)


COMPLIANCE_TITLES = {
    "ineligible_chiefs": _("Ineligible chief representatives"),
    "chief_certificate_expired": _("Chief representatives whose certificates have expired"),
    "chief_certificate_missing": _("Chief representatives without a certificate"),
    "temporary_in_licensing": _("Temporary hires at licensing windows"),
    "early_transfers": _("Early transfers this year"),
    "certificate_expired": _("People whose law-enforcement certificates have all expired"),
    "certificate_expiring": _("Certificates expiring within %(days)s days"),
}
