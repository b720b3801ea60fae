"""Every training URL and API route × every persona → expected status."""

import pytest

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case
from training.models import EnrollmentStatus, OrganizerSide

from .factories import CourseFactory, EnrollmentFactory, SessionFactory, evening

A = lambda o: [o["person_a"].pk]  # noqa: E731
SELF = lambda o: [o["self"].pk]  # noqa: E731
CENTER_SESSION = lambda o: [o["center_session"].pk]  # noqa: E731
SESSION_A = lambda o: [o["session_a"].pk]  # noqa: E731
SESSION_B = lambda o: [o["session_b"].pk]  # noqa: E731
PAST_A = lambda o: [o["past_a"].pk]  # noqa: E731
PAST_CENTER = lambda o: [o["past_center"].pk]  # noqa: E731
COURSE_A = lambda o: [o["course_a"].pk]  # noqa: E731
COURSE_B = lambda o: [o["course_b"].pk]  # noqa: E731
MY_ENROLLMENT = lambda o: [o["my_enrollment"].pk]  # noqa: E731
A_ENROLLMENT = lambda o: [o["a_enrollment"].pk]  # noqa: E731
MY_UPCOMING = lambda o: [o["my_upcoming"].pk]  # noqa: E731
ENROLL_A = lambda o: {"staff_numbers": o["person_a"].staff_number}  # noqa: E731
FEEDBACK = lambda o: {"feedback": "很实用", "rating": "5"}  # noqa: E731
NOTHING = lambda o: {}  # noqa: E731
ANON_API = {"anonymous": 403}

MATRIX = [
    Case("training:catalog", expect()),
    Case("training:catalog", expect(), query="category=business&side=center"),
    Case("training:course_create", expect(hr=403, staff=403)),
    Case("training:calendar", expect()),
    Case("training:calendar", expect(), query="view=list"),
    Case("training:session_create", expect(hr=403, staff=403)),
    Case("training:session_detail", expect(), args=CENTER_SESSION),
    Case("training:session_detail", expect(liaison_b=404), args=SESSION_A),
    Case("training:session_detail", expect(liaison_a=404, staff=404), args=SESSION_B),
    Case(
        "training:session_enroll",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=302),
        args=SESSION_A,
        method="post",
        data=ENROLL_A,
    ),
    Case(
        "training:session_attendance",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=PAST_A,
        method="post",
        data=NOTHING,
    ),
    Case(
        "training:session_attendance",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=PAST_CENTER,
        method="post",
        data=NOTHING,
    ),
    Case(
        "training:feedback",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=302),
        args=MY_ENROLLMENT,
        method="post",
        data=FEEDBACK,
    ),
    Case(
        "training:feedback",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=404),
        args=A_ENROLLMENT,
        method="post",
        data=FEEDBACK,
    ),
    Case(
        "training:enrollment_cancel",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=302),
        args=MY_UPCOMING,
        method="post",
        data=NOTHING,
    ),
    Case(
        "training:enrollment_cancel",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=404),
        args=A_ENROLLMENT,
        method="post",
        data=NOTHING,
    ),
    Case("training:my", expect(admin=302, liaison_a=302, liaison_b=302, hr=302, staff=302)),
    Case("training:person", expect(liaison_b=404, staff=404), args=A),
    Case("training:person", expect(liaison_b=404), args=SELF),
    Case("training:person_menu", expect(liaison_b=404, staff=404), args=A),
    Case("training:person_menu", expect(liaison_b=404), args=SELF),
    Case("training:skill_set", expect(liaison_b=404, hr=403, staff=403), args=A),
    Case("training:hours", expect(staff=403)),
    Case("training:hours", expect(staff=403), query="behind=1"),
    Case("training:reports", expect(staff=403)),
    Case("training:policy_list", expect()),
    Case("training:policy_create", expect(liaison_a=403, liaison_b=403, hr=403, staff=403)),
    Case(
        "training:policy_close",
        expect(admin=302, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=lambda o: [o["policy"].pk],
        method="post",
        data=NOTHING,
    ),
    # API
    Case("skill-list", expect(**ANON_API)),
    Case("skill-detail", expect(**ANON_API), args=lambda o: [o["skill"].pk]),
    Case("course-list", expect(**ANON_API)),
    Case(
        "course-list",
        expect(admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403, **ANON_API),
        method="post",
        data=NOTHING,
    ),
    Case("course-detail", expect(liaison_b=404, **ANON_API), args=COURSE_A),
    Case("course-detail", expect(liaison_a=404, staff=404, **ANON_API), args=COURSE_B),
    Case("session-list", expect(**ANON_API)),
    Case(
        "session-list",
        expect(admin=400, liaison_a=400, liaison_b=400, hr=403, staff=403, **ANON_API),
        method="post",
        data=NOTHING,
    ),
    Case("session-detail", expect(liaison_b=404, **ANON_API), args=SESSION_A),
    Case("session-detail", expect(liaison_a=404, staff=404, **ANON_API), args=SESSION_B),
    Case(
        "session-enroll",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=400, **ANON_API),
        args=SESSION_A,
        method="post",
        data=NOTHING,
    ),
    Case(
        "session-attendance",
        expect(admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403, **ANON_API),
        args=PAST_A,
        method="post",
        data=NOTHING,
    ),
    Case("enrollment-list", expect(**ANON_API)),
    Case("enrollment-detail", expect(liaison_b=404, staff=404, **ANON_API), args=A_ENROLLMENT),
    Case("enrollment-detail", expect(liaison_b=404, **ANON_API), args=MY_ENROLLMENT),
    Case(
        "enrollment-feedback",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=200, **ANON_API),
        args=MY_ENROLLMENT,
        method="post",
        data=FEEDBACK,
    ),
    Case("policyupdate-list", expect(**ANON_API)),
    Case(
        "policyupdate-list",
        expect(admin=400, liaison_a=403, liaison_b=403, hr=403, staff=403, **ANON_API),
        method="post",
        data=NOTHING,
    ),
    Case("policyupdate-detail", expect(**ANON_API), args=lambda o: [o["policy"].pk]),
    Case(
        "policyupdate-close",
        expect(admin=200, liaison_a=403, liaison_b=403, hr=403, staff=403, **ANON_API),
        args=lambda o: [o["other_policy"].pk],
        method="post",
        data=NOTHING,
    ),
    Case("training-menu-list", expect(liaison_b=404, staff=404, **ANON_API), args=A),
    Case("training-menu-list", expect(liaison_b=404, **ANON_API), args=SELF),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
assert LOGIN


@pytest.fixture
def objects(person_a, person_b, dept_a, dept_b, staff_user):
    from datetime import timedelta

    from django.utils import timezone

    from training.models import PolicyUpdate

    from .factories import ServiceItemFactory, SkillFactory

    course_a = CourseFactory(side=OrganizerSide.DEPARTMENT, department=dept_a)
    course_b = CourseFactory(side=OrganizerSide.DEPARTMENT, department=dept_b)
    center = CourseFactory()
    past_center = SessionFactory(course=center, starts_at=evening(-3))
    center_session = SessionFactory(course=center)
    me = staff_user.staff_profile
    policy = PolicyUpdate.objects.create(
        title="新规",
        published_on=timezone.localdate(),
        deadline=timezone.localdate() + timedelta(days=30),
        course=center,
    )
    policy.service_items.add(ServiceItemFactory(department=dept_a))
    return {
        "person_a": person_a,
        "person_b": person_b,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "self": me,
        "course_a": course_a,
        "course_b": course_b,
        "center_session": center_session,
        "my_upcoming": EnrollmentFactory(
            session=center_session, staff=me, status=EnrollmentStatus.ENROLLED
        ),
        "session_a": SessionFactory(course=course_a),
        "session_b": SessionFactory(course=course_b),
        "past_a": SessionFactory(course=course_a, starts_at=evening(-2)),
        "past_center": past_center,
        "my_enrollment": EnrollmentFactory(
            session=past_center, staff=me, status=EnrollmentStatus.ATTENDED
        ),
        "a_enrollment": EnrollmentFactory(
            session=past_center, staff=person_a, status=EnrollmentStatus.ATTENDED
        ),
        "skill": SkillFactory(),
        "policy": policy,
        "other_policy": PolicyUpdate.objects.create(
            title="另一新规",
            published_on=timezone.localdate(),
            deadline=timezone.localdate() + timedelta(days=30),
            course=center,
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, objects):
    for persona in PERSONAS:
        run_case(case, persona, personas, objects, client_for(personas[persona]))
