"""A small hall for the rules fed by the hall's figures (issue #18): department A's window A01
(chief representative, the window staff persona, person A) handling an item promised in 2
working days; department B's window B01 (person B, no chief). A case-system client."""

from datetime import date

import pytest

from assessments.models import AssessmentRule
from core import system_clients
from windows.models import Post

from ..assessments.factories import ServiceItemFactory, StationingFactory, WindowFactory
from ..factories import StaffFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Client rate limits count in the cache, by client id: start every test from zero."""
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from core.authentication import SystemClientRateThrottle

    SystemClientRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hall(dept_a, dept_b, staff_user, person_a, person_b, admin_user):
    from assessments.rules_seed import load

    load(AssessmentRule)  # a transactional test elsewhere may have flushed the seeded rules
    window_a = WindowFactory(code="A01", name="市场准入窗口", department=dept_a, hall_area="一区")
    window_b = WindowFactory(code="B01", name="户政窗口", department=dept_b, hall_area="一区")
    item = ServiceItemFactory(code="SCJG-001", department=dept_a, promised_working_days=2)
    unpromised = ServiceItemFactory(code="SCJG-002", department=dept_a)
    chief = StaffFactory(department=dept_a, name="首席代表")
    me = staff_user.staff_profile
    StationingFactory(
        staff=chief, window=window_a, post=Post.CHIEF_REPRESENTATIVE, start_date=date(2024, 1, 1)
    )
    StationingFactory(staff=me, window=window_a, start_date=date(2024, 1, 1))
    StationingFactory(staff=person_a, window=window_a, start_date=date(2024, 1, 1))
    StationingFactory(staff=person_b, window=window_b, start_date=date(2024, 1, 1))
    return {
        "window_a": window_a,
        "window_b": window_b,
        "item": item,
        "unpromised": unpromised,
        "chief": chief,
        "me": me,
        "person_a": person_a,
        "person_b": person_b,
    }


@pytest.fixture
def case_client(admin_user):
    return system_clients.client_create(
        actor=admin_user, name="办件系统", kind="case", scopes=["cases.push"]
    )
