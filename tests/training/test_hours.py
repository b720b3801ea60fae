"""``TrainingHours`` rows: every write that credits hours keeps them exactly what the rebuild
computes from the enrollments, and the readers show a write at once."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from training import selectors, services
from training.hours import training_hours_rebuild, training_hours_refresh
from training.models import (
    CourseCategory,
    Enrollment,
    EnrollmentStatus,
    OrganizerSide,
    TrainingHours,
)
from training.services import AttendanceRow

from ..factories import StaffFactory
from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

ZONE = timezone.get_current_timezone()


def rows() -> list[tuple]:
    return sorted(
        TrainingHours.objects.values_list(
            "staff_id", "year", "category", "side", "hours", "sessions"
        )
    )


def assert_exact() -> list[tuple]:
    """The rows the services kept equal the rows rebuilt from the enrollments."""
    kept = rows()
    training_hours_rebuild()
    assert rows() == kept
    return kept


def past_session(course, when: datetime | None = None):
    when = when or timezone.now() - timedelta(days=2)
    return SessionFactory(course=course, starts_at=when, ends_at=when + timedelta(hours=2))


def enroll(session, people):
    # Straight rows (the session is in the past, which enrollment_add refuses).
    return [Enrollment.objects.create(session=session, staff=p) for p in people]


@pytest.fixture
def world(dept_a):
    people = StaffFactory.create_batch(3, department=dept_a)
    center = CourseFactory(hours=Decimal("3"), category=CourseCategory.BUSINESS)
    own = CourseFactory(
        hours=Decimal("2.5"),
        side=OrganizerSide.DEPARTMENT,
        department=dept_a,
        category=CourseCategory.ETIQUETTE,
    )
    return {"people": people, "center": center, "own": own, "dept": dept_a}


def test_attendance_credits_rows_by_year_category_and_side(admin_user, world):
    a, b, c = world["people"]
    session = past_session(world["center"])
    ea, eb, ec = enroll(session, [a, b, c])
    services.attendance_record(
        actor=admin_user,
        session=session,
        rows=[
            AttendanceRow(ea.pk, EnrollmentStatus.COMPLETED),
            AttendanceRow(eb.pk, EnrollmentStatus.ATTENDED, hours=Decimal("1.5")),
            AttendanceRow(ec.pk, EnrollmentStatus.ABSENT),
        ],
    )
    year = timezone.localtime(session.starts_at).year
    assert assert_exact() == sorted(
        [
            (a.pk, year, "business", "center", Decimal("3.0"), 1),
            (b.pk, year, "business", "center", Decimal("1.5"), 1),
        ]
    )
    own = past_session(world["own"])
    (second,) = enroll(own, [a])
    services.attendance_record(
        actor=admin_user, session=own, rows=[AttendanceRow(second.pk, EnrollmentStatus.ATTENDED)]
    )
    kept = assert_exact()
    assert (a.pk, year, "etiquette", "department", Decimal("2.5"), 1) in kept
    assert selectors.hours_for_person(a, year) == {
        "center": Decimal("3.0"),
        "department": Decimal("2.5"),
        "total": Decimal("5.5"),
    }


def test_a_correction_and_a_second_recording_keep_the_rows_exact(admin_user, world):
    a, b, _c = world["people"]
    session = past_session(world["center"])
    ea, eb = enroll(session, [a, b])
    record = lambda *r: services.attendance_record(  # noqa: E731
        actor=admin_user, session=session, rows=list(r)
    )
    record(AttendanceRow(ea.pk, "attended"), AttendanceRow(eb.pk, "attended"))
    assert len(assert_exact()) == 2
    record(AttendanceRow(ea.pk, "absent"))  # a correction: no longer credited
    assert [r[0] for r in assert_exact()] == [b.pk]
    record(AttendanceRow(eb.pk, "completed", hours=Decimal("2")))  # fewer hours
    assert assert_exact()[0][4] == Decimal("2.0")


def test_a_refused_recording_leaves_the_rows(admin_user, world):
    a, _b, _c = world["people"]
    session = past_session(world["center"])
    (ea,) = enroll(session, [a])
    services.attendance_record(
        actor=admin_user, session=session, rows=[AttendanceRow(ea.pk, "attended")]
    )
    before = rows()
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user,
            session=session,
            rows=[AttendanceRow(ea.pk, "attended", hours=Decimal("99"))],
        )
    assert rows() == before == assert_exact()


def test_sessions_count_in_the_year_they_start_in_the_center_zone(admin_user, world):
    a, _b, _c = world["people"]
    year = timezone.localdate().year - 1
    eve = past_session(world["center"], datetime(year, 1, 1, 0, 30, tzinfo=ZONE))
    (e,) = enroll(eve, [a])
    services.attendance_record(
        actor=admin_user, session=eve, rows=[AttendanceRow(e.pk, "attended")]
    )
    assert [r[1] for r in assert_exact()] == [year]  # 16:30 UTC the day before


def test_refresh_is_a_partial_rebuild(admin_user, world):
    a, b, _c = world["people"]
    session = past_session(world["center"])
    ea, eb = enroll(session, [a, b])
    Enrollment.objects.filter(pk__in=[ea.pk, eb.pk]).update(
        status=EnrollmentStatus.ATTENDED, hours_credited=Decimal("3")
    )  # behind the service's back: no rows yet
    assert rows() == []
    year = timezone.localtime(session.starts_at).year
    training_hours_refresh(staff_ids=[a.pk], years=[year])
    assert [r[0] for r in rows()] == [a.pk]
    training_hours_refresh(staff_ids=[a.pk, b.pk], years=[year])
    assert_exact()


def test_readers_show_a_recording_at_once(admin_user, liaison_a, world):
    """The hours page, the reports and the dashboard figures read the rows: the next request
    after the service shows the hours."""
    a, _b, _c = world["people"]
    session = past_session(world["center"], timezone.now() - timedelta(hours=3))
    (ea,) = enroll(session, [a])
    year = timezone.localtime(session.starts_at).year
    client = client_for(liaison_a)

    def hours_page():
        page = client.get(reverse("training:hours")).context["page"]
        return {p.pk: p.hours_total for p in page.object_list}

    def by_department():
        return client.get(reverse("training:reports")).context["by_department"]

    assert hours_page()[a.pk] == 0 and by_department() == []
    services.attendance_record(
        actor=admin_user, session=session, rows=[AttendanceRow(ea.pk, "completed")]
    )
    if year != timezone.localdate().year:  # the first hours of 1 January
        return
    assert hours_page()[a.pk] == Decimal("3.0")
    (row,) = by_department()
    assert (row["center"], row["department"], row["people"]) == (Decimal("3.0"), 0, 1)
    figures = selectors.dashboard_figures(liaison_a, timezone.localdate())
    assert figures["hours"] == Decimal("3.0")
    categories = {r["key"]: r["value"] for r in selectors.hours_by_category(liaison_a, year)}
    assert categories["business"] == 3.0


def test_hours_subquery_and_people_with_hours_agree_with_the_person(admin_user, world):
    from staff.models import Staff

    a, b, _c = world["people"]
    for course in (world["center"], world["own"]):
        session = past_session(course)
        ea, eb = enroll(session, [a, b])
        services.attendance_record(
            actor=admin_user,
            session=session,
            rows=[AttendanceRow(ea.pk, "attended"), AttendanceRow(eb.pk, "absent")],
        )
    year = timezone.localtime(session.starts_at).year
    annotated = Staff.objects.annotate(h=selectors.hours_credited_subquery(year))
    assert annotated.get(pk=a.pk).h == Decimal("5.5")
    assert annotated.get(pk=b.pk).h is None
    people = {p.pk: p for p in selectors.people_with_hours(admin_user, year)}
    assert (people[a.pk].hours_center, people[a.pk].hours_department) == (
        Decimal("3.0"),
        Decimal("2.5"),
    )
    assert people[b.pk].hours_total == 0


def test_rebuild_from_scratch_and_the_backfill_agree(admin_user, world):
    """The data migration's backfill is the rebuild on the historical models."""
    from django.apps import apps as current

    from training.hours import insert_rows

    a, b, _c = world["people"]
    session = past_session(world["center"])
    ea, eb = enroll(session, [a, b])
    services.attendance_record(
        actor=admin_user,
        session=session,
        rows=[AttendanceRow(ea.pk, "attended"), AttendanceRow(eb.pk, "completed")],
    )
    kept = rows()
    TrainingHours.objects.all().delete()
    insert_rows(current.get_model("training", "Enrollment").objects.all())
    assert rows() == kept
    assert training_hours_rebuild() == 2
