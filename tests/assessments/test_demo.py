"""The demo builds two years of consistent results in bulk, reproducible from entries."""

import random
from datetime import date

import pytest
from django.db.models import Count

from assessments.models import (
    Appeal,
    Award,
    Entry,
    Period,
    PeriodKind,
    PeriodStatus,
    Rating,
    Rectification,
    Score,
)
from assessments.services.scores import score_recompute
from demo import assessments as demo
from demo import staff as staff_demo


@pytest.mark.django_db
def test_demo_builds_two_years(django_assert_max_num_queries):
    today = date(2026, 11, 28)
    staff_demo.build(staff=150, seed=7, today=today)
    demo.build(rng=random.Random(8), today=today)
    months = Period.objects.filter(kind=PeriodKind.MONTH)
    assert months.filter(status=PeriodStatus.CLOSED).count() == 24
    assert months.filter(status=PeriodStatus.OPEN).count() == 1
    assert Period.objects.filter(
        kind=PeriodKind.YEAR, year=2025, status=PeriodStatus.CLOSED
    ).exists()
    assert (
        Entry.objects.filter(joint_parent__isnull=False).exists()
        or not Entry.objects.filter(rule__code="Q01").exists()
    )
    states = set(Appeal.objects.values_list("status", flat=True))
    assert {"upheld", "reduced", "cancelled"} <= states
    bad = Rating.objects.filter(level__in=("1", "2")).count()
    assert 0.01 < bad / Rating.objects.count() < 0.08
    assert Rectification.objects.count() == bad
    assert len(set(Rectification.objects.values_list("status", flat=True))) >= 4
    assert Award.objects.values("kind").annotate(n=Count("id")).count() == 2
    # The stored month scores are exactly what the formula gives from the entries.
    month = months.filter(status=PeriodStatus.CLOSED).order_by("start_date").last()
    before = list(
        Score.objects.filter(period=month)
        .order_by("staff_id")
        .values_list("staff_id", "total", "rank_center")
    )
    Period.objects.filter(pk=month.pk).update(status=PeriodStatus.OPEN)
    # one statement for the month's scores, six for its totals: constant in the people
    with django_assert_max_num_queries(16):
        score_recompute(actor=None, period=month)
    after = list(
        Score.objects.filter(period=month)
        .order_by("staff_id")
        .values_list("staff_id", "total", "rank_center")
    )
    assert before == after and len(before) > 100
