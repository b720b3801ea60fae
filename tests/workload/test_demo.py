"""The demo center has last month's and this month's workload, its monthly rows kept."""

import pytest
from django.core.management import call_command

from workload.models import ItemWeight, StaffWorkloadMonth, WorkloadRecord
from workload.services.aggregates import computed_rows, kept_rows

pytestmark = pytest.mark.django_db


def test_demo_has_workload():
    call_command("seed_demo", verbosity=0)
    assert WorkloadRecord.objects.count() > 1000
    assert ItemWeight.objects.exists()
    assert StaffWorkloadMonth.objects.values("month").distinct().count() >= 1
    assert kept_rows() == computed_rows()
