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
