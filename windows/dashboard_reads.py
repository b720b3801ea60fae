"""The windows part of the dashboard and of a liaison's home, for a user through
``staff.permissions.scope``: the compliance figures and their drill-down lists (one definition
each), the stationings reaching their minimum tenure, the windows' gaps (no chief, no A/B pair,
open replacement demands), a liaison's windows and requests. Read by ``portal``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Certificate, EmploymentType
from staff.permissions import department_ids, scope

from . import rules
from .models import (
    OPEN_STATES,
    Post,
    Side,
    Stationing,
    Window,
    add_months,
    months_between,
)
from .selectors import (
    open_people,
    open_requests_count,
    transfer_list_for_user,
    waiting_for,
    windows_without_chief,
)
from .stand_in_reads import windows_without_pair_count


def _scoped_open(user: Any) -> QuerySet[Stationing]:
    return scope(Stationing.objects.open(), user, department="staff__department")


def _compliance_filters(today: date) -> dict[str, Q]:
    """Each compliance figure of the windows part as a filter over stationings: the dashboard
    counts them (:func:`compliance`), its drill-down lists them (:func:`compliance_rows`), from
    the same definitions.

    The certificate and licensing tests are uncorrelated ``IN`` subqueries, which PostgreSQL
    hashes once, instead of an ``EXISTS`` evaluated per stationing.
    """
    open_now = Q(end_date__isnull=True)
    chief = open_now & Q(post=Post.CHIEF_REPRESENTATIVE)
    certified = Q(
        staff_id__in=Certificate.objects.filter(issued_on__lte=today, expires_on__gte=today).values(
            "staff_id"
        )
    )
    any_certificate = Q(staff_id__in=Certificate.objects.values("staff_id"))
    licensing = Q(
        window_id__in=Window.objects.filter(service_items__is_licensing=True).values("pk")
    )
    return {
        "ineligible_chiefs": chief & rules.ineligible_chief_q(today, "staff__"),
        "chief_certificate_expired": chief & ~certified & any_certificate,
        "chief_certificate_missing": chief & ~any_certificate,
        "temporary_in_licensing": open_now
        & Q(staff__employment_type=EmploymentType.TEMPORARY)
        & licensing,
        "early_transfers": Q(is_early_end=True, end_date__year=today.year),
    }


#: The windows figures the dashboard's drill-down can list.
COMPLIANCE_KINDS = tuple(_compliance_filters(date(2000, 1, 1)))


def _compliance_base(user: Any, today: date) -> QuerySet[Stationing]:
    return scope(
        Stationing.objects.filter(
            Q(end_date__isnull=True) | Q(is_early_end=True, end_date__year=today.year)
        ),
        user,
        department="staff__department",
    )


def compliance(user: Any, today: date | None = None) -> dict[str, int]:
    """The windows part of the dashboard's compliance panel, in one query."""
    today = today or timezone.localdate()
    filters = _compliance_filters(today)
    return _compliance_base(user, today).aggregate(
        **{name: Count("id", filter=condition) for name, condition in filters.items()}
    )


def compliance_rows(user: Any, kind: str, today: date | None = None) -> QuerySet[Stationing]:
    """The stationings behind one figure of :func:`compliance`, for its drill-down list
    (person, department, window); ``KeyError`` for an unknown ``kind``."""
    today = today or timezone.localdate()
    condition = _compliance_filters(today)[kind]
    return (
        _compliance_base(user, today)
        .filter(condition)
        .select_related("staff__department", "window")
        .order_by("window__code", "staff__name", "id")
    )


def _reaching_tenure(user: Any, today: date) -> QuerySet[Stationing]:
    months = rules.min_tenure_months()
    days = int(rules.center("TENURE_MILESTONE_LOOKAHEAD_DAYS"))
    earliest = add_months(today, -months)
    latest = add_months(today + timedelta(days=days), -months)
    return _scoped_open(user).filter(start_date__gte=earliest, start_date__lte=latest)


def tenure_milestone_count(user: Any, today: date | None = None) -> int:
    """How many open stationings reach the minimum tenure within the look-ahead. One query."""
    return _reaching_tenure(user, today or timezone.localdate()).count()


def tenure_milestones(user: Any, today: date | None = None) -> list[dict[str, Any]]:
    """Open stationings reaching the minimum tenure within the look-ahead (default 90 days), the
    first two hundred."""
    today = today or timezone.localdate()
    days = int(rules.center("TENURE_MILESTONE_LOOKAHEAD_DAYS"))
    rows = (
        _reaching_tenure(user, today)
        .select_related("staff", "window")
        .order_by("start_date", "id")[:200]
    )
    return [
        {"stationing": s, "reached_on": rules.tenure_reached_on(s.start_date)}
        for s in rows
        if today <= rules.tenure_reached_on(s.start_date) <= today + timedelta(days=days)
    ]


def liaison_windows(user: Any) -> list[dict[str, Any]]:
    """A liaison's first hundred active windows as plain values: code, name, links, the chief's
    and the other staff's names with their tenure, open requests. Two queries (windows with
    their open requests counted, their open stationings), no model instances."""
    windows = list(
        scope(Window.objects.filter(active=True), user, department="department")
        .annotate(open_requests=open_requests_count())
        .order_by("code", "id")
        .values("pk", "code", "name", "open_requests")[:100]
    )
    ids = [w["pk"] for w in windows]
    people = open_people(ids)
    today = timezone.localdate()
    # One reverse() per kind of link, not one per row (each costs a resolver walk).
    window_url = reverse("windows:window_detail", args=[0]).replace("/0/", "/%d/")
    staff_url = reverse("staff:detail", args=[0]).replace("/0/", "/%d/")
    for window in windows:
        here = people[window["pk"]]
        window["url"] = window_url % window["pk"]
        window["chiefs"] = [
            p["staff__name"] for p in here if p["post"] == Post.CHIEF_REPRESENTATIVE
        ]
        window["others"] = [
            {
                "name": p["staff__name"],
                "url": staff_url % p["staff_id"],
                "months_label": _("%(m)s mo.") % {"m": months_between(p["start_date"], today)},
            }
            for p in here
            if p["post"] != Post.CHIEF_REPRESENTATIVE
        ]
        window["open_requests"] = window["open_requests"] or 0
    return windows


def liaison_home(user: Any) -> dict[str, Any]:
    """What a liaison sees first: requests waiting for them and raised (their windows and staff:
    :func:`liaison_windows`)."""
    # The lists show the window only: six joins cost PostgreSQL ~4 ms of planning per query.
    transfers = transfer_list_for_user(user).select_related(None).select_related("window")
    waiting = waiting_for(user)
    raised = Q(raised_by=Side.DEPARTMENT, state__in=OPEN_STATES)
    # Both lists in one query (a draft of theirs is in both), each cut at 50 afterwards.
    rows = list(
        transfers.filter(waiting | raised).annotate(
            is_waiting=ExpressionWrapper(waiting, output_field=BooleanField()),
            is_raised=ExpressionWrapper(raised, output_field=BooleanField()),
        )[:100]
    )
    ids = department_ids(user)
    return {
        "waiting": [t for t in rows if t.is_waiting][:50],
        "raised": [t for t in rows if t.is_raised][:50],
        "department_count": len(ids) if ids is not None else None,
    }


def window_gaps(user: Any, today: date | None = None) -> dict[str, int]:
    """The dashboard's counts of windows the rules want filled: no chief with a valid letter, no
    complete A/B pair, and replacement demands still open (one overdue). Three queries."""
    from .models import ReplacementDemand

    today = today or timezone.localdate()
    demands = scope(
        ReplacementDemand.objects.filter(fulfilled_at__isnull=True), user, department="department"
    ).aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    return {
        "without_chief": windows_without_chief(user, today).count(),
        "without_stand_in": windows_without_pair_count(user, today),
        "replacements_open": demands["open"],
        "replacements_overdue": demands["overdue"],
    }
