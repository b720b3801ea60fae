"""Services: new state, audit entry, refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.workdays import add_working_days, is_working_day, working_days_between
from training import services
from training.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
    OrganizerSide,
    PolicyUpdate,
    Session,
    SkillSource,
    StaffSkill,
)
from training.schedule import is_outside_hours
from training.services import AttendanceRow

from .factories import (
    CourseFactory,
    CourseSkillFactory,
    EnrollmentFactory,
    ServiceItemFactory,
    SessionFactory,
    SkillFactory,
    evening,
)

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj)


def test_working_days_follow_the_chinese_calendar(settings):
    from datetime import date

    assert is_working_day(date(2026, 2, 14))  # adjusted working Saturday
    assert not is_working_day(date(2026, 2, 15))
    assert not is_working_day(date(2026, 10, 1))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert working_days_between(date(2026, 1, 5), date(2026, 1, 12)) == 5
    assert working_days_between(date(2026, 1, 12), date(2026, 1, 5)) == -5
    settings.CENTER = {**settings.CENTER, "WORKDAY_OVERRIDES": {"2026-02-15": True}}
    assert is_working_day(date(2026, 2, 15))


def test_outside_hours_is_derived_from_the_center_hours():
    from datetime import date, datetime

    zone = timezone.get_current_timezone()
    monday = date(2026, 3, 9)
    assert not is_outside_hours(
        datetime.combine(monday, datetime.min.time().replace(hour=10), zone),
        datetime.combine(monday, datetime.min.time().replace(hour=11), zone),
    )
    # The lunch break and the evening are outside; so is a whole Sunday.
    assert is_outside_hours(
        datetime(2026, 3, 9, 12, 0, tzinfo=zone), datetime(2026, 3, 9, 13, 30, tzinfo=zone)
    )
    assert is_outside_hours(
        datetime(2026, 3, 9, 18, 0, tzinfo=zone), datetime(2026, 3, 9, 20, 0, tzinfo=zone)
    )
    assert is_outside_hours(
        datetime(2026, 3, 8, 9, 0, tzinfo=zone), datetime(2026, 3, 8, 17, 0, tzinfo=zone)
    )
    # An adjusted working Saturday is a working day.
    assert not is_outside_hours(
        datetime(2026, 2, 14, 9, 0, tzinfo=zone), datetime(2026, 2, 14, 10, 0, tzinfo=zone)
    )


def test_liaison_creates_a_department_course_only_for_their_department(liaison_a, dept_a, dept_b):
    skill = SkillFactory()
    course = services.course_create(
        actor=liaison_a,
        code="SCJG-01",
        title="食品经营许可新规",
        category="business",
        side=OrganizerSide.DEPARTMENT,
        department=dept_a,
        hours=Decimal("2"),
        skills=[(skill, 4)],
    )
    assert course.skill_links.get().level == 4
    assert entries_for(course).filter(actor=liaison_a).exists()
    with pytest.raises(PermissionDenied):
        services.course_create(
            actor=liaison_a,
            code="GAJ-01",
            title="x",
            category="business",
            side=OrganizerSide.DEPARTMENT,
            department=dept_b,
            hours=Decimal("2"),
        )
    with pytest.raises(PermissionDenied):
        services.course_create(
            actor=liaison_a, code="C-1", title="x", category="etiquette", side="center", hours=1
        )
    assert Course.objects.count() == 1


def test_session_create_derives_outside_hours_and_validates(admin_user):
    course = CourseFactory()
    session = services.session_create(
        actor=admin_user,
        course=course,
        starts_at=evening(3),
        ends_at=evening(3) + timedelta(hours=2),
        capacity=20,
        place="三楼培训室",
    )
    assert session.outside_hours is True
    assert entries_for(session).filter(actor=admin_user).exists()
    with pytest.raises(ValidationError):
        services.session_create(
            actor=admin_user,
            course=course,
            starts_at=evening(3),
            ends_at=evening(3) - timedelta(hours=1),
            capacity=20,
            place="x",
        )
    with pytest.raises(ValidationError):
        services.session_create(
            actor=admin_user,
            course=course,
            starts_at=evening(3),
            ends_at=evening(3) + timedelta(hours=1),
            capacity=20,
        )
    assert Session.objects.count() == 1


def test_enrollment_checks_capacity_scope_and_duplicates(liaison_a, person_a, person_b, staff_user):
    session = SessionFactory(capacity=2)
    services.enrollment_add(actor=liaison_a, session=session, people=[person_a])
    with pytest.raises(PermissionDenied):
        services.enrollment_add(actor=liaison_a, session=session, people=[person_b])
    with pytest.raises(ValidationError, match="已在名单|Already"):
        services.enrollment_add(actor=liaison_a, session=session, people=[person_a])
    me = staff_user.staff_profile
    services.enrollment_add(actor=staff_user, session=session, people=[me])
    with pytest.raises(PermissionDenied):
        services.enrollment_add(actor=staff_user, session=session, people=[person_a])
    other = SessionFactory(capacity=1)
    EnrollmentFactory(session=other)
    with pytest.raises(ValidationError):
        services.enrollment_add(actor=staff_user, session=other, people=[me])
    assert Enrollment.objects.filter(session=session).count() == 2


def test_department_course_enrolls_only_its_own_staff(admin_user, dept_a, person_b):
    course = CourseFactory(side=OrganizerSide.DEPARTMENT, department=dept_a)
    session = SessionFactory(course=course)
    with pytest.raises(ValidationError):
        services.enrollment_add(actor=admin_user, session=session, people=[person_b])
    assert not Enrollment.objects.exists()


def test_bulk_attendance_credits_hours_and_raises_skills(admin_user, person_a, person_b):
    skill = SkillFactory()
    course = CourseFactory(hours=Decimal("3"))
    CourseSkillFactory(course=course, skill=skill, level=4)
    session = SessionFactory(course=course, starts_at=evening(-1))
    a = EnrollmentFactory(session=session, staff=person_a)
    b = EnrollmentFactory(session=session, staff=person_b)
    services.attendance_record(
        actor=admin_user,
        session=session,
        rows=[
            AttendanceRow(a.pk, EnrollmentStatus.COMPLETED, score=Decimal("92")),
            AttendanceRow(b.pk, EnrollmentStatus.ABSENT),
        ],
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.hours_credited, a.score) == ("completed", Decimal("3"), Decimal("92"))
    assert (b.status, b.hours_credited) == ("absent", Decimal("0"))
    level = StaffSkill.objects.get(staff=person_a, skill=skill)
    assert (level.level, level.source) == (4, SkillSource.TRAINING)
    assert entries_for(a).filter(actor=admin_user).exists()


def test_bad_attendance_row_changes_nothing(admin_user, person_a, person_b):
    session = SessionFactory(course=CourseFactory(hours=Decimal("2")), starts_at=evening(-1))
    a = EnrollmentFactory(session=session, staff=person_a)
    b = EnrollmentFactory(session=session, staff=person_b)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user,
            session=session,
            rows=[
                AttendanceRow(a.pk, EnrollmentStatus.ATTENDED),
                AttendanceRow(b.pk, EnrollmentStatus.ATTENDED, hours=Decimal("5")),
            ],
        )
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"enrolled"}


def test_attendance_of_a_future_session_is_refused(admin_user, person_a):
    session = SessionFactory()
    a = EnrollmentFactory(session=session, staff=person_a)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user, session=session, rows=[AttendanceRow(a.pk, "attended")]
        )


def test_liaison_cannot_record_attendance_of_a_center_session(liaison_a, person_a):
    session = SessionFactory(starts_at=evening(-1))
    a = EnrollmentFactory(session=session, staff=person_a)
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=liaison_a, session=session, rows=[AttendanceRow(a.pk, "attended")]
        )


def test_feedback_only_from_attendees(staff_user, person_a):
    me = staff_user.staff_profile
    session = SessionFactory(starts_at=evening(-1))
    absent = EnrollmentFactory(session=session, staff=me, status=EnrollmentStatus.ABSENT)
    with pytest.raises(ValidationError):
        services.feedback_submit(actor=staff_user, enrollment=absent, feedback="好")
    absent.status = EnrollmentStatus.ATTENDED
    absent.save()
    updated = services.feedback_submit(actor=staff_user, enrollment=absent, feedback="好", rating=5)
    assert (updated.feedback, updated.feedback_rating) == ("好", 5)
    other = EnrollmentFactory(session=session, staff=person_a, status="attended")
    with pytest.raises(PermissionDenied):
        services.feedback_submit(actor=staff_user, enrollment=other, feedback="冒名")


def test_skill_level_set_by_a_liaison_of_the_department(liaison_a, liaison_b, person_a):
    skill = SkillFactory()
    row = services.staff_skill_set(
        actor=liaison_a, person=person_a, skill=skill, level=3, assessed_on=timezone.localdate()
    )
    assert row.level == 3
    services.staff_skill_set(
        actor=liaison_a, person=person_a, skill=skill, level=4, assessed_on=timezone.localdate()
    )
    assert StaffSkill.objects.get().level == 4
    with pytest.raises(PermissionDenied):
        services.staff_skill_set(
            actor=liaison_b, person=person_a, skill=skill, level=1, assessed_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        services.staff_skill_set(
            actor=liaison_a,
            person=person_a,
            skill=skill,
            level=2,
            assessed_on=timezone.localdate() + timedelta(days=1),
        )
    assert StaffSkill.objects.get().level == 4


def test_policy_update_default_deadline_and_close(admin_user, liaison_a, dept_a):
    item = ServiceItemFactory(department=dept_a)
    course = CourseFactory()
    today = timezone.localdate()
    update = services.policy_update_create(
        actor=admin_user, title="新规", published_on=today, course=course, service_items=[item]
    )
    assert update.deadline == today + timedelta(days=30)
    assert list(update.service_items.all()) == [item]
    with pytest.raises(PermissionDenied):
        services.policy_update_close(actor=liaison_a, update=update)
    services.policy_update_close(actor=admin_user, update=update)
    assert PolicyUpdate.objects.get().closed
    with pytest.raises(ValidationError):
        services.policy_update_create(
            actor=admin_user, title="x", published_on=today, course=course, service_items=[]
        )
