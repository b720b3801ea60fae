"""A small assessed center: window A (department A) with a chief representative, the window staff
persona and person A; window B (department B) with person B. Rules come from the data migration."""

from datetime import date

import pytest

from assessments.models import AssessmentRule
from windows.models import Post

from ..factories import StaffFactory
from .factories import ServiceItemFactory, StationingFactory, WindowFactory


def _reseed_rules() -> dict:
    """The rules the data migration wrote, again: a transactional test that ran earlier (in
    another app, when the apps are run in another order) flushes every table."""
    from assessments.rules_seed import load

    load(AssessmentRule)
    return {r.code: r for r in AssessmentRule.objects.all()}


@pytest.fixture
def world(dept_a, dept_b, staff_user, person_a, person_b, admin_user):
    admin_user.email = "admin@example.org"
    admin_user.save()
    staff_user.email = "window@example.org"
    staff_user.save()
    window_a = WindowFactory(code="A01", name="市场准入窗口", department=dept_a)
    window_b = WindowFactory(code="B01", name="户政窗口", department=dept_b)
    item_a = ServiceItemFactory(code="SCJG-001", department=dept_a)
    window_a.service_items.add(item_a)
    chief = StaffFactory(department=dept_a, name="首席代表")
    me = staff_user.staff_profile
    StationingFactory(
        staff=chief, window=window_a, post=Post.CHIEF_REPRESENTATIVE, start_date=date(2024, 1, 1)
    )
    StationingFactory(staff=me, window=window_a, start_date=date(2024, 1, 1))
    StationingFactory(staff=person_a, window=window_a, start_date=date(2024, 1, 1))
    StationingFactory(staff=person_b, window=window_b, start_date=date(2024, 1, 1))
    rules = {r.code: r for r in AssessmentRule.objects.all()} or _reseed_rules()
    return {
        "window_a": window_a,
        "window_b": window_b,
        "item_a": item_a,
        "chief": chief,
        "me": me,
        "person_a": person_a,
        "person_b": person_b,
        "rules": rules,
        "admin": admin_user,
    }


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin ``timezone.localdate()`` (and so appeal and rectification deadlines) to a day."""

    def pin(day: date):
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return pin
