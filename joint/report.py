"""The monthly report for one department: who is at the windows, who joined or left them, talks,
visits and open follow-ups — viewable and downloadable (xlsx) any time.

Apps above this one add their figures (this month's scores, training hours) with
:func:`register_report_figure`; the report shows each registered figure in order.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core import spreadsheets
from staff.models import Department, StaffStatus
from windows.models import Stationing

from .models import Talk, Visit
from .permissions import department_talk_scope
from .selectors import department_open_follow_ups

# fn(department_id, first_day, last_day) -> a value to display (number or short text)
ReportFigure = Callable[[int, date, date], Any]
_FIGURES: dict[str, tuple[int, str | Promise, ReportFigure]] = {}


def register_report_figure(
    key: str,
    *,
    order: int,
    label: str | Promise,
    fn: ReportFigure,
    depends_on: Iterable[str] | None = None,
) -> None:
    """E.g. ``register_report_figure("scores", order=10, label=_("Average score"), fn=...)``.
    ``fn`` runs on every report, uncached: it must be cheap (one indexed query over one
    department's rows, or rows a service keeps). ``depends_on`` is accepted and ignored (it
    named what a cache read; nothing is cached any more)."""
    del depends_on
    _FIGURES[key] = (order, label, fn)


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
    figures: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def month(self) -> str:
        return f"{self.first:%Y-%m}"


def monthly_report(*, user: Any, department: Department, first: date, today: date) -> MonthlyReport:
    """The department's figures for the month starting ``first``, as ``user`` may see them
    (talk counts obey confidentiality). Overdue means due before ``today``. Constant queries."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    base = _base(department, first, last)
    # What this user may count (confidentiality): the department's people's talks and open
    # follow-ups, over talk_staff_date_idx and the talks' follow-ups.
    talks = department_talk_scope(
        Talk.objects.filter(date__range=(first, last)), user, department.pk
    ).count()
    follow_ups = (
        department_open_follow_ups(user, department.pk)
        .select_related(None)
        .order_by()
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    )
    figures = [
        (str(label), fn(department.pk, first, last))
        for key, (_order, label, fn) in sorted(_FIGURES.items(), key=lambda item: item[1][0])
    ]
    return MonthlyReport(
        department=department,
        first=first,
        last=last,
        talks=talks,
        open_follow_ups=follow_ups["open"],
        overdue_follow_ups=follow_ups["overdue"],
        figures=figures,
        **base,
    )


def _base(department: Department, first: date, last: date) -> dict[str, Any]:
    """The part of the report every reader sees alike: people, stationings, visits."""
    stationings = Stationing.objects.filter(staff__department=department).select_related(
        "staff", "window"
    )
    joined = list(stationings.filter(start_date__range=(first, last)).order_by("start_date", "id"))
    left = list(stationings.filter(end_date__range=(first, last)).order_by("end_date", "id"))
    stationed = (
        stationings.filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=last))
        .values("staff_id")
        .distinct()
        .count()
    )
    visits = list(
        Visit.objects.filter(department=department, date__range=(first, last))
        .prefetch_related("windows")
        .order_by("date", "id")
    )
    return {
        "people_in_service": department.staff.exclude(status=StaffStatus.LEFT).count(),
        "stationed": stationed,
        "joined": joined,
        "left": left,
        "visits": visits,
    }


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
        ]
    )
