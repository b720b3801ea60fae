"""The monthly report for one department: who is at the windows, who joined or left them, talks,
visits and open follow-ups — viewable and downloadable (xlsx) any time.

Apps above this one add their figures (this month's scores, training hours) with
:func:`register_report_figure`; the report shows each registered figure in order.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import spreadsheets
from staff.models import CenterRole, Department, Staff, StaffStatus
from windows.models import Stationing

from .models import Talk, Visit
from .permissions import department_talk_scope
from .selectors import department_open_follow_ups

# fn(department_id, first_day, last_day) -> a value to display (number or short text)
ReportFigure = Callable[[int, date, date], Any]
# key → (order, labels, fn returning one value per label)
_FIGURES: dict[str, tuple[int, tuple[str | Promise, ...], Callable[[int, date, date], tuple]]] = {}


def register_report_figure(
    key: str,
    *,
    order: int,
    label: str | Promise,
    fn: ReportFigure,
) -> None:
    """E.g. ``register_report_figure("scores", order=10, label=_("Average score"), fn=...)``.
    ``fn`` runs on every report, uncached: it must be cheap (one indexed query over one
    department's rows, or rows a service keeps)."""
    _FIGURES[key] = (order, (label,), lambda *args: (fn(*args),))


def register_report_figures(
    key: str,
    *,
    order: int,
    labels: tuple[str | Promise, ...],
    fn: Callable[[int, date, date], tuple],
) -> None:
    """Several figures one query answers (``fn`` returns a value per label, in order): shown one
    after the other, each under its own label."""
    _FIGURES[key] = (order, tuple(labels), fn)


def parse_month(value: str | None, today: date) -> date:
    """``YYYY-MM`` → its first day; anything else → the current month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@dataclass
class MonthlyReport:
    department: Department
    first: date
    last: date
    people_in_service: int
    stationed: int
    joined: list[Stationing]
    left: list[Stationing]
    talks: int
    visits: list[Visit]
    open_follow_ups: int
    overdue_follow_ups: int
    at_windows: int = 0  # people in service but the center's management (the staff table)
    figures: list[tuple[str, Any]] = field(default_factory=list)
    # person by person: each one at the windows with the month's score, and every entry
    people: list[dict[str, Any]] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)

    @property
    def month(self) -> str:
        return f"{self.first:%Y-%m}"


def _count(queryset: QuerySet) -> Subquery:
    """``SELECT COUNT(*)`` of ``queryset`` as a scalar subquery (no grouping, no outer ref)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def monthly_report(
    *, user: Any, department: Department, first: date, today: date, with_people: bool = True
) -> MonthlyReport:
    """The department's figures for the month starting ``first``, as ``user`` may see them
    (talk counts obey confidentiality). Overdue means due before ``today``. Uncached and a
    constant number of queries: every count in one row of indexed scalar subqueries over this
    department's people, the stationings that moved, the visits, and one query per registered
    figure."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    people = Staff.objects.filter(department=department)
    in_service = people.exclude(status=StaffStatus.LEFT)
    # per person, over the stationings' staff index (an IN over the department's stationings
    # made PostgreSQL scan every stationing of the province)
    stationed = Stationing.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last),
        staff_id=OuterRef("pk"),
        start_date__lte=last,
    )
    follow_ups = department_open_follow_ups(user, department.pk).select_related(None)
    counts = (
        Department.objects.filter(pk=department.pk)
        .annotate(
            people_in_service=_count(in_service),
            at_windows=_count(in_service.exclude(center_role=CenterRole.MANAGEMENT)),
            stationed=_count(people.filter(Exists(stationed))),
            # what this user may count (confidentiality): the department's people's talks
            talks=_count(
                department_talk_scope(
                    Talk.objects.filter(date__range=(first, last)), user, department.pk
                )
            ),
            open_follow_ups=_count(follow_ups),
            overdue_follow_ups=_count(follow_ups.filter(due_date__lt=today)),
        )
        .values(
            "people_in_service",
            "at_windows",
            "stationed",
            "talks",
            "open_follow_ups",
            "overdue_follow_ups",
        )
        .get()
    )
    moved = list(
        Stationing.objects.filter(
            Q(start_date__range=(first, last)) | Q(end_date__range=(first, last)),
            staff__department=department,
        )
        .select_related("staff", "window")
        .order_by("id")
    )
    joined = sorted(
        (s for s in moved if first <= s.start_date <= last), key=lambda s: (s.start_date, s.pk)
    )
    left = sorted(
        (s for s in moved if s.end_date is not None and first <= s.end_date <= last),
        key=lambda s: (s.end_date, s.pk),
    )
    visits = list(
        Visit.objects.filter(department=department, date__range=(first, last)).order_by(
            "date", "id"
        )
    )
    figures = [
        (str(label), value)
        for _key, (_order, labels, fn) in sorted(_FIGURES.items(), key=lambda item: item[1][0])
        for label, value in zip(labels, fn(department.pk, first, last), strict=True)
    ]
    # the person-by-person part (four more queries); the summary cards go without it
    people_rows, entries = _people_of_month(department, first, last) if with_people else ([], [])
    return MonthlyReport(
        people=people_rows,
        entries=entries,
        department=department,
        first=first,
        last=last,
        people_in_service=counts["people_in_service"] or 0,
        at_windows=counts["at_windows"] or 0,
        stationed=counts["stationed"] or 0,
        joined=joined,
        left=left,
        talks=counts["talks"] or 0,
        visits=visits,
        open_follow_ups=counts["open_follow_ups"] or 0,
        overdue_follow_ups=counts["overdue_follow_ups"] or 0,
        figures=figures,
    )


def _people_of_month(
    department: Department, first: date, last: date
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Each person of the department at a window at month end (name, window, the month's score,
    deductions, bonus, ranks, entries), best score first, and the month's deductions and bonuses
    one by one. Four queries whatever the department's size (ranks of an open month are read
    live: :func:`assessments.selectors.with_ranks`)."""
    from assessments.models import Entry, EntryStatus, Period, PeriodKind, Score
    from assessments.selectors import with_ranks

    at_month_end = (
        Stationing.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=last),
            staff__department=department,
            start_date__lte=last,
        )
        .select_related("staff", "window")
        .order_by("staff_id", "-start_date")
    )
    stationed: dict[int, Stationing] = {}
    for stationing in at_month_end:
        stationed.setdefault(stationing.staff_id, stationing)
    period = Period.objects.filter(kind=PeriodKind.MONTH, year=first.year, number=first.month)
    scores = {
        s.staff_id: s
        for s in with_ranks(
            list(
                Score.objects.filter(period__in=period, staff_id__in=stationed).select_related(
                    "period"
                )
            )
        )
    }
    rows = []
    for staff_id, stationing in stationed.items():
        score = scores.get(staff_id)
        rows.append(
            {
                "staff": stationing.staff,
                "window": stationing.window,
                "post": stationing.get_post_display(),
                "score": score,
            }
        )
    rows.sort(
        key=lambda r: (
            r["score"] is None,
            -(r["score"].total if r["score"] else 0),
            r["staff"].name,
        )
    )
    entries = list(
        Entry.objects.filter(
            staff__department=department,
            date__range=(first, last),
            status=EntryStatus.ACTIVE,
        )
        .select_related("staff", "rule")
        .order_by("date", "id")
    )
    return rows, entries


def report_xlsx(report: MonthlyReport) -> bytes:
    summary = [
        (_("Department"), report.department.name),
        (_("Month"), report.month),
        (_("People in service"), report.people_in_service),
        (_("Stationed at windows at month end"), report.stationed),
        (_("Joined windows"), len(report.joined)),
        (_("Left windows"), len(report.left)),
        (_("Talks"), report.talks),
        (_("Visits"), len(report.visits)),
        (_("Open follow-ups"), report.open_follow_ups),
        (_("Overdue follow-ups"), report.overdue_follow_ups),
        *report.figures,
    ]
    moves = [
        (_("Joined"), s.staff.staff_number, s.staff.name, s.window.code, s.start_date)
        for s in report.joined
    ] + [
        (_("Left"), s.staff.staff_number, s.staff.name, s.window.code, s.end_date)
        for s in report.left
    ]
    prefetch_related_objects(report.visits, "windows")
    visits = [
        (v.date, v.visitors, "、".join(w.code for w in v.windows.all()), v.summary)
        for v in report.visits
    ]
    return spreadsheets.xlsx_bytes(
        [
            (_("Summary"), [_("Item"), _("Value")], summary),
            (
                _("Joined and left"),
                [_("Movement"), _("staff number"), _("full name"), _("window"), _("date")],
                moves,
            ),
            (_("Visits"), [_("date"), _("visitors"), _("windows visited"), _("summary")], visits),
            (
                pgettext("monthly report", "People"),
                [
                    _("staff number"),
                    _("full name"),
                    _("window"),
                    _("post"),
                    _("score"),
                    _("deductions"),
                    _("bonus counted"),
                    _("rank in the department"),
                    _("rank in the center"),
                ],
                [
                    (
                        r["staff"].staff_number,
                        r["staff"].name,
                        r["window"].code,
                        r["post"],
                        *(
                            (s.total, s.deductions, s.bonus, s.rank_department, s.rank_center)
                            if (s := r["score"])
                            else ("—",) * 5
                        ),
                    )
                    for r in report.people
                ],
            ),
            (
                _("Deductions and bonuses"),
                [
                    _("date"),
                    _("staff number"),
                    _("full name"),
                    _("rule"),
                    _("deduction or bonus"),
                    _("points"),
                    _("notes"),
                ],
                [
                    (
                        e.date,
                        e.staff.staff_number,
                        e.staff.name,
                        f"{e.rule.code} {e.rule.description}",
                        e.get_kind_display(),
                        e.points,
                        e.notes,
                    )
                    for e in report.entries
                ],
            ),
        ]
    )
