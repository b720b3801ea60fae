"""A small center for attendance: window A (department A) with a chief representative who has a
login, the window staff persona and person A; window B (department B) with person B."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from staff.models import Role
from windows.models import Post

from ..assessments.factories import StationingFactory, WindowFactory
from ..factories import StaffFactory, UserFactory

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=TZ)


@pytest.fixture
def center(dept_a, dept_b, staff_user, person_a, person_b, admin_user):
    window_a = WindowFactory(code="A01", name="市场准入窗口", department=dept_a)
    window_b = WindowFactory(code="B01", name="户政窗口", department=dept_b)
    chief_user = UserFactory(username="chief", role=Role.STAFF)
    chief = StaffFactory(department=dept_a, name="首席代表", user=chief_user)
    me = staff_user.staff_profile
    for person, window, post in (
        (chief, window_a, Post.CHIEF_REPRESENTATIVE),
        (me, window_a, Post.STAFF),
        (person_a, window_a, Post.STAFF),
        (person_b, window_b, Post.STAFF),
    ):
        StationingFactory(staff=person, window=window, post=post, start_date=date(2024, 1, 1))
    return {
        "window_a": window_a,
        "window_b": window_b,
        "chief": chief,
        "chief_user": chief_user,
        "me": me,
        "person_a": person_a,
        "person_b": person_b,
        "admin": admin_user,
    }
