"""Demo training data: a catalog on both sides, a year of sessions, attendance, skill levels and a
few policy updates. Deterministic, in bulk (``--staff 100000`` stays within minutes), one audit
entry per bulk write.

Reads what lower apps created (departments, staff, windows, service items, stationings). When the
windows demo has not run (a training-only branch), :func:`_ensure_windows` builds a minimal set of
windows and open stationings so the menus have something to work on.

Long because: a generator read top to bottom — catalog, sessions, attendance, skills, policy
updates, each step feeding the next; only ``seed_demo`` imports it.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.audit import log_bulk
from staff.models import CenterRole, Department, Staff, StaffStatus
from training.catalog_seed import seed as seed_basics
from training.models import (
    CategorySkill,
    Course,
    CourseCategory,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    OrganizerSide,
    PolicyUpdate,
    Session,
    Skill,
    SkillKind,
    SkillSource,
    StaffSkill,
    WindowSkillRequirement,
)
from training.schedule import is_outside_hours
from windows.models import ServiceItem, Stationing, Window

BATCH = 5000
# (code, title, category, hours, mandatory, [(skill code, level)])
CENTER_COURSES = [
    (
        "C-ONB",
        "新进窗口人员上岗培训",
        CourseCategory.ONBOARDING,
        "16",
        True,
        [("discipline", 3), ("etiquette", 3), ("first_contact", 3), ("one_time_notice", 3)],
    ),
    (
        "C-APS1",
        "网上协同审批系统操作（基础）",
        CourseCategory.APPROVAL_SYSTEM,
        "6",
        False,
        [("approval_system", 3)],
    ),
    (
        "C-APS2",
        "网上协同审批系统操作（进阶）",
        CourseCategory.APPROVAL_SYSTEM,
        "6",
        False,
        [("approval_system", 5)],
    ),
    ("C-PC", "电脑操作与办公软件", CourseCategory.COMPUTER, "6", False, [("computer", 4)]),
    ("C-ETQ", "政务服务文明礼仪", CourseCategory.ETIQUETTE, "4", False, [("etiquette", 4)]),
    (
        "C-FCR",
        "首问负责与一次性告知",
        CourseCategory.ETIQUETTE,
        "4",
        False,
        [("first_contact", 4), ("one_time_notice", 4)],
    ),
    ("C-THY", "政治理论学习", CourseCategory.POLITICAL_THEORY, "12", True, [("theory", 3)]),
]
CENTER_SLOTS = [(1, time(18, 30)), (3, time(18, 30)), (5, time(9, 0))]  # Tue, Thu eve; Sat am


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def build(*, rng: random.Random, today: date) -> None:
    seed_basics(Skill, CategorySkill)
    _ensure_windows(rng, today)
    departments = list(Department.objects.filter(active=True).order_by("id"))
    basics = {s.code: s for s in Skill.objects.filter(code__in=_basic_codes())}

    # Skills: one policy skill per department with windows.
    window_departments = sorted(set(Window.objects.values_list("department_id", flat=True)))
    by_id = {d.pk: d for d in departments}
    policy_skills = Skill.objects.bulk_create(
        [
            Skill(
                code=f"policy-{by_id[d].code}",
                name=f"{by_id[d].display_name}业务政策",
                kind=SkillKind.POLICY,
            )
            for d in window_departments
        ]
    )
    policy_skill = dict(zip(window_departments, policy_skills, strict=True))

    # Window requirements.
    windows = list(Window.objects.values_list("id", "department_id"))
    requirements = []
    for window_id, department_id in windows:
        for code, level in (
            ("approval_system", 3),
            ("computer", 2),
            ("etiquette", 3),
            ("first_contact", 3),
            ("one_time_notice", 3),
        ):
            requirements.append(
                WindowSkillRequirement(window_id=window_id, skill=basics[code], level=level)
            )
        requirements.append(
            WindowSkillRequirement(window_id=window_id, skill=policy_skill[department_id], level=4)
        )
    WindowSkillRequirement.objects.bulk_create(requirements, batch_size=BATCH)

    # Courses on both sides.
    courses = []
    links = []
    for code, title, category, hours, mandatory, skills in CENTER_COURSES:
        course = Course(
            code=code,
            title=title,
            category=category,
            side=OrganizerSide.CENTER,
            hours=Decimal(hours),
            mandatory=mandatory,
            materials="讲义与操作手册（中心培训室领取）",
        )
        courses.append(course)
        links.append((course, [(basics[c], lvl) for c, lvl in skills]))
    for department_id in window_departments:
        department = by_id[department_id]
        for suffix, title, level, hours in (
            ("1", "业务政策与办事指南", 3, "16"),
            ("2", "业务疑难案例研讨", 5, "24"),
        ):
            course = Course(
                code=f"D-{department.code}-{suffix}",
                title=f"{department.display_name}{title}",
                category=CourseCategory.BUSINESS,
                side=OrganizerSide.DEPARTMENT,
                department=department,
                hours=Decimal(hours),
                materials="部门业务科室授课",
            )
            courses.append(course)
            links.append((course, [(policy_skill[department_id], level)]))
    Course.objects.bulk_create(courses)
    CourseSkill.objects.bulk_create(
        [
            CourseSkill(course=course, skill=skill, level=level)
            for course, skills in links
            for skill, level in skills
        ]
    )

    people = list(
        Staff.objects.exclude(status=StaffStatus.LEFT)
        .filter(center_role=CenterRole.WINDOW)
        .values_list("id", "department_id")
    )
    sessions, enrollments, completed = _sessions_and_attendance(rng, today, courses, people)
    updates = _policy_updates(rng, today, window_departments, by_id, policy_skill)
    taught: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for course, skills in links:
        taught[course.pk].extend((skill.pk, level) for skill, level in skills)
    skills = _staff_skills(rng, today, completed, taught)

    for model, count in (
        (Skill, len(policy_skills)),
        (WindowSkillRequirement, len(requirements)),
        (Course, len(courses)),
        (Session, sessions),
        (Enrollment, enrollments),
        (PolicyUpdate, updates),
        (StaffSkill, skills),
    ):
        log_bulk(actor=None, model=model, action="seed_demo", count=count, reason="seed_demo")


def _basic_codes() -> list[str]:
    from training.catalog_seed import BASIC_SKILLS

    return [code for code, _n, _k in BASIC_SKILLS]


def _sessions_and_attendance(
    rng: random.Random, today: date, courses: list[Course], people: list[tuple[int, int]]
) -> tuple[int, int, dict[int, set[int]]]:
    """A year back and three months ahead. Each person attends a handful of past sessions (the
    center's basics and their department's), some are enrolled in upcoming ones. Sessions are
    sized to their roll, so capacity is never exceeded."""
    start = today - timedelta(days=365)
    end = today + timedelta(days=90)
    now = timezone.now()
    center = [c for c in courses if c.side == OrganizerSide.CENTER]
    by_department: dict[int, list[Course]] = defaultdict(list)
    for course in courses:
        if course.department_id:
            by_department[course.department_id].append(course)
    # Slots: center courses rotate over the weekly evening/Saturday slots; each department course
    # meets monthly on a weekday evening. One in twelve center slots falls in working hours, to
    # show that such sessions never reach a menu.
    slots: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    day = start
    index = 0
    while day <= end:
        for weekday, at in CENTER_SLOTS:
            if day.weekday() == weekday:
                course = center[index % len(center)]
                index += 1
                begin = _aware(day, time(10, 0) if index % 12 == 0 else at)
                hours = float(course.hours)
                slots[course.pk].append((begin, begin + timedelta(hours=min(hours, 3.5))))
        # Department d meets on the (3 + d % 12)th and (16 + d % 12)th of each month, evenings.
        for n, department_courses in enumerate(by_department.values()):
            if day.day in (3 + n % 12, 16 + n % 12) and day.weekday() < 5:
                course = department_courses[0 if day.day < 16 else 1]
                begin = _aware(day, time(19, 0))
                slots[course.pk].append((begin, begin + timedelta(hours=2)))
        day += timedelta(days=1)

    past_slots = {cid: [s for s in v if s[0] < now] for cid, v in slots.items()}
    future_slots = {cid: [s for s in v if s[0] >= now] for cid, v in slots.items()}
    # Assign people to slots in memory first.
    roll: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for person_id, department_id in people:
        own = by_department.get(department_id, [])
        choices = center + own
        k = rng.randint(3, len(choices))
        for course in rng.sample(choices, k):
            options = past_slots.get(course.pk) or []
            if options:
                slot = rng.randrange(len(options))
                roll_status = rng.choices(
                    [
                        EnrollmentStatus.ATTENDED,
                        EnrollmentStatus.COMPLETED,
                        EnrollmentStatus.ABSENT,
                    ],
                    [55, 35, 10],
                )[0]
                roll[(course.pk, slot)].append((person_id, roll_status))
        if rng.random() < 0.25 and own + center:
            course = rng.choice(own + center)
            options = future_slots.get(course.pk) or []
            if options:
                slot = len(past_slots.get(course.pk) or []) + rng.randrange(len(options))
                status = (
                    EnrollmentStatus.INVITED if rng.random() < 0.3 else EnrollmentStatus.ENROLLED
                )
                roll[(course.pk, slot)].append((person_id, status))

    course_by_id = {c.pk: c for c in courses}
    outside_cache: dict[tuple[datetime, datetime], bool] = {}
    session_rows = []
    keys = []
    for course_id, course_slots in slots.items():
        for i, (begin, finish) in enumerate(course_slots):
            taken = len(roll.get((course_id, i), ()))
            key = (begin, finish)
            if key not in outside_cache:
                outside_cache[key] = is_outside_hours(begin, finish)
            course = course_by_id[course_id]
            session_rows.append(
                Session(
                    course_id=course_id,
                    starts_at=begin,
                    ends_at=finish,
                    place=""
                    if i % 7 == 3
                    else ("中心三楼培训室" if not course.department_id else "派驻单位会议室"),
                    online=i % 7 == 3,
                    capacity=max(30, math.ceil(taken * 1.2) + 5),
                    trainer=rng.choice(["张老师", "李科长", "王主任", "刘讲师", "陈处长"]),
                    outside_hours=outside_cache[key],
                )
            )
            keys.append((course_id, i))
    Session.objects.bulk_create(session_rows, batch_size=BATCH)
    session_ids = {key: s.pk for key, s in zip(keys, session_rows, strict=True)}

    rows = []
    total = 0
    completed: dict[int, set[int]] = defaultdict(set)
    for key, entries in roll.items():
        session_id = session_ids[key]
        hours = course_by_id[key[0]].hours
        for person_id, status in entries:
            if status == EnrollmentStatus.COMPLETED:
                completed[person_id].add(key[0])
            done = status in (EnrollmentStatus.ATTENDED, EnrollmentStatus.COMPLETED)
            rows.append(
                Enrollment(
                    session_id=session_id,
                    staff_id=person_id,
                    status=status,
                    hours_credited=hours if done else Decimal("0"),
                    score=Decimal(rng.randint(70, 100))
                    if status == EnrollmentStatus.COMPLETED
                    else None,
                    feedback="内容实用，贴近窗口业务" if done and rng.random() < 0.05 else "",
                    feedback_rating=5 if done and rng.random() < 0.05 else None,
                )
            )
            if len(rows) >= BATCH:
                Enrollment.objects.bulk_create(rows)
                total += len(rows)
                rows = []
    Enrollment.objects.bulk_create(rows)
    total += len(rows)
    return len(session_rows), total, completed


def _policy_updates(rng, today, window_departments, by_id, policy_skill) -> int:
    """A few policy updates tagged to service items, each with its own short course and an
    evening session before the deadline; some already overdue."""
    chosen = window_departments[: min(5, len(window_departments))]
    created = 0
    for n, department_id in enumerate(chosen):
        department = by_id[department_id]
        items = list(ServiceItem.objects.filter(department_id=department_id)[:2])
        if not items:
            continue
        published = today - timedelta(days=10 + 20 * n)
        deadline = published + timedelta(days=30)
        course = Course.objects.create(
            code=f"P-{department.code}-{published:%Y%m}",
            title=f"{department.display_name}新规解读（{published:%Y年%m月}）",
            category=CourseCategory.BUSINESS,
            side=OrganizerSide.CENTER,
            hours=Decimal("2"),
            materials="政策原文及解读",
        )
        CourseSkill.objects.create(course=course, skill=policy_skill[department_id], level=4)
        evening = _aware(today + timedelta(days=3 + n), time(18, 30))
        Session.objects.create(
            course=course,
            starts_at=evening,
            ends_at=evening + timedelta(hours=2),
            place="中心三楼培训室",
            capacity=200,
            trainer="政策法规科",
            outside_hours=is_outside_hours(evening, evening + timedelta(hours=2)),
        )
        update = PolicyUpdate.objects.create(
            title=f"{department.display_name}办事规定修订",
            summary="事项办理条件及材料调整，窗口人员须在期限内完成培训。",
            published_on=published,
            deadline=deadline,
            course=course,
        )
        update.service_items.set(items)
        created += 1
    return created


def _staff_skills(
    rng: random.Random,
    today: date,
    completed: dict[int, set[int]],
    taught: dict[int, list[tuple[int, int]]],
) -> int:
    """Assessed levels for each stationed person's window requirements (some gaps, some not),
    raised to what the courses they completed teach (as the attendance service does)."""
    requirements: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for window_id, skill_id, level in WindowSkillRequirement.objects.values_list(
        "window_id", "skill_id", "level"
    ):
        requirements[window_id].append((skill_id, level))
    rows = []
    total = 0
    sources = [SkillSource.ASSESSMENT, SkillSource.EXAM, SkillSource.DEPARTMENT]
    for staff_id, window_id in (
        Stationing.objects.filter(end_date__isnull=True)
        .values_list("staff_id", "window_id")
        .iterator(chunk_size=BATCH)
    ):
        learned: dict[int, int] = {}
        for course_id in completed.get(staff_id, ()):
            for skill_id, level in taught.get(course_id, ()):
                learned[skill_id] = max(level, learned.get(skill_id, 0))
        for skill_id, required in requirements.get(window_id, ()):
            level = learned.get(skill_id)
            if level is not None:
                source, on = SkillSource.TRAINING, today - timedelta(days=rng.randrange(1, 300))
            elif rng.random() < 0.1:
                continue  # never assessed
            else:
                level = max(0, min(5, required + rng.choice((-2, -1, -1, 0, 0, 0, 1))))
                source, on = rng.choice(sources), today - timedelta(days=rng.randrange(1, 365))
            rows.append(
                StaffSkill(
                    staff_id=staff_id, skill_id=skill_id, level=level, assessed_on=on, source=source
                )
            )
        if len(rows) >= BATCH:
            StaffSkill.objects.bulk_create(rows)
            total += len(rows)
            rows = []
    StaffSkill.objects.bulk_create(rows)
    return total + len(rows)


def _ensure_windows(rng: random.Random, today: date) -> None:
    """Only when the windows demo has not run: two service items and windows per department sized
    to its window staff, and an open stationing for each window staff member."""
    if Window.objects.exists():
        return
    people = list(
        Staff.objects.filter(center_role=CenterRole.WINDOW)
        .exclude(status=StaffStatus.LEFT)
        .order_by("id")
        .values_list("id", "department_id")
    )
    by_department: dict[int, list[int]] = defaultdict(list)
    for person_id, department_id in people:
        by_department[department_id].append(person_id)
    codes = dict(Department.objects.values_list("id", "code"))
    items, windows = [], []
    for department_id, members in by_department.items():
        code = codes[department_id]
        for n in (1, 2):
            items.append(
                ServiceItem(
                    code=f"{code}-{n:03d}", name=f"{code}事项{n}", department_id=department_id
                )
            )
        for w in range(max(1, math.ceil(len(members) / 4))):
            windows.append(
                Window(
                    code=f"{code}{w + 1:04d}",
                    name=f"{code}窗口{w + 1}",
                    department_id=department_id,
                )
            )
    ServiceItem.objects.bulk_create(items, batch_size=BATCH)
    Window.objects.bulk_create(windows, batch_size=BATCH)
    item_ids: dict[int, list[int]] = defaultdict(list)
    for item_id, department_id in ServiceItem.objects.values_list("id", "department_id"):
        item_ids[department_id].append(item_id)
    window_ids: dict[int, list[int]] = defaultdict(list)
    for window_id, department_id in Window.objects.values_list("id", "department_id"):
        window_ids[department_id].append(window_id)
    through = Window.service_items.through
    through.objects.bulk_create(
        [
            through(window_id=w, serviceitem_id=i)
            for d, ws in window_ids.items()
            for w in ws
            for i in item_ids[d]
        ],
        batch_size=BATCH,
    )
    stationings = []
    for department_id, members in by_department.items():
        ws = window_ids[department_id]
        for n, person_id in enumerate(members):
            recent = rng.random() < 0.06
            days = rng.randrange(5, 60) if recent else rng.randrange(60, 1500)
            stationings.append(
                Stationing(
                    staff_id=person_id,
                    window_id=ws[n % len(ws)],
                    start_date=today - timedelta(days=days),
                )
            )
    Stationing.objects.bulk_create(stationings, batch_size=BATCH)
    for model, count in (
        (ServiceItem, len(items)),
        (Window, len(windows)),
        (Stationing, len(stationings)),
    ):
        log_bulk(
            actor=None,
            model=model,
            action="seed_demo (training fallback)",
            count=count,
            reason="seed_demo",
        )
