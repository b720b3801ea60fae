from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import people
from core.history import describe_entries
from core.pagination import CountPaginator, page_query
from staff.models import Role
from staff.permissions import Perm, has_perm, permission_required, role_of
from windows import dashboard_reads as windows_dashboard

from . import selectors as portal_selectors
from . import services
from .dashboard import compliance_list, page_context, scope_of
from .filters import AuditFilter


@login_required
def home(request):
    """Each role lands on its own page."""
    role = role_of(request.user)
    if role == Role.HR:
        return redirect("promotions:hr_home")
    if role == Role.CENTER_ADMIN:
        return redirect("portal:dashboard")
    if role == Role.LIAISON:
        return redirect("portal:liaison_home")
    person = getattr(request.user, "staff_profile", None)
    if person is not None:
        return redirect(reverse("staff:detail", args=[person.pk]))
    return render(request, "portal/no_profile.html", status=200)


@permission_required(Perm.DASHBOARD_VIEW)
def dashboard(request):
    """The figures of the user's scope as of their snapshot (two queries: the session's user
    aside, the snapshot row), taken now only when there is none yet."""
    snapshot = portal_selectors.dashboard_snapshot_for_user(request.user)
    if snapshot is None:
        snapshot = services.dashboard_snapshot_refresh(scope=scope_of(request.user))
    context = page_context(snapshot)
    context["can_refresh"] = has_perm(request.user, Perm.DASHBOARD_REFRESH)
    return render(request, "portal/dashboard.html", context)


@permission_required(Perm.DASHBOARD_REFRESH)
@require_POST
def dashboard_refresh(request):
    """Retake the snapshot now (the center administrator's button)."""
    snapshot = services.dashboard_snapshot_refresh(scope=scope_of(request.user), actor=request.user)
    messages.success(
        request,
        _("Figures refreshed as of %(time)s.")
        % {"time": timezone.localtime(snapshot.taken_at).strftime("%H:%M")},
    )
    return redirect("portal:dashboard")


@permission_required(Perm.DASHBOARD_VIEW)
def compliance(request, kind):
    """The people, certificates or stationings behind one compliance figure of the dashboard,
    live and in the viewer's scope (the figure itself is the snapshot's)."""
    try:
        title, row_kind, rows = compliance_list(request.user, kind, timezone.localdate())
    except KeyError:
        raise Http404 from None
    page = CountPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/compliance.html",
        {"title": title, "row_kind": row_kind, "page": page, "kind": kind},
    )


@permission_required(Perm.LIAISON_HOME)
def liaison_home(request):
    """A liaison's first page: their windows and staff, requests waiting for them, requests they
    raised (windows app, issue #3)."""
    user = request.user
    context = windows_dashboard.liaison_home(user)
    # each with its open rectification cases and unanswered recommendations (issue #16)
    departments = portal_selectors.liaison_departments(user)
    context["departments"] = departments
    context["windows"] = windows_dashboard.liaison_windows(user)
    # --- joint management (issue #8): one department's people (score, tenure, training hours,
    # flags), suggested talks, follow-ups, visits, talks and this month's report, from the same
    # partials as /joint/. ``?department=`` picks one of several (out of scope: 404). ---
    if has_perm(user, Perm.JOINT_DEPARTMENT) and departments:
        from joint import selectors as joint_selectors
        from joint.sections import department_sections

        wanted = request.GET.get("department")
        department = joint_selectors.department_for_user(user, wanted) if wanted else departments[0]
        sections = department_sections(
            user, department, timezone.localdate(), staff_page=request.GET.get("page")
        )
        context.update(sections, joint=True)
        context["query"] = f"department={department.pk}"
    # --- end joint ---
    return render(request, "portal/liaison_home.html", context)


@permission_required(Perm.AUDIT_VIEW)
def audit(request):
    """Who changed what, newest first, in words; filter by person, record type and dates.
    A fixed number of queries for any page (core.history.describe_entries)."""
    entries = LogEntry.objects.select_related(
        "content_type", "actor", *people.related("actor")
    ).order_by("-timestamp", "-id")
    filterset = AuditFilter(request.GET or None, queryset=entries)
    if filterset.is_bound and not filterset.is_valid():
        entries = entries.none()
    elif filterset.is_bound:
        entries = filterset.qs
    page = CountPaginator(entries, 50).get_page(request.GET.get("page"))
    rows = describe_entries(list(page))
    query = page_query(request)
    return render(
        request,
        "portal/audit.html",
        {"page": page, "rows": rows, "filter": filterset, "query": query},
    )
