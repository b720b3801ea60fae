"""The demo builds a usable training world, fast and deterministic."""

import random

import pytest
from django.utils import timezone

from demo import staff as staff_demo
from demo import training as training_demo
from training.menu import menus_for
from training.models import Enrollment, PolicyUpdate, Session, StaffSkill

pytestmark = pytest.mark.django_db


def test_demo_builds_catalog_sessions_attendance_skills_and_updates():
    today = timezone.localdate()
    staff_demo.build(staff=60, seed=1, today=today)
    training_demo.build(rng=random.Random(2), today=today)
    assert Session.objects.filter(course__side="center").exists()
    assert Session.objects.filter(course__side="department").exists()
    assert Session.objects.filter(outside_hours=False).exists()
    assert Enrollment.objects.filter(status="attended").exists()
    assert StaffSkill.objects.exists()
    assert PolicyUpdate.objects.exists()
    # No session over capacity.
    for session in Session.objects.all():
        assert session.enrollments.exclude(status="absent").count() <= session.capacity
    menus = menus_for(StaffSkill.objects.values_list("staff_id", flat=True).distinct())
    assert any(m.items for m in menus.values())
    in_hours = set(Session.objects.filter(outside_hours=False).values_list("id", flat=True))
    offered = {s.id for m in menus.values() for i in m.items for s in i.sessions}
    assert offered and not offered & in_hours
