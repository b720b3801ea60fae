from datetime import date, timedelta

import pytest
from django.utils import timezone

from windows.models import Post

from ..factories import CertificateFactory, StaffFactory
from .factories import ServiceItemFactory, StationingFactory, WindowFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def licensing_item(dept_a):
    return ServiceItemFactory(department=dept_a, is_licensing=True, name="食品经营许可")


@pytest.fixture
def window_a(dept_a, licensing_item):
    return WindowFactory(department=dept_a, code="A-01", items=[licensing_item])


@pytest.fixture
def window_a2(dept_a):
    return WindowFactory(department=dept_a, code="A-02")


@pytest.fixture
def window_b(dept_b):
    return WindowFactory(department=dept_b, code="B-01")


def years_ago(today: date, years: float) -> date:
    return today - timedelta(days=int(365.25 * years))


@pytest.fixture
def veteran_a(dept_a, window_a, today):
    """Three years at window A-01: may leave without an early-transfer flag."""
    person = StaffFactory(department=dept_a, name="老员工")
    StationingFactory(staff=person, window=window_a, start_date=years_ago(today, 3))
    return person


@pytest.fixture
def newcomer_a(dept_a, window_a, today):
    """Six months at window A-01: leaving now is an early transfer."""
    person = StaffFactory(department=dept_a, name="新员工")
    StationingFactory(staff=person, window=window_a, start_date=today - timedelta(days=180))
    return person


@pytest.fixture
def candidate_a(dept_a, today):
    """A civil servant of department A with a valid certificate, not yet at a window."""
    person = StaffFactory(department=dept_a, name="候选人")
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    return person


@pytest.fixture
def veteran_b(dept_b, window_b, today):
    person = StaffFactory(department=dept_b, name="乙窗口员工")
    StationingFactory(staff=person, window=window_b, start_date=years_ago(today, 3))
    return person


@pytest.fixture
def chief_stationing(dept_a, window_a, today):
    person = StaffFactory(department=dept_a, name="首席")
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    return StationingFactory(
        staff=person, window=window_a, post=Post.STAFF, start_date=years_ago(today, 1)
    )
