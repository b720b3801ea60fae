"""Gap computation and the menu: what a person is offered, and in which order."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.workdays import add_working_days
from training.gaps import Gap, gap_sources, gaps_for, register_gap_source
from training.menu import menu_for, menus_for
from training.models import CourseCategory, EnrollmentStatus, OrganizerSide, PolicyUpdate

from ..factories import DepartmentFactory, StaffFactory
from .factories import (
    CourseFactory,
    CourseSkillFactory,
    EnrollmentFactory,
    RequirementFactory,
    ServiceItemFactory,
    SessionFactory,
    SkillFactory,
    StaffSkillFactory,
    StationingFactory,
    WindowFactory,
    evening,
)

pytestmark = pytest.mark.django_db


def working_morning(days_ahead: int = 3) -> datetime:
    day = add_working_days(timezone.localdate(), days_ahead)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def setup():
    department = DepartmentFactory()
    window = WindowFactory(department=department)
    person = StaffFactory(department=department)
    StationingFactory(staff=person, window=window)
    policy_skill = SkillFactory(name="不动产登记政策")
    etiquette = SkillFactory(name="文明礼仪", kind="etiquette")
    RequirementFactory(window=window, skill=policy_skill, level=4)
    RequirementFactory(window=window, skill=etiquette, level=3)
    StaffSkillFactory(staff=person, skill=policy_skill, level=1)
    StaffSkillFactory(staff=person, skill=etiquette, level=3)  # no gap
    # Someone did onboarding, so onboarding is not the subject of these tests.
    onboarding = CourseFactory(category=CourseCategory.ONBOARDING, title="新进人员上岗培训")
    past = SessionFactory(course=onboarding, starts_at=evening(-300))
    EnrollmentFactory(session=past, staff=person, status=EnrollmentStatus.COMPLETED)
    return {
        "department": department,
        "window": window,
        "person": person,
        "policy_skill": policy_skill,
        "etiquette": etiquette,
    }


def test_window_gap_is_required_minus_current(setup):
    gaps = gaps_for([setup["person"].pk], timezone.localdate())[setup["person"].pk]
    window_gaps = [g for g in gaps if g.kind == "window"]
    assert [(g.skill, g.weight, g.current, g.target) for g in window_gaps] == [
        (setup["policy_skill"].pk, 3.0, 1, 4)
    ]
    assert "不动产登记政策" in window_gaps[0].reason


def test_menu_offers_courses_that_close_the_gap_with_evening_sessions(setup):
    course = CourseFactory(title="不动产登记新政解读")
    CourseSkillFactory(course=course, skill=setup["policy_skill"], level=4)
    weak = CourseFactory(title="入门")
    CourseSkillFactory(course=weak, skill=setup["policy_skill"], level=1)  # not above current
    unrelated = CourseFactory(title="无关课程")
    CourseSkillFactory(course=unrelated, skill=setup["etiquette"], level=5)
    session = SessionFactory(course=course, starts_at=evening(5))
    menu = menu_for(setup["person"].pk)
    assert [item.course.id for item in menu.items] == [course.pk]
    assert [s.id for s in menu.items[0].sessions] == [session.pk]


def test_menu_never_offers_a_completed_course(setup):
    course = CourseFactory()
    CourseSkillFactory(course=course, skill=setup["policy_skill"], level=4)
    earlier = SessionFactory(course=course, starts_at=evening(-30))
    SessionFactory(course=course, starts_at=evening(5))
    EnrollmentFactory(session=earlier, staff=setup["person"], status=EnrollmentStatus.ATTENDED)
    menu = menu_for(setup["person"].pk)
    assert course.pk not in {item.course.id for item in menu.items}
    # The gap stays visible as uncovered: no other course closes it.
    assert [g.skill for g in menu.uncovered] == [setup["policy_skill"].pk]


def test_menu_never_offers_a_session_during_working_hours(setup):
    course = CourseFactory()
    CourseSkillFactory(course=course, skill=setup["policy_skill"], level=4)
    in_hours = SessionFactory(course=course, starts_at=working_morning())
    assert in_hours.outside_hours is False
    evening_session = SessionFactory(course=course, starts_at=evening(9))
    menu = menu_for(setup["person"].pk)
    offered = {s.id for item in menu.items for s in item.sessions}
    assert offered == {evening_session.pk}


def test_full_sessions_and_other_departments_courses_are_not_offered(setup):
    full = CourseFactory(title="A")
    CourseSkillFactory(course=full, skill=setup["policy_skill"], level=4)
    session = SessionFactory(course=full, capacity=1)
    EnrollmentFactory(session=session)
    other = CourseFactory(title="B", side=OrganizerSide.DEPARTMENT, department=DepartmentFactory())
    CourseSkillFactory(course=other, skill=setup["policy_skill"], level=4)
    own = CourseFactory(title="C", side=OrganizerSide.DEPARTMENT, department=setup["department"])
    CourseSkillFactory(course=own, skill=setup["policy_skill"], level=4)
    menu = menu_for(setup["person"].pk)
    assert {item.course.id for item in menu.items} == {full.pk, own.pk}
    assert next(i for i in menu.items if i.course.id == full.pk).sessions == []


def test_policy_update_training_comes_first_when_due(setup):
    heavy = CourseFactory(title="AAA 排在前面的标题")
    CourseSkillFactory(course=heavy, skill=setup["policy_skill"], level=5)
    policy_course = CourseFactory(title="ZZZ 新规培训")
    item = ServiceItemFactory(department=setup["department"])
    setup["window"].service_items.add(item)
    update = PolicyUpdate.objects.create(
        title="登记条例修订",
        published_on=timezone.localdate() - timedelta(days=3),
        deadline=timezone.localdate() + timedelta(days=20),
        course=policy_course,
    )
    update.service_items.add(item)
    menu = menu_for(setup["person"].pk)
    assert [i.course.id for i in menu.items] == [policy_course.pk, heavy.pk]
    assert menu.items[0].due == update.deadline


def test_policy_update_is_satisfied_only_by_the_course_after_publication(setup):
    policy_course = CourseFactory()
    item = ServiceItemFactory(department=setup["department"])
    setup["window"].service_items.add(item)
    before = SessionFactory(course=policy_course, starts_at=evening(-60))
    EnrollmentFactory(session=before, staff=setup["person"], status=EnrollmentStatus.COMPLETED)
    update = PolicyUpdate.objects.create(
        title="新规",
        published_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.localdate() + timedelta(days=20),
        course=policy_course,
    )
    update.service_items.add(item)
    pid = setup["person"].pk
    kinds = [g.kind for g in gaps_for([pid], timezone.localdate())[pid]]
    assert "policy" in kinds
    # Re-required by the update, so offered again despite the earlier completion.
    assert policy_course.pk in {i.course.id for i in menu_for(pid).items}
    after = SessionFactory(course=policy_course, starts_at=evening(-2))
    EnrollmentFactory(session=after, staff=setup["person"], status=EnrollmentStatus.ATTENDED)
    kinds = [g.kind for g in gaps_for([pid], timezone.localdate()).get(pid, [])]
    assert "policy" not in kinds
    assert policy_course.pk not in {i.course.id for i in menu_for(pid).items}


def test_closed_policy_update_asks_nothing(setup):
    item = ServiceItemFactory(department=setup["department"])
    setup["window"].service_items.add(item)
    update = PolicyUpdate.objects.create(
        title="旧规",
        published_on=date(2020, 1, 1),
        deadline=date(2020, 2, 1),
        course=CourseFactory(),
        closed=True,
    )
    update.service_items.add(item)
    pid = setup["person"].pk
    assert "policy" not in [g.kind for g in gaps_for([pid], timezone.localdate()).get(pid, [])]


def test_onboarding_due_thirty_days_after_a_new_stationing():
    person = StaffFactory()
    start = timezone.localdate() - timedelta(days=5)
    StationingFactory(staff=person, start_date=start)
    course = CourseFactory(category=CourseCategory.ONBOARDING)
    gaps = gaps_for([person.pk], timezone.localdate())[person.pk]
    onboarding = [g for g in gaps if g.kind == "onboarding"]
    assert onboarding[0].due == start + timedelta(days=30)
    assert onboarding[0].courses == frozenset({course.pk})


def test_mandatory_course_gap_until_taken(setup):
    course = CourseFactory(mandatory=True, category=CourseCategory.POLITICAL_THEORY)
    pid = setup["person"].pk
    assert any(g.kind == "mandatory" for g in gaps_for([pid], timezone.localdate())[pid])
    EnrollmentFactory(
        session=SessionFactory(course=course, starts_at=evening(-3)),
        staff=setup["person"],
        status=EnrollmentStatus.COMPLETED,
    )
    assert not any(
        g.kind == "mandatory" for g in gaps_for([pid], timezone.localdate()).get(pid, [])
    )


def test_a_registered_source_adds_gaps_independently(setup):
    """The assessments source plugs in the same way (see the module's docstring)."""
    extra_skill = SkillFactory(name="首问负责")
    course = CourseFactory(title="首问负责制")
    CourseSkillFactory(course=course, skill=extra_skill, level=3)

    def fake(facts):
        return {pid: [Gap(skill=extra_skill.pk, weight=2.0, reason="扣分")] for pid in facts.ids}

    saved = gap_sources()
    register_gap_source("test_extra")(fake)
    try:
        menu = menu_for(setup["person"].pk)
    finally:
        from training import gaps as module

        module._SOURCES.clear()
        module._SOURCES.update(saved)
    assert course.pk in {i.course.id for i in menu.items}


def every_source_active(setup):
    """A mandatory course, an open policy update and category-to-skill mappings of both origins,
    so every source runs all its queries."""
    from training.models import CategorySkill, GapOrigin

    CategorySkill.objects.create(
        origin=GapOrigin.DEDUCTION,
        category="discipline",
        skill=setup.get("policy_skill") or SkillFactory(),
    )
    CategorySkill.objects.create(
        origin=GapOrigin.RATING, category="2", skill=setup.get("etiquette") or SkillFactory()
    )
    CourseFactory(mandatory=True, category=CourseCategory.POLITICAL_THEORY)
    item = ServiceItemFactory(department=setup["department"])
    setup["window"].service_items.add(item)
    update = PolicyUpdate.objects.create(
        title="新规",
        published_on=timezone.localdate(),
        deadline=timezone.localdate() + timedelta(days=9),
        course=CourseFactory(),
    )
    update.service_items.add(item)


def test_menu_for_one_person_runs_constant_queries(setup, django_assert_num_queries):
    every_source_active(setup)
    course = CourseFactory()
    CourseSkillFactory(course=course, skill=setup["policy_skill"], level=4)
    SessionFactory(course=course)
    pid = setup["person"].pk
    with django_assert_num_queries(12):  # 9 + 3 (assessments source)
        menu_for(pid)
    for n in range(5):
        more = CourseFactory(title=f"更多{n}")
        CourseSkillFactory(course=more, skill=setup["policy_skill"], level=5)
        SessionFactory(course=more)
        EnrollmentFactory(session=SessionFactory(course=more, starts_at=evening(-n - 1)))
    with django_assert_num_queries(12):  # 9 + 3 (assessments source)
        menu_for(pid)


def test_menus_for_many_people_run_the_same_queries(setup, django_assert_num_queries):
    def make(n):
        ids = []
        for _ in range(n):
            person = StaffFactory(department=setup["department"])
            StationingFactory(staff=person, window=setup["window"])
            ids.append(person.pk)
        return ids

    every_source_active(setup)
    few = make(3)
    with django_assert_num_queries(12):  # 9 + 3 (assessments source)
        menus = menus_for(few)
    assert set(menus) == set(few)
    many = few + make(6)
    with django_assert_num_queries(12):  # 9 + 3 (assessments source)
        menus = menus_for(many)
    assert all(menus[pid].gaps for pid in many)


def test_hours_by_side(setup):
    from training.selectors import hours_for_person

    person = setup["person"]
    center = CourseFactory(hours=Decimal("4"))
    own = CourseFactory(
        side=OrganizerSide.DEPARTMENT, department=setup["department"], hours=Decimal("2.5")
    )
    year = timezone.localdate().year
    EnrollmentFactory(
        session=SessionFactory(course=center, starts_at=evening(-1)),
        staff=person,
        status=EnrollmentStatus.ATTENDED,
        hours_credited=Decimal("4"),
    )
    EnrollmentFactory(
        session=SessionFactory(course=own, starts_at=evening(-2)),
        staff=person,
        status=EnrollmentStatus.COMPLETED,
        hours_credited=Decimal("2.5"),
    )
    EnrollmentFactory(
        session=SessionFactory(course=own, starts_at=evening(-3)),
        staff=person,
        status=EnrollmentStatus.ABSENT,
    )
    hours = hours_for_person(person, year)
    # The setup's onboarding session was ~300 days ago with no credited hours.
    assert hours["center"] == Decimal("4")
    assert hours["department"] == Decimal("2.5")
    assert hours["total"] == Decimal("6.5")
