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
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import derived, spreadsheets
from staff.models import Department, StaffStatus
from windows.models import Stationing

from .models import Talk, Visit
from .permissions import department_talk_scope
from .selectors import department_open_follow_ups

# fn(department_id, first_day, last_day) -> a value to display (number or short text)
ReportFigure = Callable[[int, date, date], Any]
_FIGURES: dict[str, tuple[int, str | Promise, ReportFigure]] = {}
_DEPENDS: dict[str, tuple[str, ...]] = {}


def register_report_figure(
    key: str,
    *,
    order: int,
    label: str | Promise,
    fn: ReportFigure,
    depends_on: Iterable[str] | None = None,
) -> None:
    """E.g. ``register_report_figure("scores", order=10, label=_("Average score"), fn=...)``.
    ``depends_on`` names the models (``"app_label.Model"``) ``fn`` reads: its value is then cached
    (``core.derived``) until one of them is written."""
    _FIGURES[key] = (order, label, fn)
    _DEPENDS.pop(key, None)
    if depends_on is not None:
        _DEPENDS[key] = tuple(depends_on)
        derived.watch(*_DEPENDS[key])


def _figure(key: str, fn: ReportFigure, department_id: int, first: date, last: date) -> Any:
    if key not in _DEPENDS:
        return fn(department_id, first, last)
    parts = (key, department_id, first, last, timezone.localdate(), get_language())
    return derived.cached(
        "joint.report_figure",
        parts,
        lambda: fn(department_id, first, last),
        depends_on=_DEPENDS[key],
    )


# What the user-independent part of the report reads.
BASE_DEPENDS = ("staff.Staff", "windows.Stationing", "windows.Window", "joint.Visit")
# What the counts a user may see read: the rows, and who the user is (role, departments and
# leadership group are the account and its many-to-many tables).
VIEWER_DEPENDS = ("joint.Talk", "joint.FollowUp", "staff.Staff", "staff.User", "auth.Group")


def depends_on() -> frozenset[str] | None:
    """Every model a monthly report reads, for one viewer; ``None`` when a registered figure
    does not say what it reads (then nothing built on the report may be cached)."""
    if any(key not in _DEPENDS for key in _FIGURES):
        return None
    figures = {model for models in _DEPENDS.values() for model in models}
    return frozenset({*BASE_DEPENDS, *VIEWER_DEPENDS, *figures})


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
    base = derived.cached(
        "joint.report_base",
        (department.pk, first, last),
        lambda: _base(department, first, last),
        depends_on=BASE_DEPENDS,
    )
    # What this user may count (confidentiality): cached per user until a talk, follow-up, person
    # or account (role, departments, leadership group) is written. Counting a large department's
    # follow-ups reads every talk of the center (there is no department on a talk).
    talks = derived.cached(
        "joint.report_talks",
        (user.pk, department.pk, first, last),
        lambda: department_talk_scope(
            Talk.objects.filter(date__range=(first, last)), user, department.pk
        ).count(),
        depends_on=VIEWER_DEPENDS,
    )
    follow_ups = derived.cached(
        "joint.report_follow_ups",
        (user.pk, department.pk, today),
        lambda: (
            department_open_follow_ups(user, department.pk)
            .select_related(None)
            .order_by()
            .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        ),
        depends_on=VIEWER_DEPENDS,
    )
    figures = [
        (str(label), _figure(key, fn, department.pk, first, last))
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
