"""Where a person's training gaps come from: a small registry of independent gap sources.

A gap source is a function ``source(person_ids, today) -> {person_id: [Gap, ...]}``. It must run a
constant number of queries whatever the number of ids (callers pass ids in chunks of at most
``CHUNK`` so ``IN`` lists stay within every database's limits) and may leave out people without a
gap. Sources are registered by key with :func:`register_gap_source`; :func:`gaps_for` merges them.

A gap names a skill (a course covering that skill above the person's ``current`` level closes it)
and/or a set of ``courses`` that close it outright (a policy update's linked course, the onboarding
courses). ``due`` makes it urgent: gaps with a due date come first on the menu, earliest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from windows.models import Stationing

from .models import (
    DONE_STATUSES,
    Course,
    CourseCategory,
    Enrollment,
    OrganizerSide,
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


GapSource = Callable[[list[int], date], dict[int, list[Gap]]]
_SOURCES: dict[str, GapSource] = {}
_DEPENDS: dict[str, tuple[str, ...]] = {}


def register_gap_source(
    key: str, *, depends_on: Iterable[str] | None = None
) -> Callable[[GapSource], GapSource]:
    """Decorator: add (or replace) the source named ``key``. ``depends_on`` names every model
    (``"app_label.Model"``) the source reads, so one person's menu can be cached until one of
    them is written (``core.derived``); a source without it turns that cache off."""

    def decorator(fn: GapSource) -> GapSource:
        _SOURCES[key] = fn
        _DEPENDS.pop(key, None)
        if depends_on is not None:
            _DEPENDS[key] = tuple(depends_on)
        return fn

    return decorator


def gap_source_dependencies() -> tuple[str, ...] | None:
    """Every model the registered sources read, or None if one of them did not say."""
    if any(key not in _DEPENDS for key in _SOURCES):
        return None
    return tuple(sorted({model for deps in _DEPENDS.values() for model in deps}))


def gap_sources() -> dict[str, GapSource]:
    return dict(_SOURCES)


def gaps_for(person_ids: Iterable[int], today: date) -> dict[int, list[Gap]]:
    """Every registered source's gaps for ``person_ids``, merged per person."""
    ids = list(person_ids)
    merged: dict[int, list[Gap]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for source in _SOURCES.values():
            for person_id, gaps in source(chunk, today).items():
                merged[person_id].extend(gaps)
    return dict(merged)


_STATIONED = ("windows.Stationing", "windows.Window")
_DONE = ("training.Course", "training.Session", "training.Enrollment")


def _open_stationings(person_ids: list[int], today: date) -> dict[int, tuple[int, str, date]]:
    """person id → (window id, window label, start date) of the stationing open on ``today``."""
    rows = Stationing.objects.filter(
        staff_id__in=person_ids, start_date__lte=today, end_date__isnull=True
    ).values_list("staff_id", "window_id", "window__code", "window__name", "start_date")
    return {s: (w, f"{code} {name}", start) for s, w, code, name, start in rows}


def _levels(person_ids: list[int]) -> dict[tuple[int, int], int]:
    rows = StaffSkill.objects.filter(staff_id__in=person_ids).values_list(
        "staff_id", "skill_id", "level"
    )
    return {(s, k): level for s, k, level in rows}


@register_gap_source(
    "window_requirements",
    depends_on=(
        *_STATIONED,
        "training.WindowSkillRequirement",
        "training.Skill",
        "training.StaffSkill",
    ),
)
def window_requirement_gaps(person_ids: list[int], today: date) -> dict[int, list[Gap]]:
    """Required level of each skill at the person's current window minus their current level.
    Three queries."""
    stationed = _open_stationings(person_ids, today)
    if not stationed:
        return {}
    requirements: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for window_id, skill_id, name, level in WindowSkillRequirement.objects.filter(
        window_id__in={w for w, _l, _s in stationed.values()}, skill__active=True
    ).values_list("window_id", "skill_id", "skill__name", "level"):
        requirements[window_id].append((skill_id, name, level))
    levels = _levels(list(stationed))
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


@register_gap_source(
    "policy_updates",
    depends_on=(*_STATIONED, "windows.ServiceItem", "training.PolicyUpdate", *_DONE),
)
def policy_update_gaps(person_ids: list[int], today: date) -> dict[int, list[Gap]]:
    """Open policy updates touching a service item of the person's current window, whose linked
    course the person has not done since the update was published. Two queries."""
    rows = (
        Stationing.objects.filter(
            staff_id__in=person_ids,
            start_date__lte=today,
            end_date__isnull=True,
            window__service_items__policy_updates__closed=False,
            window__service_items__policy_updates__published_on__lte=today,
        )
        .values_list(
            "staff_id",
            "window__service_items__policy_updates__id",
            "window__service_items__policy_updates__title",
            "window__service_items__policy_updates__published_on",
            "window__service_items__policy_updates__deadline",
            "window__service_items__policy_updates__course_id",
        )
        .distinct()
    )
    pending = list(rows)
    if not pending:
        return {}
    done = _last_done(
        {p for p, *_rest in pending}, course_ids={row[5] for row in pending}, categories=None
    )
    template = _("Policy update “%(title)s”: training due by %(deadline)s")
    result: dict[int, list[Gap]] = defaultdict(list)
    for person_id, _pid, title, published_on, deadline, course_id in pending:
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


@register_gap_source("onboarding", depends_on=(*_STATIONED, *_DONE))
def onboarding_gaps(person_ids: list[int], today: date) -> dict[int, list[Gap]]:
    """A stationed person who never completed an onboarding course, due within the onboarding
    window (default 30 days) of the stationing's start. Three queries."""
    stationed = _open_stationings(person_ids, today)
    if not stationed:
        return {}
    onboarding = frozenset(
        Course.objects.filter(
            category=CourseCategory.ONBOARDING, side=OrganizerSide.CENTER, active=True
        ).values_list("id", flat=True)
    )
    done = _last_done(set(stationed), course_ids=None, categories={CourseCategory.ONBOARDING})
    done_people = {person_id for person_id, _course in done}
    days = settings.CENTER["TRAINING_ONBOARDING_DAYS"]
    template = _("Onboarding training due within %(days)s days of starting at %(window)s")
    result = {}
    for person_id, (_window, label, start) in stationed.items():
        if person_id in done_people:
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


@register_gap_source("mandatory", depends_on=("staff.Staff", *_DONE))
def mandatory_course_gaps(person_ids: list[int], today: date) -> dict[int, list[Gap]]:
    """Mandatory courses (the center's, and the person's own department's) never done. Three
    queries."""
    from staff.models import Staff

    courses = list(
        Course.objects.filter(mandatory=True, active=True)
        .exclude(category=CourseCategory.ONBOARDING)
        .values_list("id", "title", "department_id")
    )
    if not courses:
        return {}
    departments = dict(Staff.objects.filter(id__in=person_ids).values_list("id", "department_id"))
    done = _last_done(set(person_ids), course_ids={c for c, _t, _d in courses}, categories=None)
    template = _("Mandatory course “%(title)s” not yet taken")
    result: dict[int, list[Gap]] = defaultdict(list)
    for person_id, department_id in departments.items():
        for course_id, title, course_department in courses:
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


def _last_done(
    person_ids: set[int], *, course_ids: set[int] | None, categories: set[str] | None
) -> dict[tuple[int, int], date]:
    """(person, course) → date of the last session the person attended or completed. One query."""
    qs = Enrollment.objects.filter(staff_id__in=person_ids, status__in=DONE_STATUSES)
    if course_ids is not None:
        qs = qs.filter(session__course_id__in=course_ids)
    if categories is not None:
        qs = qs.filter(session__course__category__in=categories)
    rows = qs.values_list("staff_id", "session__course_id").annotate(last=Max("session__starts_at"))
    return {(s, c): timezone.localdate(last) for s, c, last in rows}
