from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors as assessment_selectors
from core.history import describe
from staff import selectors as staff_selectors
from staff.models import Role
from staff.permissions import Perm, permission_required, role_of


@login_required
def home(request):
    """Each role lands on its own page."""
    role = role_of(request.user)
    if role in (Role.CENTER_ADMIN, Role.HR):
        return redirect("portal:dashboard")
    if role == Role.LIAISON:
        departments = staff_selectors.department_list_for_user(request.user)
        first = departments.first()
        if first is not None:
            return redirect("staff:department_detail", pk=first.pk)
        return redirect("staff:list")
    person = getattr(request.user, "staff_profile", None)
    if person is not None:
        return redirect(reverse("staff:detail", args=[person.pk]))
    return render(request, "portal/no_profile.html", status=200)


@permission_required(Perm.DASHBOARD_VIEW)
def dashboard(request):
    user = request.user
    context = {
        "figures": staff_selectors.composition(user),
        "compliance": staff_selectors.compliance(user),
        "chart_departments": staff_selectors.staff_by_department(user),
        "chart_employment": staff_selectors.staff_by_employment_type(user),
        # --- assessments (issue #4) ---
        "assessment": assessment_selectors.dashboard_figures(user),
    }
    return render(request, "portal/dashboard.html", context)


@permission_required(Perm.AUDIT_VIEW)
def audit(request):
    """Who changed what, newest first; filter by object type and by user."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    model = request.GET.get("model", "")
    actor = request.GET.get("actor", "").strip()
    if model:
        entries = entries.filter(content_type__model=model)
    if actor:
        entries = entries.filter(actor__username=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        describe(entry) | {"object": entry.object_repr, "model": entry.content_type.name}
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit.html",
        {"page": page, "rows": rows, "model": model, "actor": actor, "query": query.urlencode()},
    )
