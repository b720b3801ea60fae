"""Recording an entry recomputes only the people it touches and re-ranks the month in SQL; the
result is the same as recomputing the whole month."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Score
from assessments.services.entries import entry_record
from assessments.services.scores import period_for_date, score_recompute

from .helpers import png

pytestmark = pytest.mark.django_db


def table(period):
    return sorted(
        Score.objects.filter(period=period).values_list(
            "staff_id", "total", "rank_center", "rank_department", "department_id", "window_id"
        )
    )


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


def test_ranks_and_totals_match_a_full_recompute(world, fixed_today):
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
    score_recompute(actor=world["admin"], period=march)
    assert table(march) == incremental


def test_a_months_first_entry_scores_everyone(world, fixed_today):
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    record(world, "D03", "me")
    first = table(march)
    assert len(first) == 4  # everyone stationed, not only the people the entry touched
    score_recompute(actor=world["admin"], period=march)
    assert table(march) == first


def test_recording_does_not_recompute_the_whole_month(world, fixed_today):
    """The score work is the same whatever the month's population: the people touched plus one
    ranking UPDATE (no per-person statement for everyone else)."""
    fixed_today(date(2026, 4, 2))
    march = period_for_date(date(2026, 3, 1))
    score_recompute(actor=world["admin"], period=march)
    with CaptureQueriesContext(connection) as queries:
        record(world, "D03", "person_b")
    updates = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert any("RANK() OVER" in sql for sql in updates)
    assert Score.objects.filter(period=march, staff=world["person_b"]).get().rank_center
