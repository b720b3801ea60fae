"""Eligibility flags computed from a person's record (settings.PROMOTIONS; DESIGN.md §2, RULES.md
"Promotion evidence", Ningxia 2014):

* **reserve-cadre candidate** — an excellent annual grade in each of the last
  ``RESERVE_EXCELLENT_YEARS`` graded years, consecutive and ending at the latest graded year. The
  grade of a year is the one the home department decided when it is set, else the one the center
  suggested (``Score.department_grade`` or ``Score.suggested_grade``).
* **barred** — returned to the home department for poor performance (a stationing ended with
  ``EndReason.RETURNED``) less than ``RETURNED_BAR_YEARS`` ago: no recommendation until the bar
  ends. A recommendation is refused on submit with this reason.
* **minimum tenure met** — at least ``MIN_TENURE_MONTHS`` at the windows, all stationings
  together (today counts for an open one).

One query whatever the number of people: the annual grades and the stationings are read as one
``UNION ALL`` (:func:`flags_for_many`), so lists and the staff panel stay constant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import CharField, DateField, IntegerField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Grade, PeriodKind, Score
from windows.models import EndReason, Stationing, months_between


def conf(name: str) -> int:
    return int(settings.PROMOTIONS[name])


@dataclass
class Flags:
    staff_id: int
    excellent_years: list[int] = field(default_factory=list)  # the current run, oldest first
    reserve_candidate: bool = False
    returned_on: date | None = None  # the latest return for poor performance
    barred_until: date | None = None  # set while the bar lasts
    tenure_months: int = 0
    tenure_met: bool = False

    @property
    def barred(self) -> bool:
        return self.barred_until is not None

    def bar_reason(self) -> str:
        """Why no recommendation may be submitted now (translated), or ``""``."""
        if self.barred_until is None:
            return ""
        return _(
            "This person was returned to the home department for poor performance on "
            "%(returned)s: no recommendation may be made until %(until)s."
        ) % {"returned": f"{self.returned_on:%Y-%m-%d}", "until": f"{self.barred_until:%Y-%m-%d}"}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _rows(staff_ids: list[int]):
    grade = Coalesce(NullIf("department_grade", Value("")), "suggested_grade")
    grades = Score.objects.filter(staff_id__in=staff_ids, period__kind=PeriodKind.YEAR).values_list(
        "staff_id",
        Value("g", output_field=CharField()),
        "period__year",
        grade,
        Value(None, output_field=DateField()),
        Value(None, output_field=DateField()),
    )
    stationings = Stationing.objects.filter(staff_id__in=staff_ids).values_list(
        "staff_id",
        Value("s", output_field=CharField()),
        Value(0, output_field=IntegerField()),
        "end_reason",
        "start_date",
        "end_date",
    )
    return grades.order_by().union(stationings.order_by(), all=True)


def flags_for_many(staff_ids: Iterable[int], today: date | None = None) -> dict[int, Flags]:
    """Flags for each id, in one query."""
    today = today or timezone.localdate()
    ids = sorted(set(staff_ids))
    result = {pk: Flags(staff_id=pk) for pk in ids}
    if not ids:
        return result
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    months: dict[int, int] = defaultdict(int)
    bar_years = conf("RETURNED_BAR_YEARS")
    for staff_id, kind, year, value, start, end in _rows(ids):
        flags = result[staff_id]
        if kind == "g":
            grades[staff_id][year] = value or ""
            continue
        months[staff_id] += max(0, months_between(start, min(end or today, today)))
        returned = value == EndReason.RETURNED and end is not None and end <= today
        if returned and (flags.returned_on is None or end > flags.returned_on):
            flags.returned_on = end
    need_years = conf("RESERVE_EXCELLENT_YEARS")
    need_months = conf("MIN_TENURE_MONTHS")
    for pk, flags in result.items():
        by_year = grades.get(pk, {})
        graded = sorted((y for y, g in by_year.items() if g), reverse=True)
        run: list[int] = []
        for year in graded:
            if by_year[year] != Grade.EXCELLENT or (run and year != run[-1] - 1):
                break
            run.append(year)
        flags.excellent_years = sorted(run)
        flags.reserve_candidate = need_years > 0 and len(run) >= need_years
        if flags.returned_on is not None:
            until = _add_years(flags.returned_on, bar_years)
            flags.barred_until = until if until > today else None
        flags.tenure_months = months.get(pk, 0)
        flags.tenure_met = flags.tenure_months >= need_months
    return result


def flags_for(staff_id: int, today: date | None = None) -> Flags:
    """Flags of one person (one query)."""
    return flags_for_many([staff_id], today)[staff_id]
