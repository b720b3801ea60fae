"""Recording an entry recomputes only the people it touches and ranks nobody: the ranks of an
open month are computed when read (selectors.with_ranks) and equal those a full recompute or
the close stores; the score totals stay exact (compared with a rebuild from the scores)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors
from assessments.models import PeriodDepartmentTotal, PeriodTotalCount, PeriodWindowTotal, Score
from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from assessments.services.scores import period_close, period_for_date, score_recompute
from assessments.services.totals import score_totals_rebuild
from staff.models import Role
from tests.factories import UserFactory

from .helpers import png

pytestmark = pytest.mark.django_db


def table(period):
    """Every score of ``period`` with the ranks a reader sees (computed for an open period)."""
    scores = selectors.with_ranks(list(Score.objects.filter(period=period)))
    return sorted(
        (s.staff_id, s.total, s.rank_center, s.rank_department, s.department_id, s.window_id)
        for s in scores
    )


def stored(period):
    return sorted(
        Score.objects.filter(period=period).values_list(
            "staff_id", "total", "rank_center", "rank_department", "department_id", "window_id"
        )
    )


def totals():
    """The totals tables, as plain tuples (empty department and count rows left out)."""
    windows = sorted(
        PeriodWindowTotal.objects.values_list(
            "period_id",
            "window_id",
            "department_id",
            "people",
            "total_sum",
            "lowest",
            "deductions",
            "bonus",
        )
    )
    departments = sorted(
        PeriodDepartmentTotal.objects.filter(people__gt=0).values_list(
            "period_id", "department_id", "people", "total_sum", "lowest", "deductions", "bonus"
        )
    )
    counts = sorted(
        PeriodTotalCount.objects.filter(people__gt=0).values_list("period_id", "total", "people")
    )
    assert not PeriodTotalCount.objects.filter(people__lt=0).exists()
    return windows, departments, counts


def assert_totals_exact():
    kept = totals()
    score_totals_rebuild()
    assert kept == totals()


def record(world, code, person, day=date(2026, 3, 10)):
    rule = world["rules"][code]
    return entry_record(
        actor=world["admin"],
        staff=world[person],
        rule=rule,
        date=day,
        files=[png()] if rule.evidence_required else [],
        window=world["window_a"] if person != "person_b" else world["window_b"],
    )


def test_ranks_read_equal_the_ranks_a_recompute_stores(world, fixed_today):
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    score_recompute(actor=world["admin"], period=march)
    record(world, "D03", "me")  # a deduction: me falls behind the rest (with a chief's share)
    record(world, "B02", "person_b")  # a bonus: person B leads the center
    record(world, "D03", "person_a")  # ties me with person A
    incremental = table(march)
    ranks = {row[0]: (row[2], row[3]) for row in incremental}
    assert ranks[world["person_b"].pk] == (1, 1)
    assert ranks[world["me"].pk] == ranks[world["person_a"].pk]  # competition ranking: a tie
    assert_totals_exact()
    score_recompute(actor=world["admin"], period=march)
    assert stored(march) == incremental  # the stored ranks are the ones read before
    assert table(march) == incremental


def test_ranks_read_equal_the_ranks_stored_at_close(world, fixed_today):
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    record(world, "D03", "me")
    record(world, "B02", "person_a")
    before_close = table(march)
    period_close(actor=world["admin"], period=march)
    assert stored(march) == before_close
    with CaptureQueriesContext(connection) as queries:
        assert table(march) == before_close
    assert len(queries) == 2  # closed: the stored ranks, no counting (the scores, the status)
    assert_totals_exact()


def test_a_months_first_entry_scores_everyone(world, fixed_today):
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    record(world, "D03", "me")
    first = table(march)
    assert len(first) == 4  # everyone stationed, not only the people the entry touched
    assert_totals_exact()
    score_recompute(actor=world["admin"], period=march)
    assert table(march) == first


def test_recording_ranks_nobody_and_rewrites_only_the_people_touched(world, fixed_today):
    """The score work is the same whatever the month's population: the person's score and the
    totals of their window and department; no ranking statement, no other score rewritten."""
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    score_recompute(actor=world["admin"], period=march)
    others = dict(
        Score.objects.filter(period=march)
        .exclude(staff=world["person_b"])
        .values_list("staff_id", "computed_at")
    )
    with CaptureQueriesContext(connection) as queries:
        record(world, "D03", "person_b")
    sql = " ".join(q["sql"].upper() for q in queries)
    assert "RANK()" not in sql and "OVER (" not in sql
    assert (
        dict(
            Score.objects.filter(period=march)
            .exclude(staff=world["person_b"])
            .values_list("staff_id", "computed_at")
        )
        == others
    )
    mine = selectors.with_ranks([Score.objects.get(period=march, staff=world["person_b"])])[0]
    assert mine.rank_center == 4 and mine.rank_department == 1  # last in the center, alone in B
    assert_totals_exact()


def test_totals_stay_exact_through_an_appeal(world, staff_user, fixed_today):
    fixed_today(date(2026, 3, 20))
    march = period_for_date(date(2026, 3, 1))
    entry = record(world, "D03", "me", day=date(2026, 3, 2))
    record(world, "B02", "person_b", day=date(2026, 3, 3))
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障")
    assert_totals_exact()
    decider = UserFactory(username="admin2", role=Role.CENTER_ADMIN)  # not the recorder
    appeal_decide(actor=decider, appeal=appeal, outcome="cancelled", note="撤销")
    assert_totals_exact()
    me = selectors.with_ranks([Score.objects.get(period=march, staff=world["me"])])[0]
    assert me.deductions == 0
    assert (
        PeriodDepartmentTotal.objects.get(period=march, department=world["me"].department).people
        == selectors.period_people([march.pk])[march.pk] - 1  # department B holds person B
    )


def test_figures_read_from_the_totals_match_the_scores(world, liaison_a, admin_user, fixed_today):
    from decimal import Decimal

    from django.db.models import Avg

    fixed_today(date(2026, 3, 20))
    march = period_for_date(date(2026, 3, 1))
    record(world, "D03", "me", day=date(2026, 3, 2))
    record(world, "B02", "person_b", day=date(2026, 3, 3))
    dept_a = world["window_a"].department
    mine = selectors.window_board(liaison_a, march)
    assert {row["window__code"] for row in mine} == {"A01"}  # department A's people only
    everyone = selectors.window_board(admin_user, march)
    assert {row["window__code"] for row in everyone} == {"A01", "B01"}
    a01 = next(row for row in everyone if row["window__code"] == "A01")
    scores = Score.objects.filter(period=march, window=world["window_a"])
    assert a01["people"] == scores.count()
    assert a01["lowest"] == min(s.total for s in scores)
    expected = Score.objects.filter(period=march, department=dept_a).aggregate(a=Avg("total"))["a"]
    expected = Decimal(expected).quantize(Decimal("0.01"))
    assert (
        selectors.department_average_score(dept_a.pk, march.start_date, march.end_date) == expected
    )
    average, people = selectors.department_month_totals([dept_a.pk], march.start_date)[dept_a.pk]
    assert (
        average == expected
        and people == Score.objects.filter(period=march, department=dept_a).count()
    )
    assert selectors.period_people([march.pk]) == {
        march.pk: Score.objects.filter(period=march).count()
    }
