"""core.pagination: exact counts up to a threshold, the planner's estimate above it (PostgreSQL)."""

import pytest
from django.db import connection

from core.pagination import CountPaginator, planner_estimate
from staff.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_counts_exactly_below_the_threshold(settings):
    DepartmentFactory.create_batch(3)
    paginator = CountPaginator(Department.objects.order_by("id"), 2)
    assert paginator.count == Department.objects.count()
    assert not paginator.estimated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_estimates_above_the_threshold(settings):
    DepartmentFactory.create_batch(3)
    settings.CENTER = {**settings.CENTER, "PAGINATOR_ESTIMATE_ABOVE": 0}
    queryset = Department.objects.order_by("id")
    paginator = CountPaginator(queryset, 2)
    assert paginator.count == planner_estimate(queryset)
    assert paginator.estimated


def test_a_filter_that_matches_nothing_is_counted(settings):
    settings.CENTER = {**settings.CENTER, "PAGINATOR_ESTIMATE_ABOVE": 0}
    paginator = CountPaginator(Department.objects.filter(pk__in=[]), 2)
    assert paginator.count == 0
    assert not paginator.estimated


def test_a_capped_count_stops_past_the_cap_and_pages_the_first_rows():
    from django.test.utils import CaptureQueriesContext

    DepartmentFactory.create_batch(7)
    queryset = Department.objects.order_by("id")
    capped = CountPaginator(queryset, 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert capped.count == 5
    assert capped.capped and "LIMIT 6" in ctx.captured_queries[0]["sql"]
    assert capped.num_pages == 3 and len(capped.get_page(99).object_list) == 1  # rows 5 only
    exact = CountPaginator(queryset, 2, cap=7)
    assert exact.count == 7 and not exact.capped


def test_a_staff_search_past_the_cap_says_more_than(admin_user, settings, client):
    from django.urls import reverse

    from tests.factories import StaffFactory

    settings.CENTER = {**settings.CENTER, "SEARCH_COUNT_CAP": 3}
    department = DepartmentFactory()
    for n in range(5):
        StaffFactory(department=department, name=f"王{n}")
    client.force_login(admin_user)
    page = client.get(reverse("staff:list"), {"q": "王"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert "超过 3 人" in body, body[body.find("result-count") - 50 :][:300]
    assert page.context["page"].paginator.count == 3
    assert "5 人" not in body
    everyone = client.get(reverse("staff:list"))
    assert not everyone.context["page"].paginator.capped  # no search: the exact count
