"""Training factories. Sessions get their outside-hours flag derived like the service does."""

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from training.hours import training_hours_refresh
from training.models import (
    Course,
    CourseCategory,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    OrganizerSide,
    Session,
    Skill,
    SkillKind,
    StaffSkill,
    WindowSkillRequirement,
)
from training.schedule import is_outside_hours
from windows.models import ServiceItem, Stationing, Window

from ..factories import DepartmentFactory, StaffFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"SI{n:04d}")
    name = factory.Sequence(lambda n: f"事项{n}")
    department = factory.SubFactory(DepartmentFactory)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"窗口{n}")
    department = factory.SubFactory(DepartmentFactory)


class StationingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stationing

    staff = factory.SubFactory(StaffFactory)
    window = factory.SubFactory(WindowFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    code = factory.Sequence(lambda n: f"SK{n:03d}")
    name = factory.Sequence(lambda n: f"技能{n}")
    kind = SkillKind.POLICY


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WindowSkillRequirement

    window = factory.SubFactory(WindowFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class StaffSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffSkill

    staff = factory.SubFactory(StaffFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 1
    assessed_on = factory.LazyFunction(timezone.localdate)
    source = "assessment"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:04d}")
    title = factory.Sequence(lambda n: f"课程{n:04d}")
    category = CourseCategory.BUSINESS
    side = OrganizerSide.CENTER
    hours = Decimal("3")


class CourseSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSkill

    course = factory.SubFactory(CourseFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 4


def evening(days_ahead: int, hour: int = 19) -> datetime:
    """A weekday-agnostic time outside working hours: 19:00 local."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: evening(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "中心三楼培训室"
    capacity = 30
    outside_hours = factory.LazyAttribute(lambda o: is_outside_hours(o.starts_at, o.ends_at))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    session = factory.SubFactory(SessionFactory)
    staff = factory.SubFactory(StaffFactory)
    status = EnrollmentStatus.ENROLLED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """An enrollment made directly (not through ``attendance_record``) keeps the person's
        ``TrainingHours`` rows as the service would, so every reader sees its hours."""
        enrollment = super()._create(model_class, *args, **kwargs)
        training_hours_refresh(
            staff_ids=[enrollment.staff_id],
            years=[timezone.localtime(enrollment.session.starts_at).year],
        )
        return enrollment
