from __future__ import annotations

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors as assessment_selectors
from core.history import describe
from staff import selectors as staff_selectors
from staff.models import Role
from staff.permissions import Perm, has_perm, permission_required, role_of
from windows import selectors as windows_selectors


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


# Everything the dashboard's figures read: a write to any of them rebuilds the figures.
DASHBOARD_DEPENDS = (
    "staff.Staff",
    "staff.Department",
    "staff.Certificate",
    "windows.Window",
    "windows.Stationing",
    "windows.ChiefAppointment",
    "windows.TransferRequest",
    "windows.Vetting",
    "assessments.Period",
    "assessments.Score",
    "assessments.Entry",
    "assessments.Appeal",
    "assessments.Rating",
    "assessments.Rectification",
    "assessments.Award",
    "training.Skill",
    "training.WindowSkillRequirement",
    "training.StaffSkill",
    "training.Course",
    "training.Session",
    "training.Enrollment",
    "training.PolicyUpdate",
)


def dashboard_figures(user) -> dict:
    """Every figure of the dashboard, as ``user`` may see them (about twenty aggregate queries
    over the whole center)."""
    from django.utils import timezone

    from training import selectors as training_selectors

    return {
        "figures": staff_selectors.composition(user),
        "compliance": staff_selectors.compliance(user),
        "chart_departments": staff_selectors.staff_by_department(user),
        "chart_employment": staff_selectors.staff_by_employment_type(user),
        # --- windows app (issue #3) ---
        "windows_compliance": windows_selectors.compliance(user),
        "tenure_milestones": windows_selectors.tenure_milestones(user),
        "tenure_lookahead_days": settings.CENTER["TENURE_MILESTONE_LOOKAHEAD_DAYS"],
        # --- end windows app ---
        # --- assessments (issue #4) ---
        "assessment": assessment_selectors.dashboard_figures(user),
        # --- training (issue #5) ---
        "training": training_selectors.dashboard_figures(user, timezone.localdate()),
    }


@permission_required(Perm.DASHBOARD_VIEW)
def dashboard(request):
    """The figures are cached (core.derived) for everyone with the same role and departments,
    until a write to a model they read (DASHBOARD_DEPENDS), so a write shows at once."""
    from django.utils import timezone
    from django.utils.translation import get_language

    from core import derived
    from staff.permissions import scope_key

    user = request.user
    key = (scope_key(user), timezone.localdate(), get_language())
    context = derived.cached(
        "portal.dashboard", key, lambda: dashboard_figures(user), depends_on=DASHBOARD_DEPENDS
    )
    return render(request, "portal/dashboard.html", context)


def _liaison_windows_card(user, departments) -> str:
    """The liaison home's "windows and staff" card (up to a hundred windows with everyone at
    them: most of the page's rendering), rendered once for everyone confined to the same
    departments and cached until a window, stationing, person or department is written."""
    from django.utils import timezone

    from core import derived
    from staff.permissions import scope_key

    return derived.cached_render(
        "portal.liaison_windows_card",
        (scope_key(user), timezone.localdate()),  # tenure in months is counted to today
        "portal/_liaison_windows.html",
        lambda: {"windows": windows_selectors.liaison_windows(user), "departments": departments},
        depends_on=windows_selectors.WINDOW_DEPENDS,
    )


@permission_required(Perm.LIAISON_HOME)
def liaison_home(request):
    """A liaison's first page: their windows and staff, requests waiting for them, requests they
    raised (windows app, issue #3)."""
    user = request.user
    context = windows_selectors.liaison_home(user)
    departments = list(staff_selectors.department_list_for_user(user)[:20])
    context["departments"] = departments
    context["windows_card"] = _liaison_windows_card(user, departments)
    # --- joint management (issue #8): one department's people (score, tenure, training hours,
    # flags), suggested talks, follow-ups, visits, talks and this month's report, from the same
    # partials as /joint/. ``?department=`` picks one of several (out of scope: 404). ---
    if has_perm(user, Perm.JOINT_DEPARTMENT) and departments:
        from django.utils import timezone

        from joint import selectors as joint_selectors
        from joint.views import department_sections

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
