"""Bare equivalents of the benchmarked pages: each queries the rows its page shows (scoped to the
viewer, with the same joins, one page of them and its count through the same paginator) and
renders them plainly as JSON — no template, no panels, no cache. What a page costs above its bare
view is what its own construction adds. Mounted only by the benchmark's URLconf (bench/urls.py).

Long because: one bare view per benchmarked page, side by side so each reads against the page it
stands for; no runtime code imports it.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from core.pagination import CountPaginator

PAGE_SIZE = 50


def _page(request, queryset: QuerySet, fields: tuple[str, ...], size: int = PAGE_SIZE) -> dict:
    page = CountPaginator(queryset, size).get_page(request.GET.get("page"))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "rows": list(page.object_list.values(*fields)),
    }


def _json(payload: dict) -> JsonResponse:
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def _scope(queryset, user, **paths):
    from staff.permissions import scope

    return scope(queryset, user, **paths)


# --- staff ---------------------------------------------------------------------------------------

STAFF_FIELDS = (
    "id",
    "staff_number",
    "name",
    "gender",
    "employment_type",
    "political_status",
    "center_role",
    "status",
    "department__short_name",
)


def _staff_queryset(request):
    from staff.models import Staff

    qs = _scope(Staff.objects.select_related("department"), request.user, person="")
    for field in ("employment_type", "gender", "status", "center_role"):
        if request.GET.get(field):
            qs = qs.filter(**{field: request.GET[field]})
    if request.GET.get("q"):
        term = request.GET["q"]
        qs = qs.filter(Q(name__contains=term) | Q(staff_number__iexact=term))
    return qs.order_by("staff_number", "id")


@login_required
def staff_list(request):
    return _json(_page(request, _staff_queryset(request), STAFF_FIELDS))


@login_required
def staff_detail(request, pk: int):
    from assessments.models import Score
    from staff.models import Certificate, Staff
    from windows.models import Stationing

    person = get_object_or_404(
        _scope(Staff.objects.select_related("department"), request.user, person=""), pk=pk
    )
    since = date(date.today().year - 5, 1, 1)
    return _json(
        {
            "person": Staff.objects.filter(pk=person.pk).values(*STAFF_FIELDS)[0],
            "stationings": list(
                Stationing.objects.filter(staff=person)
                .select_related("window")
                .values("window__code", "post", "start_date", "end_date")
            ),
            "certificates": list(
                Certificate.objects.filter(staff=person).values("number", "expires_on")
            ),
            "scores": list(
                Score.objects.filter(staff=person, period__start_date__gte=since)
                .select_related("period")
                .order_by("period__start_date")
                .values("period__kind", "period__start_date", "total")
            ),
        }
    )


@login_required
def department_list(request):
    from staff.models import Department

    qs = (
        _scope(Department.objects.all(), request.user, department="id")
        .annotate(headcount=Count("staff"))
        .order_by("code", "id")
    )
    return _json(_page(request, qs, ("id", "code", "name", "headcount"), size=100))


# --- windows -------------------------------------------------------------------------------------


@login_required
def window_list(request):
    from windows.models import Window

    qs = _scope(Window.objects.select_related("department"), request.user).order_by("code", "id")
    fields = ("id", "code", "name", "hall_area", "department__short_name", "headcount_quota")
    return _json(_page(request, qs, fields))


@login_required
def transfer_list(request):
    from windows.models import TransferRequest

    qs = _scope(
        TransferRequest.objects.select_related("department", "window", "outgoing", "incoming"),
        request.user,
    ).order_by("-created_at", "-id")
    fields = (
        "id",
        "kind",
        "state",
        "effective_date",
        "department__short_name",
        "window__code",
        "outgoing__name",
        "incoming__name",
    )
    return _json(_page(request, qs, fields))


@login_required
def liaison_home(request):
    """The liaison's department: its windows with the people at them, open requests."""
    from windows.models import OPEN_STATES, Stationing, TransferRequest, Window

    user = request.user
    windows = _scope(Window.objects.select_related("department"), user).order_by("code", "id")[:100]
    return _json(
        {
            "windows": list(windows.values("id", "code", "name")),
            "people": list(
                _scope(
                    Stationing.objects.open().select_related("staff", "window"),
                    user,
                    department="window__department",
                )
                .order_by("window__code", "id")[:400]
                .values("window__code", "staff__name", "post")
            ),
            "requests": list(
                _scope(TransferRequest.objects.filter(state__in=OPEN_STATES), user)
                .order_by("-created_at")[:20]
                .values("id", "kind", "state")
            ),
        }
    )


# --- assessments ---------------------------------------------------------------------------------

SCORE_FIELDS = (
    "id",
    "staff__name",
    "staff__staff_number",
    "window__code",
    "total",
    "suggested_grade",
)


def _rank_order() -> tuple[str, ...]:
    """The pages' rank order: by the stored rank while Score has one, else by total."""
    from assessments.models import Score

    names = {field.name for field in Score._meta.get_fields()}
    return ("rank_center", "id") if "rank_center" in names else ("-total", "id")


def _latest_month() -> list[int]:
    """The current month's period id (looked up first, as the pages do: a literal id lets the
    planner walk the (period, rank) index)."""
    from assessments.models import Period

    return list(
        Period.objects.filter(kind="month", start_date__lte=date.today())
        .order_by("-start_date")
        .values_list("id", flat=True)[:1]
    )


@login_required
def score_board(request):
    """The period board and the rankings: this month's scores with person and window."""
    from assessments.models import Score

    qs = _scope(
        Score.objects.filter(period__in=_latest_month()).select_related(
            "staff", "department", "window"
        ),
        request.user,
        department="staff__department",
        person="staff",
    ).order_by(*_rank_order())
    return _json(_page(request, qs, SCORE_FIELDS))


@login_required
def score_list(request):
    from assessments.models import Score

    qs = _scope(
        Score.objects.select_related("staff", "department", "window", "period"),
        request.user,
        department="staff__department",
        person="staff",
    ).order_by("-period_id", *_rank_order())  # by period id, as the API: an index walk
    return _json(_page(request, qs, (*SCORE_FIELDS, "period__start_date")))


@login_required
def entry_list(request):
    from assessments.models import Entry

    qs = _scope(
        Entry.objects.select_related("staff", "rule", "window"),
        request.user,
        department="staff__department",
        person="staff",
    ).order_by("-date", "-id")
    fields = ("id", "date", "staff__name", "rule__code", "window__code", "points", "status")
    return _json(_page(request, qs, fields))


@login_required
def appeal_list(request):
    from assessments.models import Appeal

    qs = _scope(
        Appeal.objects.filter(status=request.GET.get("status", "submitted")).select_related(
            "entry", "staff"
        ),
        request.user,
        department="staff__department",
        person="staff",
    ).order_by("submitted_at", "id")  # the queue: the oldest submitted first
    fields = ("id", "status", "submitted_at", "staff__name", "entry__date", "entry__points")
    return _json(_page(request, qs, fields))


@login_required
def rectification_list(request):
    from assessments.models import Rectification

    qs = _scope(
        Rectification.objects.select_related("rating", "window", "staff"),
        request.user,
        person="staff",
    ).order_by("deadline", "id")
    fields = ("id", "status", "deadline", "window__code", "staff__name", "rating__level")
    return _json(_page(request, qs, fields))


# --- training ------------------------------------------------------------------------------------


@login_required
def course_list(request):
    from training.models import Course

    qs = Course.objects.select_related("department").order_by("title", "id")
    return _json(_page(request, qs, ("id", "title", "category", "department__short_name")))


def _person_or_own(request, pk: int | None):
    from staff.models import Staff

    queryset = _scope(Staff.objects.select_related("department"), request.user, person="")
    if pk is None:
        return get_object_or_404(queryset, user=request.user)
    return get_object_or_404(queryset, pk=pk)


@login_required
def training_menu(request, pk: int | None = None):
    """One person's training: their enrolments (session and course), skills and the skills
    their window requires."""
    from training.models import Enrollment, StaffSkill, WindowSkillRequirement
    from windows.models import Stationing

    person = _person_or_own(request, pk)
    window_ids = Stationing.objects.open().filter(staff=person).values("window_id")
    return _json(
        {
            "person": person.name,
            "enrollments": list(
                Enrollment.objects.filter(staff=person)
                .select_related("session__course")
                .order_by("-session__starts_at")
                .values("session__course__title", "session__starts_at", "status")
            ),
            "skills": list(StaffSkill.objects.filter(staff=person).values("skill__code")),
            "required": list(
                WindowSkillRequirement.objects.filter(window_id__in=window_ids).values(
                    "skill__code"
                )
            ),
        }
    )


# --- promotions ----------------------------------------------------------------------------------


@login_required
def evidence_pack(request, pk: int):
    """Five years of one person's record: scores, entries, training, awards."""
    from assessments.models import Award, Entry, Score
    from training.models import Enrollment

    person = _person_or_own(request, pk)
    since = date(date.today().year - 5, 1, 1)
    return _json(
        {
            "person": person.name,
            "scores": list(
                Score.objects.filter(staff=person, period__start_date__gte=since)
                .select_related("period")
                .values("period__kind", "period__start_date", "total", "suggested_grade")
            ),
            "entries": list(
                Entry.objects.filter(staff=person, date__gte=since)
                .select_related("rule")
                .values("date", "rule__code", "points")
            ),
            "training": list(
                Enrollment.objects.filter(staff=person, session__starts_at__date__gte=since)
                .select_related("session__course")
                .values("session__course__title", "status")
            ),
            "awards": list(Award.objects.filter(staff=person).values("kind", "period_id")),
        }
    )


# --- joint ---------------------------------------------------------------------------------------


@login_required
def joint_department(request):
    """The department's people (one page) and its latest talks."""
    from joint.models import Talk
    from staff.models import Staff

    user = request.user
    people = _scope(Staff.objects.select_related("department"), user, person="").order_by(
        "staff_number", "id"
    )
    payload = _page(request, people, STAFF_FIELDS)
    payload["talks"] = list(
        _scope(Talk.objects.select_related("staff"), user, department="staff__department")
        .order_by("-date", "-id")[:20]
        .values("id", "date", "staff__name", "kind")
    )
    return _json(payload)


@login_required
def talk_list(request):
    from joint.models import Talk

    qs = _scope(
        Talk.objects.select_related("staff", "author"),
        request.user,
        department="staff__department",
        person="staff",
    ).order_by("-date", "-id")
    fields = ("id", "date", "kind", "level", "staff__name", "author__username")
    return _json(_page(request, qs, fields))


# --- notifications and the dashboard -------------------------------------------------------------


@login_required
def notification_list(request):
    from notifications.models import Notification

    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    fields = ("id", "created_at", "read_at", "title")
    return _json(_page(request, qs, fields, size=30))


@login_required
def dashboard(request):
    """The dashboard's headline figures straight from the source rows: headcounts by role,
    employment and gender, windows, this month's scores and the open queues."""
    from assessments.models import OPEN_RECTIFICATION, Rectification, Score
    from staff.models import Staff
    from windows.models import OPEN_STATES, TransferRequest, Window

    user = request.user
    people = _scope(Staff.objects.all(), user, person="")
    return _json(
        {
            "composition": list(
                people.values("center_role", "employment_type", "gender")
                .annotate(n=Count("id"))
                .order_by()
            ),
            "by_department": list(
                people.values("department_id").annotate(n=Count("id")).order_by()
            ),
            "windows": _scope(Window.objects.filter(active=True), user).count(),
            "scores": _scope(
                Score.objects.filter(period__in=_latest_month()), user, person="staff"
            ).count(),
            "open_transfers": _scope(
                TransferRequest.objects.filter(state__in=OPEN_STATES), user
            ).count(),
            "open_cases": _scope(
                Rectification.objects.filter(status__in=OPEN_RECTIFICATION), user
            ).count(),
        }
    )
