"""Objects shared by the joint tests: one talk of each confidentiality level in department A, a
talk in department B, the staff persona's own talk, follow-ups and visits."""

import pytest
from django.contrib.auth.models import Group

from joint.models import Confidentiality
from staff.models import Role
from staff.permissions import CENTER_LEADERSHIP_GROUP

from ..factories import UserFactory
from .factories import FollowUpFactory, TalkFactory, VisitFactory, WindowFactory


@pytest.fixture
def leader(db):
    user = UserFactory(username="leader", role=Role.CENTER_ADMIN)
    group, _ = Group.objects.get_or_create(name=CENTER_LEADERSHIP_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.STAFF, is_superuser=True)


@pytest.fixture
def liaison_a2(dept_a):
    return UserFactory(username="liaison_a2", role=Role.LIAISON, departments=[dept_a])


@pytest.fixture
def other_staff(dept_a):
    from ..factories import StaffFactory

    user = UserFactory(username="window2", role=Role.STAFF)
    StaffFactory(department=dept_a, user=user, name="同事")
    return user


@pytest.fixture
def joint(personas, liaison_a, liaison_b, person_a, person_b, dept_a, dept_b, staff_user):
    talk_a = TalkFactory(staff=person_a, author=liaison_a, topics="甲的话题")
    private_a = TalkFactory(
        staff=person_a, author=liaison_a, level=Confidentiality.PRIVATE, topics="私密话题"
    )
    talk_b = TalkFactory(staff=person_b, author=liaison_b, topics="乙的话题")
    own = TalkFactory(staff=staff_user.staff_profile, author=liaison_a, topics="本人的话题")
    own_private = TalkFactory(
        staff=staff_user.staff_profile,
        author=liaison_a,
        level=Confidentiality.PRIVATE,
        topics="本人私密话题",
    )
    window_a = WindowFactory(department=dept_a, code="A01")
    window_b = WindowFactory(department=dept_b, code="B01")
    return {
        "talk_a": talk_a,
        "private_a": private_a,
        "talk_b": talk_b,
        "own": own,
        "own_private": own_private,
        "follow_up_a": FollowUpFactory(talk=talk_a, description="甲的跟进"),
        "follow_up_private": FollowUpFactory(talk=private_a, description="私密跟进"),
        "follow_up_own": FollowUpFactory(talk=own, description="本人的跟进"),
        "visit_a": VisitFactory(department=dept_a),
        "visit_b": VisitFactory(department=dept_b),
        "window_a": window_a,
        "window_b": window_b,
        "person_a": person_a,
        "person_b": person_b,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "self": staff_user.staff_profile,
    }
