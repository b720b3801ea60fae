"""A small hall: windows A01 and A02 in hall area 东区 (department A), B01 in 西区
(department B); the window staff persona and person A at A01, person A2 at A02, person B at B01.
Service item ITEM-A is handled at A01 (weight 2 once set), ITEM-B at B01."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core import system_clients
from windows.models import ServiceItem

from ..assessments.factories import StationingFactory, WindowFactory
from ..factories import StaffFactory


@pytest.fixture
def hall(dept_a, dept_b, staff_user, person_a, person_b, admin_user):
    a01 = WindowFactory(code="A01", name="市场准入窗口", department=dept_a, hall_area="东区")
    a02 = WindowFactory(code="A02", name="食品许可窗口", department=dept_a, hall_area="东区")
    b01 = WindowFactory(code="B01", name="户政窗口", department=dept_b, hall_area="西区")
    item_a = ServiceItem.objects.create(code="ITEM-A", name="企业设立登记", department=dept_a)
    item_b = ServiceItem.objects.create(code="ITEM-B", name="户口迁移", department=dept_b)
    a01.service_items.add(item_a)
    b01.service_items.add(item_b)
    me = staff_user.staff_profile
    person_a2 = StaffFactory(department=dept_a, name="甲部门二号")
    start = timezone.localdate() - timedelta(days=400)
    for person, window in ((me, a01), (person_a, a01), (person_a2, a02), (person_b, b01)):
        StationingFactory(staff=person, window=window, start_date=start)
    return {
        "a01": a01,
        "a02": a02,
        "b01": b01,
        "item_a": item_a,
        "item_b": item_b,
        "me": me,
        "person_a": person_a,
        "person_a2": person_a2,
        "person_b": person_b,
        "admin": admin_user,
    }


@pytest.fixture
def queue(admin_user):
    return system_clients.client_create(
        actor=admin_user, name="叫号系统", kind="queue", scopes=["workload.push"]
    )


@pytest.fixture
def today():
    return timezone.localdate()


def first_of_month(day: date) -> date:
    return day.replace(day=1)
