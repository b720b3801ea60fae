"""The departments' monthly report (DESIGN.md §5, issue #7), composed here because it needs every
app: assessment results, training hours and open matters, on top of joint's monthly report.

* The figures are registered with ``joint.report.register_report_figure``, so the report page,
  its xlsx download and the e-mail show the same numbers.
* ``portal.monthly_report`` (schedule ``MONTHLY_REPORT``, beat runs it on the 10th) tells each
  department's liaisons last month's figures, from ``MONTHLY_REPORT_DAY`` to the end of the month
  (a missed 10th is caught up), once per department and month.
* The e-mail carries the report as an xlsx, built by the relay at send time for the recipient
  (talk counts obey confidentiality) with :func:`report_attachment`.

Each figure is one grouped query over a batch of departments, so the sweep costs a constant
number of queries per batch of departments, and the page one query per figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    JSONField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    OPEN_RECTIFICATION,
    Appeal,
    AppealStatus,
    Entry,
    EntryStatus,
    PeriodDepartmentTotal,
    PeriodKind,
    Rectification,
    RuleKind,
)
from core.spreadsheets import XLSX_CONTENT_TYPE
from joint import report as joint_report
from joint.models import Confidentiality, FollowUp, FollowUpState
from notifications.registry import (
    MONTHLY_REPORT,
    Due,
    Month,
    register_attachments,
    register_kind,
    register_sweep,
)
from staff.models import Department, Role
from staff.permissions import department_ids
from staff.reminders import Recipients
from training.models import DONE_STATUSES, Enrollment
from workload.models import KINDS, StaffWorkloadMonth

MONTHLY_REPORT_KIND = register_kind(
    key="report.monthly",
    label=_("Monthly department report"),
    title=_("Monthly report of %(department)s for %(month)s"),
    body=_(
        "Monthly report of %(department)s for %(month)s.\n"
        "Assessment: average monthly score %(score)s over %(scored)s people; %(deductions)s "
        "deductions recorded.\n"
        "Training: %(hours)s hours credited this month, %(year_hours)s so far this year.\n"
        "Open matters: %(rectifications)s rectification cases open (%(overdue)s overdue), "
        "%(appeals)s appeals awaiting decision, %(follow_ups)s follow-ups of talks open.\n"
        "The full report is attached as a spreadsheet and on the department page."
    ),
)


def figure_rows(
    ids: list[int], first: date, last: date, today: date, *, with_workload: bool = False
) -> dict[int, dict]:
    """The month's figures of each department of ``ids`` in ONE query of indexed scalar
    subqueries (a row per department): the month's score total and people scored (the
    department score totals), deductions recorded, training hours this month and this year,
    open and overdue rectification cases, appeals awaiting decision, open follow-ups of standard
    talks (what every liaison of the department may see); ``with_workload``: the department's
    people's workload of the month too (issue #18, from the monthly rows the workload services
    keep, one subquery answering every kind as a JSON object)."""
    zone = timezone.get_current_timezone()

    def at(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone)

    def scalar(queryset: Any, aggregate: Any, output: Any) -> Subquery:
        one = queryset.order_by().annotate(_one=Value(1)).values("_one")
        return Subquery(one.annotate(v=aggregate).values("v")[:1], output_field=output)

    money = DecimalField(max_digits=14, decimal_places=2)
    count = IntegerField()
    credited = Enrollment.objects.filter(
        staff__department_id=OuterRef("pk"),
        status__in=DONE_STATUSES,
        session__starts_at__lt=at(last + timedelta(days=1)),
    )
    totals = PeriodDepartmentTotal.objects.filter(
        department_id=OuterRef("pk"),
        period__kind=PeriodKind.MONTH,
        period__year=first.year,
        period__number=first.month,
    )
    deductions = Entry.objects.filter(
        staff__department_id=OuterRef("pk"),
        kind=RuleKind.DEDUCTION,
        status=EntryStatus.ACTIVE,
        date__range=(first, last),
    )
    cases = Rectification.objects.filter(
        department_id=OuterRef("pk"), status__in=OPEN_RECTIFICATION
    )
    appeals = Appeal.objects.filter(
        staff__department_id=OuterRef("pk"), status=AppealStatus.SUBMITTED
    )
    follow_ups = FollowUp.objects.filter(
        talk__staff__department_id=OuterRef("pk"),
        talk__level=Confidentiality.STANDARD,
        state__in=(FollowUpState.OPEN, FollowUpState.IN_PROGRESS),
    )
    rows = Department.objects.filter(pk__in=ids).annotate(
        score_sum=Subquery(totals.values("total_sum")[:1], output_field=money),
        scored=Subquery(totals.values("people")[:1], output_field=count),
        deductions=scalar(deductions, Count("id"), count),
        month_hours=scalar(
            credited.filter(session__starts_at__gte=at(first)), Sum("hours_credited"), money
        ),
        year_hours=scalar(
            credited.filter(session__starts_at__gte=at(first.replace(month=1, day=1))),
            Sum("hours_credited"),
            money,
        ),
        cases=scalar(cases, Count("id"), count),
        overdue=scalar(cases.filter(deadline__lt=today), Count("id"), count),
        appeals=scalar(appeals, Count("id"), count),
        follow_ups=scalar(follow_ups, Count("id"), count),
    )
    fields = [
        "score_sum",
        "scored",
        "deductions",
        "month_hours",
        "year_hours",
        "cases",
        "overdue",
        "appeals",
        "follow_ups",
    ]
    if with_workload:
        month = StaffWorkloadMonth.objects.filter(
            staff__department_id=OuterRef("pk"), month=first.replace(day=1)
        )
        sums = {k: Sum(k, default=0) for k in (*KINDS, "points")}
        rows = rows.annotate(workload=scalar(month, JSONObject(**sums), JSONField()))
        fields.append("workload")
    return {row["pk"]: row for row in rows.values("pk", *fields)}


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float):
        return f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
    return str(value)


def department_figures(ids: list[int], first: date, last: date, today: date) -> dict[int, dict]:
    """Every figure of the report for each department of ``ids``, as shown (one query:
    :func:`figure_rows`)."""
    rows = figure_rows(ids, first, last, today)
    return {pk: _shown(rows.get(pk, {})) for pk in ids}


def _shown(row: dict) -> dict:
    scored = row.get("scored") or 0
    return {
        "score": _number(row["score_sum"] / scored if scored else None),
        "scored": scored,
        "deductions": row.get("deductions") or 0,
        "hours": _number(row.get("month_hours") or Decimal(0)),
        "year_hours": _number(row.get("year_hours") or Decimal(0)),
        "rectifications": row.get("cases") or 0,
        "overdue": row.get("overdue") or 0,
        "appeals": row.get("appeals") or 0,
        "follow_ups": row.get("follow_ups") or 0,
    }


# --- the figures on joint's report (page, download, e-mail attachment) ----------------------------


def report_figures(department_id: int, first: date, last: date) -> tuple:
    """The figures portal adds to joint's report, for one department and month: six from
    :func:`department_figures` and the month's workload, all in one query (the report page runs
    on every visit, uncached)."""
    today = timezone.localdate()
    row = figure_rows([department_id], first, last, today, with_workload=True).get(department_id)
    shown = _shown(row or {})
    keys = ("score", "deductions", "hours", "year_hours", "rectifications", "appeals")
    workload = (row or {}).get("workload") or {}
    points = Decimal(str(workload.get("points") or 0)).quantize(Decimal("0.01"))
    return (
        *(shown[key] for key in keys),
        *(int(workload.get(kind) or 0) for kind in KINDS),
        str(points),
    )


def register_figures() -> None:
    """Eleven figures on joint's report, in one query (the e-mail's text has a few more)."""
    joint_report.register_report_figures(
        "portal",
        order=10,
        labels=(
            _("Average monthly score"),
            _("Deductions recorded"),
            _("Training hours this month"),
            _("Training hours this year"),
            _("Open rectification cases"),
            _("Appeals awaiting decision"),
            # issue #18: the department's people's workload of the month
            _("Cases handled this month"),
            _("Tickets called this month"),
            _("Enquiries answered this month"),
            _("Assisted filings this month"),
            _("Workload points this month"),
        ),
        fn=report_figures,
    )


# --- the sweep -----------------------------------------------------------------------------------


def report_month(today: date) -> date | None:
    """The first day of the month reported on ``today``: last month, from the report day on."""
    if today.day < settings.NOTIFICATIONS["MONTHLY_REPORT_DAY"]:
        return None
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@register_sweep("portal.monthly_report", schedule=MONTHLY_REPORT)
def monthly_report_sweep(today: date) -> Iterator[Due]:
    first = report_month(today)
    if first is None:
        return
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    month = f"{first:%Y-%m}"
    liaisons = Recipients().liaisons
    names = dict(
        Department.objects.filter(pk__in=list(liaisons)).order_by("pk").values_list("pk", "name")
    )
    base = reverse("joint:report")
    for ids in _chunks(sorted(names), settings.NOTIFICATIONS["BATCH_SIZE"]):
        figures = department_figures(ids, first, last, today)
        for pk in ids:
            yield Due(
                kind=MONTHLY_REPORT_KIND.key,
                subject=(Department, pk),
                period=f"report-{month}",
                recipients=liaisons[pk],
                params={
                    "department": names[pk],
                    "month": Month(first),
                    **figures[pk],
                },
                link=f"{base}?department={pk}&month={month}",
            )


@register_attachments(MONTHLY_REPORT_KIND.key)
def report_attachment(row: Any) -> Iterable[tuple[str, bytes, str]]:
    """The report as the recipient may see it, as xlsx; nothing if they no longer may."""
    user = row.recipient
    allowed = department_ids(user)
    if user.role not in (Role.LIAISON, Role.CENTER_ADMIN) and not user.is_superuser:
        return []
    if allowed is not None and row.subject_id not in allowed:
        return []
    department = Department.objects.get(pk=row.subject_id)
    first = date.fromisoformat(row.period.removeprefix("report-") + "-01")
    report = joint_report.monthly_report(
        user=user, department=department, first=first, today=timezone.localdate()
    )
    filename = f"{department.display_name}-{report.month}-月报.xlsx"
    return [(filename, joint_report.report_xlsx(report), XLSX_CONTENT_TYPE)]
