"""Personas used by every app's tests: center admin, liaisons of departments A and B, HR, and a
window staff member of department A."""

import pytest
from django.test import Client

from staff.models import Role

from .factories import DepartmentFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _zh_hans(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache holds only request counters (API throttles, the password-reset limit): each
    test starts with none, whatever ran before it in the process."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_audit_context():
    """auditlog's middleware leaves the request's actor in a context variable after the response;
    the test client runs every request in the test thread, so without this a later test's
    system write (actor None) would inherit an earlier test's user."""
    from auditlog.context import auditlog_value

    token = auditlog_value.set(None)
    yield
    auditlog_value.reset(token)


@pytest.fixture
def dept_a(db):
    return DepartmentFactory(code="A", name="市场监管局", short_name="监管局")


@pytest.fixture
def dept_b(db):
    return DepartmentFactory(code="B", name="公安局", short_name="公安局")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.CENTER_ADMIN)


@pytest.fixture
def liaison_a(dept_a):
    return UserFactory(username="liaison_a", role=Role.LIAISON, departments=[dept_a])


@pytest.fixture
def liaison_b(dept_b):
    return UserFactory(username="liaison_b", role=Role.LIAISON, departments=[dept_b])


@pytest.fixture
def hr_user(db):
    return UserFactory(username="hr", role=Role.HR)


@pytest.fixture
def staff_user(dept_a):
    user = UserFactory(username="window", role=Role.STAFF)
    StaffFactory(department=dept_a, user=user, name="本人")
    return user


@pytest.fixture
def person_a(dept_a):
    return StaffFactory(department=dept_a, name="甲部门人员")


@pytest.fixture
def person_b(dept_b):
    return StaffFactory(department=dept_b, name="乙部门人员")


@pytest.fixture
def personas(admin_user, liaison_a, liaison_b, hr_user, staff_user):
    return {
        "anonymous": None,
        "admin": admin_user,
        "liaison_a": liaison_a,
        "liaison_b": liaison_b,
        "hr": hr_user,
        "staff": staff_user,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def second_admin(db):
    """Another center administrator: the one who decides appeals of deductions ``admin_user``
    recorded (the recorder may not, ``ASSESSMENTS["APPEAL_RECORDER_MAY_NOT_DECIDE"]``)."""
    return UserFactory(username="admin2", role=Role.CENTER_ADMIN)
