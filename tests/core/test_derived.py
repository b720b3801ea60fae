"""core.derived: a cached figure stays until a write to what it depends on, and not after."""

import pytest
from django.db import transaction
from django.urls import reverse

from core import derived
from notifications.selectors import unread_count
from staff.models import Department, User
from tests.conftest import client_for
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value()

    return build, calls


def department_names():
    return derived.cached(
        "test.names",
        "all",
        lambda: sorted(Department.objects.values_list("name", flat=True)),
        depends_on=(Department,),
    )


def test_cached_until_a_save_or_delete():
    first = DepartmentFactory(name="甲")
    assert department_names() == ["甲"]
    Department.objects.filter(pk=first.pk)  # a read changes nothing
    build, calls = counting(lambda: 1)
    assert derived.cached("test.n", 1, build, depends_on=(Department,)) == 1
    assert derived.cached("test.n", 1, build, depends_on=(Department,)) == 1
    assert calls == [1]  # built once
    second = DepartmentFactory(name="乙")
    assert department_names() == ["乙", "甲"] or department_names() == sorted(["甲", "乙"])
    second.delete()
    assert department_names() == ["甲"]
    first.name = "丙"
    first.save()
    assert department_names() == ["丙"]


def test_parts_key_the_value_and_other_models_do_not_invalidate():
    build, calls = counting(lambda: len(calls))
    derived.cached("test.k", "a", build, depends_on=(Department,))
    derived.cached("test.k", "b", build, depends_on=(Department,))
    assert len(calls) == 2
    UserFactory()  # not a dependency
    derived.cached("test.k", "a", build, depends_on=(Department,))
    assert len(calls) == 2


def test_many_to_many_from_either_side_invalidates(admin_user):
    department = DepartmentFactory()
    user = UserFactory()

    def theirs():
        return derived.cached(
            "test.m2m",
            user.pk,
            lambda: list(user.departments.values_list("pk", flat=True)),
            depends_on=(User,),
        )

    assert theirs() == []
    user.departments.add(department)
    assert theirs() == [department.pk]
    department.user_set.clear() if hasattr(department, "user_set") else user.departments.clear()
    assert theirs() == []


def test_touch_covers_writes_without_signals():
    department = DepartmentFactory(name="甲")
    assert department_names() == ["甲"]
    Department.objects.filter(pk=department.pk).update(name="乙")  # no signal
    assert department_names() == ["甲"]  # stale: nothing told the cache
    derived.touch(Department)
    assert department_names() == ["乙"]


def test_a_value_computed_inside_the_writing_transaction_does_not_survive_the_commit(
    django_capture_on_commit_callbacks,
):
    """A reader who computed (and cached) between the write and the commit saw the old rows;
    the second bump on commit makes that copy unreachable."""
    department = DepartmentFactory(name="甲")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        department.name = "乙"
        department.save()
        department_names()  # cached under the version bumped at the write
        stale_key_versions = derived.versions([Department])
    assert derived.versions([Department]) != stale_key_versions
    assert department_names() == ["乙"]


def test_unread_badge_follows_bulk_created_notifications_and_reads(staff_user):
    from notifications.services import notification_mark_all_read
    from tests.notifications.factories import NotificationFactory

    assert unread_count(staff_user) == 0
    NotificationFactory(recipient=staff_user)
    assert unread_count(staff_user) == 1
    notification_mark_all_read(user=staff_user)
    assert unread_count(staff_user) == 0


def test_joint_page_shows_a_new_talk_request_at_once(liaison_a, staff_user):
    """The suggestions are cached; the person's request is a write, so it shows."""
    from joint.services import talk_request_create

    client = client_for(liaison_a)
    url = reverse("joint:department")
    before = client.get(url).context["suggestion_total"]
    client.get(url)  # cached now
    talk_request_create(actor=staff_user, message="想聊聊岗位安排")
    assert client.get(url).context["suggestion_total"] == before + 1


def test_list_counts_are_cached_until_a_write(admin_user, dept_a):
    from rest_framework.test import APIClient

    from tests.factories import StaffFactory

    client = APIClient()
    client.force_authenticate(admin_user)
    StaffFactory.create_batch(2, department=dept_a)
    assert client.get("/api/v1/staff/").json()["count"] == 2
    StaffFactory(department=dept_a)
    assert client.get("/api/v1/staff/").json()["count"] == 3


def test_a_count_of_a_query_that_matches_nothing(admin_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    assert client.get("/api/v1/periods/", {"year": -27}).json()["count"] == 0
