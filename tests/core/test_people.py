"""Pages name people by name and unit, never by login (issue #20): core.people and ``|person``."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core import people
from staff.models import Staff

from ..queries import count_queries

pytestmark = pytest.mark.django_db


def render(user, arg="") -> str:
    template = "{% load people %}{{ u|person" + (f':"{arg}"' if arg else "") + " }}"
    return Template(template).render(Context({"u": user}))


def test_each_role_is_a_person_and_unit(admin_user, liaison_a, hr_user, staff_user, dept_a):
    admin_user.first_name, liaison_a.first_name, hr_user.first_name = "王主任", "李联络", "组织部"
    me = Staff.objects.get(user=staff_user)
    assert render(admin_user) == "王主任（攀枝花市政务服务中心）"
    assert render(liaison_a) == f"李联络（{dept_a.short_name}）"
    assert render(hr_user) == "组织部（组织人事部门）"
    assert render(staff_user) == f"{me.name}（{dept_a.name}）"
    assert render(staff_user, "name") == me.name
    assert render(None) == ""


def test_users_load_in_fixed_queries(admin_user, liaison_a, liaison_b, staff_user):
    from staff.models import User

    users = list(User.objects.all())
    # profiles, their departments, the liaisons' departments: for any number of users
    assert count_queries(lambda: people.load(users)) == 3
    assert count_queries(lambda: [people.person(u) for u in users]) == 0
