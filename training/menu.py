"""The training menu (菜单式培训): for each person, the courses and upcoming sessions that close
their gaps, most urgent first, never a course they already did and never a session during their
working hours.

:func:`menus_for` computes menus for any number of people in bulk: the catalog (courses, skills,
upcoming sessions) is read once, the people in chunks, so one person costs a constant number of
queries and many people cost a constant number per chunk. Nothing is cached: every menu is
computed from the rows, so a write (an enrollment, a skill level, a stationing) shows at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .gaps import (
    CHUNK,
    COURSE_FIELDS,
    CourseFacts,
    Gap,
    GapFacts,
    chunks,
    gaps_for_facts,
    open_courses,
)
from .models import DONE_STATUSES, CourseSkill, EnrollmentStatus, Session
from .selectors import seats_taken

SESSIONS_PER_ITEM = 3


@dataclass
class SessionOption:
    id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    online: bool
    seats_left: int


@dataclass
class CourseInfo:
    id: int
    code: str
    title: str
    category: str
    side: str
    department_id: int | None
    hours: Decimal
    mandatory: bool
    skills: dict[int, int] = field(default_factory=dict)  # skill id → level reached
    sessions: list[SessionOption] = field(default_factory=list)


@dataclass
class MenuItem:
    course: CourseInfo
    gaps: list[Gap]
    due: date | None
    weight: float
    sessions: list[SessionOption]
    enrolled_session_id: int | None = None


@dataclass
class Menu:
    person_id: int
    gaps: list[Gap]
    items: list[MenuItem]
    uncovered: list[Gap]


class Catalog:
    """Active courses open to some people (``GapFacts.courses``) with their skills and upcoming
    bookable sessions: two queries besides the courses."""

    def __init__(self, courses: dict[int, CourseFacts], now: datetime):
        horizon = now + timedelta(days=settings.CENTER["TRAINING_MENU_HORIZON_DAYS"])
        self.courses: dict[int, CourseInfo] = {
            pk: CourseInfo(**{name: getattr(row, name) for name in COURSE_FIELDS})
            for pk, row in courses.items()
        }
        self.by_skill: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if not self.courses:
            return
        ids = list(self.courses)
        for course_id, skill_id, level in CourseSkill.objects.filter(
            course_id__in=ids, skill__active=True
        ).values_list("course_id", "skill_id", "level"):
            self.courses[course_id].skills[skill_id] = level
            self.by_skill[skill_id].append((course_id, level))
        sessions = (
            Session.objects.filter(
                course_id__in=ids,
                cancelled=False,
                outside_hours=True,
                starts_at__gte=now,
                starts_at__lte=horizon,
            )
            .annotate(taken=seats_taken())
            .order_by("starts_at", "id")
            .values_list(
                "id", "course_id", "starts_at", "ends_at", "place", "online", "capacity", "taken"
            )
        )
        for sid, course_id, starts, ends, place, online, capacity, taken in sessions:
            self.courses[course_id].sessions.append(
                SessionOption(sid, starts, ends, place, online, capacity - taken)
            )


def menus_for(
    person_ids: Iterable[int], *, today: date | None = None, now: datetime | None = None
) -> dict[int, Menu]:
    """Menus for ``person_ids`` (every id gets one, possibly empty), computed afresh: a constant
    number of queries per chunk of ``CHUNK`` people (the catalog is read once when the people fit
    in one chunk, else once for the whole center)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    ids = list(person_ids)
    # One chunk: the courses open to its people; more: every active course, read once.
    courses = open_courses(None) if len(ids) > CHUNK else None
    facts = [GapFacts(chunk, today, courses=courses) for chunk in chunks(ids)]
    if not facts:
        return {}
    catalog = Catalog(facts[0].courses, now)
    gaps = gaps_for_facts(facts)
    menus: dict[int, Menu] = {}
    for chunk in facts:
        menus.update(_menus_for_chunk(chunk, gaps, catalog, now))
    return menus


def menu_for(person_id: int, *, today: date | None = None, now: datetime | None = None) -> Menu:
    """One person's menu, computed afresh (a constant number of queries)."""
    return menus_for([person_id], today=today, now=now)[person_id]


def menu_for_person(person: Any, *, today: date | None = None) -> Menu:
    """One person's menu when the ``Staff`` row is at hand (its department is not read again)."""
    facts = GapFacts(
        [person.pk], today or timezone.localdate(), departments={person.pk: person.department_id}
    )
    return menu_from_facts(facts)


def menu_from_facts(facts: GapFacts, *, now: datetime | None = None) -> Menu:
    """The menu of the one person of ``facts`` (see ``GapFacts.for_person``): what the facts
    already hold is not read again."""
    now = now or timezone.now()
    (person_id,) = facts.ids
    catalog = Catalog(facts.courses, now)
    return _menus_for_chunk(facts, gaps_for_facts([facts]), catalog, now)[person_id]


def _menus_for_chunk(
    facts: GapFacts, gaps: dict[int, list[Gap]], catalog: Catalog, now: datetime
) -> dict[int, Menu]:
    departments = facts.departments
    done: dict[int, set[int]] = defaultdict(set)
    booked: dict[int, dict[int, int]] = defaultdict(dict)  # person → course → session
    for person_id, course_id, _category, session_id, status, starts in facts.enrollments:
        if status in DONE_STATUSES:
            done[person_id].add(course_id)
        elif status in (EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED) and starts >= now:
            booked[person_id][course_id] = session_id
    return {
        person_id: _menu(
            person_id,
            gaps.get(person_id, []),
            departments.get(person_id),
            done.get(person_id, set()),
            booked.get(person_id, {}),
            catalog,
        )
        for person_id in facts.ids
    }


def _menu(
    person_id: int,
    gaps: list[Gap],
    department_id: int | None,
    done: set[int],
    booked: dict[int, int],
    catalog: Catalog,
) -> Menu:
    courses = catalog.courses
    closing: dict[int, list[Gap]] = defaultdict(list)
    uncovered = []
    for gap in gaps:
        matched = False
        candidates = set(gap.courses)
        if gap.skill is not None:
            candidates.update(
                course_id
                for course_id, level in catalog.by_skill.get(gap.skill, ())
                if level > gap.current
            )
        for course_id in candidates:
            course = courses.get(course_id)
            if course is None or course.department_id not in (None, department_id):
                continue
            # Never repeat a course, unless a gap names it again (a policy update published
            # after the person took it: its source already checked the date).
            if course_id in done and course_id not in gap.courses:
                continue
            closing[course_id].append(gap)
            matched = True
        if not matched:
            uncovered.append(gap)
    items = []
    for course_id, course_gaps in closing.items():
        course = courses[course_id]
        dues = [g.due for g in course_gaps if g.due is not None]
        enrolled = booked.get(course_id)
        sessions = [s for s in course.sessions if s.seats_left > 0 or s.id == enrolled][
            :SESSIONS_PER_ITEM
        ]
        items.append(
            MenuItem(
                course=course,
                gaps=course_gaps,
                due=min(dues) if dues else None,
                weight=sum(g.weight for g in course_gaps),
                sessions=sessions,
                enrolled_session_id=enrolled,
            )
        )
    items.sort(key=_urgency)
    return Menu(person_id=person_id, gaps=gaps, items=items, uncovered=uncovered)


def _urgency(item: MenuItem) -> tuple:
    """Due items first (earliest deadline first), then the heaviest gaps, mandatory first."""
    return (
        item.due is None,
        item.due or date.max,
        -item.weight,
        not item.course.mandatory,
        item.course.title,
        item.course.id,
    )
