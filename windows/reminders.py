"""Reminders about stationings: the minimum-tenure milestone (30 days before and on the day),
chief representatives reaching five years at a window (DESIGN.md §5), and replacement demands
past their due date (the department's liaisons, then the center)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.workdays import add_working_days
from notifications.registry import Due, register_kind, register_sweep
from staff.models import StaffStatus
from staff.reminders import Recipients

from .models import Post, ReplacementDemand, Stationing

TENURE_APPROACHING = register_kind(
    key="tenure.approaching",
    label=_("Tenure milestone approaching"),
    title=_("%(name)s reaches %(months)s months at window %(window)s on %(date)s"),
    body=_(
        "%(name)s (%(department)s) has served at window %(window)s since %(start)s and reaches "
        "the minimum tenure of %(months)s months on %(date)s. A transfer before that date is an "
        "early transfer and needs a written justification."
    ),
)
TENURE_REACHED = register_kind(
    key="tenure.reached",
    label=_("Tenure milestone reached"),
    title=_("%(name)s has served %(months)s months at window %(window)s"),
    body=_(
        "%(name)s (%(department)s) has served at window %(window)s since %(start)s and reached "
        "the minimum tenure of %(months)s months on %(date)s. Please review the stationing: "
        "continue it, or plan a transfer with the center's consent."
    ),
)
CHIEF_LONG_TENURE = register_kind(
    key="tenure.chief_long",
    label=_("Chief representative long tenure"),
    title=_("Chief representative %(name)s has served %(years)s years at window %(window)s"),
    body=_(
        "%(name)s (%(department)s) has been chief representative at window %(window)s since "
        "%(start)s, %(years)s years on %(date)s. Please review the appointment."
    ),
)

REPLACEMENT_OVERDUE = register_kind(
    key="windows.replacement_overdue",
    label=_("Replacement overdue"),
    title=_("The replacement at window %(window)s was due on %(date)s"),
    body=_(
        "The center demanded that %(department)s station a replacement at window %(window)s by "
        "%(date)s, after %(name)s was returned for poor performance. No one has been stationed "
        "yet. Please propose a replacement now: %(workdays)s working days after the due date the "
        "center is told."
    ),
)
REPLACEMENT_ESCALATED = register_kind(
    key="windows.replacement_escalated",
    label=_("Replacement overdue: escalated to the center"),
    title=_("%(department)s has not replaced %(name)s at window %(window)s"),
    body=_(
        "%(department)s was to station a replacement at window %(window)s by %(date)s, after "
        "%(name)s was returned for poor performance, and has not done so %(workdays)s working "
        "days later. Please take it up with the department."
    ),
)


def _anniversary(start: date, months: int) -> date:
    return start + relativedelta(months=months)  # clamps 31 Aug + 6 months to 28/29 Feb


def tenure_milestone(start: date, today: date) -> tuple[str, date] | None:
    """(kind, milestone date) due for an open stationing on ``today``, or None.

    "Approaching" from ``TENURE_NOTICE_DAYS`` before the milestone to the day before; "reached"
    from the milestone for ``CATCH_UP_DAYS`` days (a missed day is caught up, years-old tenures
    are not announced on a first deployment).
    """
    conf = settings.NOTIFICATIONS
    milestone = _anniversary(start, conf["TENURE_MONTHS"])
    if milestone - timedelta(days=conf["TENURE_NOTICE_DAYS"]) <= today < milestone:
        return TENURE_APPROACHING.key, milestone
    if milestone <= today <= milestone + timedelta(days=conf["CATCH_UP_DAYS"]):
        return TENURE_REACHED.key, milestone
    return None


def chief_milestone(start: date, today: date) -> date | None:
    conf = settings.NOTIFICATIONS
    milestone = _anniversary(start, conf["CHIEF_LONG_TENURE_MONTHS"])
    if milestone <= today <= milestone + timedelta(days=conf["CATCH_UP_DAYS"]):
        return milestone
    return None


def _open_stationings(start_from: date, start_to: date):
    # Month arithmetic does not invert exactly (month ends), so the date range is widened by a
    # few days and the exact rule is applied per row.
    return (
        Stationing.objects.filter(
            end_date__isnull=True,
            start_date__gte=start_from - timedelta(days=4),
            start_date__lte=start_to + timedelta(days=4),
        )
        .exclude(staff__status=StaffStatus.LEFT)
        .select_related("staff__department", "window")
        .only(
            "id",
            "post",
            "start_date",
            "staff__id",
            "staff__name",
            "staff__department__id",
            "staff__department__name",
            "window__id",
            "window__code",
            "window__name",
        )
        .order_by("id")
    )


def _due(stationing: Stationing, kind: str, period: str, params: dict, recipients) -> Due:
    person = stationing.staff
    return Due(
        kind=kind,
        subject=(Stationing, stationing.pk),
        period=period,
        recipients=recipients.for_department(person.department_id),
        params={
            "name": person.name,
            "department": person.department.name,
            "window": str(stationing.window),
            "start": stationing.start_date,
            **params,
        },
        link=reverse("staff:detail", args=[person.pk]),
    )


@register_sweep("windows.tenure")
def tenure_sweep(today: date) -> Iterator[Due]:
    conf = settings.NOTIFICATIONS
    months = conf["TENURE_MONTHS"]
    recipients = Recipients()
    earliest = today - relativedelta(months=months) - timedelta(days=conf["CATCH_UP_DAYS"])
    latest = today - relativedelta(months=months) + timedelta(days=conf["TENURE_NOTICE_DAYS"])
    for stationing in _open_stationings(earliest, latest).iterator(chunk_size=2000):
        milestone = tenure_milestone(stationing.start_date, today)
        if milestone is None:
            continue
        kind, day = milestone
        yield _due(stationing, kind, f"{months}m", {"months": months, "date": day}, recipients)


@register_sweep("windows.chief_long_tenure")
def chief_long_tenure_sweep(today: date) -> Iterator[Due]:
    conf = settings.NOTIFICATIONS
    months = conf["CHIEF_LONG_TENURE_MONTHS"]
    recipients = Recipients()
    latest = today - relativedelta(months=months)
    earliest = latest - timedelta(days=conf["CATCH_UP_DAYS"])
    stationings = _open_stationings(earliest, latest).filter(post=Post.CHIEF_REPRESENTATIVE)
    for stationing in stationings.iterator(chunk_size=2000):
        day = chief_milestone(stationing.start_date, today)
        if day is None:
            continue
        params = {"years": f"{months / 12:g}", "date": day}
        yield _due(stationing, CHIEF_LONG_TENURE.key, f"{months}m", params, recipients)


@register_sweep("windows.replacement_overdue")
def replacement_overdue_sweep(today: date) -> Iterator[Due]:
    """Open replacement demands past their due date: the home department's liaisons once, and
    the center (its administrators) once ``REPLACEMENT_ESCALATION_WORKDAYS`` working days after
    the due date (the center's holiday calendar). Overdue stays overdue until the demand is
    fulfilled, so a missed day is caught up; the period names the due date, so a rerun sends
    nothing twice."""
    workdays = int(settings.CENTER["REPLACEMENT_ESCALATION_WORKDAYS"])
    # Escalated when at least ``workdays`` working days lie in (due date, today]: every due date
    # up to this one (today counts when it is a working day). Two queries, whatever the rows.
    escalate_through = add_working_days(today + timedelta(days=1), -workdays) - timedelta(days=1)
    recipients = Recipients()
    demands = (
        ReplacementDemand.objects.filter(fulfilled_at__isnull=True, due_date__lt=today)
        .select_related("department", "window", "returned_stationing__staff")
        .only(
            "id",
            "due_date",
            "department__id",
            "department__name",
            "window__id",
            "window__code",
            "returned_stationing__id",
            "returned_stationing__staff__id",
            "returned_stationing__staff__name",
        )
        .order_by("due_date", "id")
    )
    link = reverse("windows:replacement_demands")
    for demand in demands.iterator(chunk_size=2000):
        params = {
            "department": demand.department.name,
            "window": demand.window.code,
            "name": demand.returned_stationing.staff.name,
            "date": demand.due_date,
            "workdays": workdays,
        }
        liaisons = recipients.liaisons.get(demand.department_id, [])
        if liaisons:
            yield Due(
                kind=REPLACEMENT_OVERDUE.key,
                subject=(ReplacementDemand, demand.pk),
                period=f"overdue-{demand.due_date.isoformat()}",
                recipients=list(liaisons),
                params=params,
                link=link,
            )
        if demand.due_date <= escalate_through and recipients.admins:
            yield Due(
                kind=REPLACEMENT_ESCALATED.key,
                subject=(ReplacementDemand, demand.pk),
                period=f"escalated-{demand.due_date.isoformat()}",
                recipients=list(recipients.admins),
                params=params,
                link=link,
            )
