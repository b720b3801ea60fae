"""Where a person's training gaps come from: a small registry of independent gap sources.

A gap source is a function ``source(facts) -> {person_id: [Gap, ...]}`` over one chunk of people
(:class:`GapFacts`: ``facts.ids``, at most ``CHUNK`` so ``IN`` lists stay within every database's
limits, and ``facts.today``). It must run a constant number of queries whatever the number of ids,
and reads what several sources need (the open stationings, skill levels, enrollments, courses)
from ``facts``, which reads each once. It may leave out people without a gap. Sources are
registered by key with :func:`register_gap_source`; :func:`gaps_for` merges them. Nothing is
cached between calls: a write shows on the next menu.

A gap names a skill (a course covering that skill above the person's ``current`` level closes it)
and/or a set of ``courses`` that close it outright (a policy update's linked course, the onboarding
courses). ``due`` makes it urgent: gaps with a due date come first on the menu, earliest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from windows.models import Stationing

from .models import (
    DONE_STATUSES,
    Course,
    CourseCategory,
    Enrollment,
    OrganizerSide,
    PolicyUpdate,
    StaffSkill,
    WindowSkillRequirement,
)

CHUNK = 2000


@dataclass(frozen=True)
class Gap:
    skill: int | None
    weight: float
    reason: str
    kind: str = "skill"
    due: date | None = None
    courses: frozenset[int] = field(default_factory=frozenset)
    current: int = 0
    target: int = 0


GapSource = Callable[["GapFacts"], dict[int, list[Gap]]]
_SOURCES: dict[str, GapSource] = {}


def register_gap_source(key: str) -> Callable[[GapSource], GapSource]:
    """Decorator: add (or replace) the source named ``key``."""

    def decorator(fn: GapSource) -> GapSource:
        _SOURCES[key] = fn
        return fn

    return decorator


def gap_sources() -> dict[str, GapSource]:
    return dict(_SOURCES)


@dataclass(frozen=True)
class CourseFacts:
    id: int
    code: str
    title: str
    category: str
    side: str
    department_id: int | None
    hours: Decimal
    mandatory: bool


COURSE_FIELDS = ("id", "code", "title", "category", "side", "department_id", "hours", "mandatory")


class GapFacts:
    """What several sources read about one chunk of people (``ids``, at most ``CHUNK``), each
    read at most once, when a source first asks for it: one query per attribute."""

    def __init__(
        self,
        ids: Iterable[int],
        today: date,
        *,
        courses: dict[int, CourseFacts] | None = None,
        departments: dict[int, int] | None = None,
    ):
        self.ids = list(ids)
        self.today = today
        # What the caller already read stands in for the query (cached_property reads __dict__).
        if courses is not None:
            self.__dict__["courses"] = courses
        if departments is not None:
            self.__dict__["departments"] = departments

    @classmethod
    def for_person(
        cls, person: Any, today: date, *, enrollments: Iterable[Any], skills: Iterable[Any]
    ) -> GapFacts:
        """The facts of one person from rows a page already read: every one of their
        enrollments (with ``session``) and skill levels (``StaffSkill``)."""
        facts = cls([person.pk], today, departments={person.pk: person.department_id})
        facts.__dict__["levels"] = {(person.pk, s.skill_id): s.level for s in skills}
        facts.__dict__["enrollments"] = [
            (
                person.pk,
                e.session.course_id,
                e.session.course.category,
                e.session_id,
                e.status,
                e.session.starts_at,
            )
            for e in enrollments
        ]
        return facts

    @cached_property
    def departments(self) -> dict[int, int]:
        """person id → department id."""
        from staff.models import Staff

        return dict(Staff.objects.filter(id__in=self.ids).values_list("id", "department_id"))

    @cached_property
    def stationed(self) -> dict[int, tuple[int, str, date]]:
        """person id → (window id, window label, start date) of the stationing open today."""
        rows = Stationing.objects.filter(
            staff_id__in=self.ids, start_date__lte=self.today, end_date__isnull=True
        ).values_list("staff_id", "window_id", "window__code", "window__name", "start_date")
        return {s: (w, f"{code} {name}", start) for s, w, code, name, start in rows}

    @cached_property
    def levels(self) -> dict[tuple[int, int], int]:
        """(person, skill) → current level."""
        rows = StaffSkill.objects.filter(staff_id__in=self.ids).values_list(
            "staff_id", "skill_id", "level"
        )
        return {(s, k): level for s, k, level in rows}

    @cached_property
    def enrollments(self) -> list[tuple[int, int, str, int, str, Any]]:
        """Every enrollment of the people: (person, course, course category, session, status,
        session start)."""
        return list(
            Enrollment.objects.filter(staff_id__in=self.ids).values_list(
                "staff_id",
                "session__course_id",
                "session__course__category",
                "session_id",
                "status",
                "session__starts_at",
            )
        )

    @cached_property
    def last_done(self) -> dict[tuple[int, int], date]:
        """(person, course) → local date of the last session attended or completed."""
        last: dict[tuple[int, int], Any] = {}
        for person_id, course_id, _category, _session, status, starts in self.enrollments:
            if status in DONE_STATUSES:
                key = (person_id, course_id)
                if key not in last or starts > last[key]:
                    last[key] = starts
        return {key: timezone.localdate(starts) for key, starts in last.items()}

    @cached_property
    def done_categories(self) -> set[tuple[int, str]]:
        """(person, course category) of every course attended or completed."""
        return {
            (person_id, category)
            for person_id, _course, category, _session, status, _starts in self.enrollments
            if status in DONE_STATUSES
        }

    @cached_property
    def courses(self) -> dict[int, CourseFacts]:
        """Active courses open to the people (the center's and their departments')."""
        return open_courses(set(self.departments.values()))


def open_courses(department_ids: set[int] | None) -> dict[int, CourseFacts]:
    """Active courses of the center and of ``department_ids`` (every department's: ``None``).
    One query."""
    qs = Course.objects.filter(active=True)
    if department_ids is not None:
        qs = qs.filter(Q(department__isnull=True) | Q(department_id__in=department_ids))
    return {row[0]: CourseFacts(*row) for row in qs.values_list(*COURSE_FIELDS)}


def gaps_for(
    person_ids: Iterable[int], today: date, *, courses: dict[int, CourseFacts] | None = None
) -> dict[int, list[Gap]]:
    """Every registered source's gaps for ``person_ids``, merged per person."""
    return gaps_for_facts(
        [GapFacts(chunk, today, courses=courses) for chunk in chunks(list(person_ids))]
    )


def gaps_for_facts(facts: Iterable[GapFacts]) -> dict[int, list[Gap]]:
    merged: dict[int, list[Gap]] = defaultdict(list)
    for chunk in facts:
        for source in _SOURCES.values():
            for person_id, gaps in source(chunk).items():
                merged[person_id].extend(gaps)
    return dict(merged)


def chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@register_gap_source("window_requirements")
def window_requirement_gaps(facts: GapFacts) -> dict[int, list[Gap]]:
    """Required level of each skill at the person's current window minus their current level.
    Reads ``stationed``, ``levels`` and one query."""
    stationed = facts.stationed
    if not stationed:
        return {}
    requirements: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for window_id, skill_id, name, level in WindowSkillRequirement.objects.filter(
        window_id__in={w for w, _l, _s in stationed.values()}, skill__active=True
    ).values_list("window_id", "skill_id", "skill__name", "level"):
        requirements[window_id].append((skill_id, name, level))
    if not requirements:
        return {}
    levels = facts.levels
    template = _("%(window)s requires %(skill)s at level %(required)s (now %(current)s)")
    result: dict[int, list[Gap]] = {}
    for person_id, (window_id, window_label, _start) in stationed.items():
        gaps = []
        for skill_id, name, required in requirements.get(window_id, ()):
            current = levels.get((person_id, skill_id), 0)
            if required > current:
                reason = template % {
                    "window": window_label,
                    "skill": name,
                    "required": required,
                    "current": current,
                }
                gaps.append(
                    Gap(
                        skill=skill_id,
                        weight=float(required - current),
                        reason=reason,
                        kind="window",
                        current=current,
                        target=required,
                    )
                )
        if gaps:
            result[person_id] = gaps
    return result


@register_gap_source("policy_updates")
def policy_update_gaps(facts: GapFacts) -> dict[int, list[Gap]]:
    """Open policy updates touching a service item of the person's current window, whose linked
    course the person has not done since the update was published. Reads ``stationed``,
    ``last_done`` and one query."""
    stationed = facts.stationed
    if not stationed:
        return {}
    today = facts.today
    by_window: dict[int, list[int]] = defaultdict(list)
    for person_id, (window_id, _label, _start) in stationed.items():
        by_window[window_id].append(person_id)
    pending = list(
        PolicyUpdate.objects.filter(
            closed=False, published_on__lte=today, service_items__windows__in=list(by_window)
        )
        .values_list(
            "service_items__windows", "id", "title", "published_on", "deadline", "course_id"
        )
        .distinct()
    )
    if not pending:
        return {}
    done = facts.last_done
    template = _("Policy update “%(title)s”: training due by %(deadline)s")
    result: dict[int, list[Gap]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for window_id, update_id, title, published_on, deadline, course_id in sorted(pending):
        for person_id in by_window[window_id]:
            if (person_id, update_id) in seen:
                continue
            seen.add((person_id, update_id))
            last = done.get((person_id, course_id))
            if last is not None and last >= published_on:
                continue
            overdue = max((today - deadline).days, 0)
            result[person_id].append(
                Gap(
                    skill=None,
                    weight=10.0 + overdue / 7,
                    reason=template % {"title": title, "deadline": deadline.isoformat()},
                    kind="policy",
                    due=deadline,
                    courses=frozenset({course_id}),
                )
            )
    return dict(result)


@register_gap_source("onboarding")
def onboarding_gaps(facts: GapFacts) -> dict[int, list[Gap]]:
    """A stationed person who never completed an onboarding course, due within the onboarding
    window (default 30 days) of the stationing's start. Reads ``stationed``, ``courses`` and
    ``enrollments``."""
    stationed = facts.stationed
    if not stationed:
        return {}
    onboarding = frozenset(
        c.id
        for c in facts.courses.values()
        if c.category == CourseCategory.ONBOARDING and c.side == OrganizerSide.CENTER
    )
    done = facts.done_categories
    days = settings.CENTER["TRAINING_ONBOARDING_DAYS"]
    template = _("Onboarding training due within %(days)s days of starting at %(window)s")
    result = {}
    for person_id, (_window, label, start) in stationed.items():
        if (person_id, CourseCategory.ONBOARDING) in done:
            continue
        result[person_id] = [
            Gap(
                skill=None,
                weight=8.0,
                reason=template % {"days": days, "window": label},
                kind="onboarding",
                due=start + timedelta(days=days),
                courses=onboarding,
            )
        ]
    return result


@register_gap_source("mandatory")
def mandatory_course_gaps(facts: GapFacts) -> dict[int, list[Gap]]:
    """Mandatory courses (the center's, and the person's own department's) never done. Reads
    ``courses``, ``departments`` and ``enrollments``."""
    courses = sorted(
        (c.title, c.id, c.department_id)
        for c in facts.courses.values()
        if c.mandatory and c.category != CourseCategory.ONBOARDING
    )
    if not courses:
        return {}
    done = facts.last_done
    template = _("Mandatory course “%(title)s” not yet taken")
    result: dict[int, list[Gap]] = defaultdict(list)
    for person_id, department_id in facts.departments.items():
        for title, course_id, course_department in courses:
            if course_department not in (None, department_id):
                continue
            if (person_id, course_id) in done:
                continue
            result[person_id].append(
                Gap(
                    skill=None,
                    weight=3.0,
                    reason=template % {"title": title},
                    kind="mandatory",
                    courses=frozenset({course_id}),
                )
            )
    return dict(result)
