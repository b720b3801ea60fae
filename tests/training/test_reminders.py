"""Training reminder sweeps: who hears about what, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import registry, services
from notifications.models import Notification
from training.models import CourseCategory, EnrollmentStatus, PolicyUpdate

from ..factories import StaffFactory
from .factories import (
    CourseFactory,
    EnrollmentFactory,
    ServiceItemFactory,
    SessionFactory,
    StationingFactory,
    WindowFactory,
    evening,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda: None)


def run(name):
    return services.sweep_run(sweep=registry.get_sweep(name), today=timezone.localdate())


def sent():
    return set(Notification.objects.values_list("recipient__username", "kind"))


def test_upcoming_session_reminds_the_enrolled_once(staff_user):
    me = staff_user.staff_profile
    soon = SessionFactory(starts_at=evening(1))
    later = SessionFactory(starts_at=evening(10))
    EnrollmentFactory(session=soon, staff=me)
    EnrollmentFactory(session=later, staff=me)
    EnrollmentFactory(session=SessionFactory(starts_at=evening(1), cancelled=True), staff=me)
    run("training.sessions")
    assert sent() == {("window", "training.session_upcoming")}
    assert Notification.objects.count() == 1
    run("training.sessions")
    assert Notification.objects.count() == 1


def test_policy_training_due_then_overdue(staff_user, liaison_a, liaison_b, admin_user, dept_a):
    today = timezone.localdate()
    me = staff_user.staff_profile
    window = WindowFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window.service_items.add(item)
    StationingFactory(staff=me, window=window)
    course = CourseFactory()
    update = PolicyUpdate.objects.create(
        title="新规", published_on=today - timedelta(days=20), deadline=today + timedelta(days=3),
        course=course,
    )  # fmt: skip
    update.service_items.add(item)
    run("training.policy_updates")
    assert sent() == {("window", "training.policy_due")}
    PolicyUpdate.objects.filter(pk=update.pk).update(deadline=today - timedelta(days=2))
    run("training.policy_updates")
    assert sent() == {
        ("window", "training.policy_due"),
        ("window", "training.policy_overdue"),
        ("liaison_a", "training.policy_overdue"),
        ("admin", "training.policy_overdue"),
    }


def test_policy_training_done_stops_reminders(staff_user, admin_user, dept_a):
    today = timezone.localdate()
    me = staff_user.staff_profile
    window = WindowFactory(department=dept_a)
    item = ServiceItemFactory(department=dept_a)
    window.service_items.add(item)
    StationingFactory(staff=me, window=window)
    course = CourseFactory()
    update = PolicyUpdate.objects.create(
        title="新规", published_on=today - timedelta(days=20), deadline=today - timedelta(days=1),
        course=course,
    )  # fmt: skip
    update.service_items.add(item)
    EnrollmentFactory(
        session=SessionFactory(course=course, starts_at=evening(-5)),
        staff=me,
        status=EnrollmentStatus.ATTENDED,
    )
    run("training.policy_updates")
    assert not Notification.objects.exists()


def test_onboarding_overdue_within_the_catch_up_window(admin_user, liaison_a, dept_a):
    today = timezone.localdate()
    late = StaffFactory(department=dept_a)
    StationingFactory(staff=late, start_date=today - timedelta(days=32))
    long_ago = StaffFactory(department=dept_a)
    StationingFactory(staff=long_ago, start_date=today - timedelta(days=400))
    trained = StaffFactory(department=dept_a)
    StationingFactory(staff=trained, start_date=today - timedelta(days=33))
    EnrollmentFactory(
        session=SessionFactory(
            course=CourseFactory(category=CourseCategory.ONBOARDING), starts_at=evening(-20)
        ),
        staff=trained,
        status=EnrollmentStatus.COMPLETED,
    )
    run("training.onboarding")
    subjects = set(Notification.objects.values_list("subject_id", flat=True))
    assert subjects == {late.pk}
    assert sent() == {
        ("admin", "training.onboarding_overdue"),
        ("liaison_a", "training.onboarding_overdue"),
    }
