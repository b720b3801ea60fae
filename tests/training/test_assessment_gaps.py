"""The "assessments" gap source: recent deductions and bad ratings in mapped categories put a
course covering the mapped skill on the person's menu; cancelled deductions, invalidated ratings and
old findings do not; constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import EntryStatus
from training.gaps import GapFacts, gap_sources, gaps_for
from training.menu import menu_for, menus_for
from training.models import CategorySkill, CourseCategory, EnrollmentStatus, GapOrigin

from ..assessments import rows
from ..factories import DepartmentFactory, StaffFactory
from .factories import (
    CourseFactory,
    CourseSkillFactory,
    EnrollmentFactory,
    SessionFactory,
    SkillFactory,
    StationingFactory,
    WindowFactory,
    evening,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    department = DepartmentFactory()
    window = WindowFactory(department=department)
    person = StaffFactory(department=department)
    StationingFactory(staff=person, window=window)
    onboarding = CourseFactory(category=CourseCategory.ONBOARDING, title="新进人员上岗培训")
    EnrollmentFactory(
        session=SessionFactory(course=onboarding, starts_at=evening(-300)),
        staff=person,
        status=EnrollmentStatus.COMPLETED,
    )
    CategorySkill.objects.all().delete()  # the seeded map; these tests use their own
    etiquette = SkillFactory(name="文明礼仪", kind="etiquette")
    discipline = SkillFactory(name="工作纪律", kind="conduct")
    CategorySkill.objects.create(
        origin=GapOrigin.DEDUCTION, category="service_conduct", skill=etiquette
    )
    CategorySkill.objects.create(
        origin=GapOrigin.DEDUCTION, category="discipline", skill=discipline
    )
    CategorySkill.objects.create(origin=GapOrigin.RATING, category="1", skill=etiquette, weight=2)
    course = CourseFactory(title="窗口服务礼仪")
    CourseSkillFactory(course=course, skill=etiquette, level=3)
    SessionFactory(course=course, starts_at=evening(4))
    return {
        "department": department,
        "window": window,
        "person": person,
        "etiquette": etiquette,
        "course": course,
        "today": timezone.localdate(),
    }


def assessment_gaps(world):
    gaps = gaps_for([world["person"].pk], world["today"]).get(world["person"].pk, [])
    return [g for g in gaps if g.kind == "assessment"]


def test_registered():
    assert "assessments" in gap_sources()


def test_recent_deductions_put_a_covering_course_on_the_menu(world):
    today = world["today"]
    for days in (3, 40):
        rows.deduction(
            world["person"],
            world["window"],
            today - timedelta(days=days),
            category="service_conduct",
        )
    menu = menu_for(world["person"].pk)
    item = next(i for i in menu.items if i.course.id == world["course"].pk)
    reasons = [g.reason for g in item.gaps if g.kind == "assessment"]
    assert reasons == ["近期 2 项考核问题（服务规范）指向“文明礼仪”"]
    (gap,) = assessment_gaps(world)
    assert (gap.skill, gap.weight, gap.current) == (world["etiquette"].pk, 2.0, 0)


def test_only_active_recent_own_deductions_count(world):
    today = world["today"]
    person, window = world["person"], world["window"]
    rows.deduction(
        person,
        window,
        today - timedelta(days=2),
        category="service_conduct",
        status=EntryStatus.CANCELLED,
    )  # cancelled by appeal
    rows.deduction(person, window, today - timedelta(days=200), category="service_conduct")
    rows.deduction(person, window, today - timedelta(days=2), category="efficiency")  # unmapped
    assert assessment_gaps(world) == []
    assert world["course"].pk not in [i.course.id for i in menu_for(person.pk).items]


def test_bad_rating_counts_unless_judged_invalid(world):
    today = world["today"]
    person, window = world["person"], world["window"]
    rows.bad_rating(person, window, today - timedelta(days=5), level="1", invalid=True)
    assert assessment_gaps(world) == []
    assert world["course"].pk not in [i.course.id for i in menu_for(person.pk).items]
    rows.bad_rating(person, window, today - timedelta(days=6), level="1")
    (gap,) = assessment_gaps(world)
    assert gap.weight == 2.0 and "非常不满意" in gap.reason and "文明礼仪" in gap.reason
    assert "某市民" not in gap.reason
    assert world["course"].pk in [i.course.id for i in menu_for(person.pk).items]


def test_constant_queries(world, django_assert_num_queries):
    """Three queries for the source whatever the number of people; the menu stays constant."""
    today = world["today"]

    def make(n):
        ids = []
        for _ in range(n):
            person = StaffFactory(department=world["department"])
            StationingFactory(staff=person, window=world["window"])
            rows.deduction(
                person, world["window"], today - timedelta(days=1), category="discipline"
            )
            rows.bad_rating(person, world["window"], today - timedelta(days=1))
            ids.append(person.pk)
        return ids

    source = gap_sources()["assessments"]
    few = make(2)
    with django_assert_num_queries(3):
        assert len(source(GapFacts(few, today))) == 2
    many = few + make(5)
    with django_assert_num_queries(3):
        assert len(source(GapFacts(many, today))) == 7
    from tests.queries import count_queries

    first = count_queries(lambda: menus_for(few))
    assert count_queries(lambda: menus_for(many)) == first
    menus = menus_for(many)
    assert all(any(g.kind == "assessment" for g in menus[pid].gaps) for pid in many)
