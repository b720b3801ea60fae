"""The live evidence pack (screen and API) is built afresh for each request: no cache, so the
ID number is shown as the viewer may see it, a write shows at once, and the queries stay few
and constant however long the record is. The population sizes and the ranks of open periods
come from the score totals and the score indexes (assessments.selectors)."""

from datetime import date

import pytest

from assessments.models import Score
from assessments.selectors import period_people
from assessments.services.entries import entry_record
from assessments.services.scores import period_close, period_for_date
from promotions.evidence.pack import build_pack, live_pack
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

START, END = date(2021, 11, 21), date(2026, 11, 20)


def _comparable(pack):
    return {key: value for key, value in pack.items() if key != "generated_at"}


def test_live_pack_equals_a_fresh_pack_for_each_viewer_and_masks_per_viewer(
    grow, record_world, hr_user, liaison_a, admin_user
):
    grow(2)
    person = record_world["person"]
    for viewer in (hr_user, liaison_a, admin_user, liaison_a):
        live = live_pack(person, start=START, end=END, viewer=viewer)
        fresh = build_pack(person, start=START, end=END, viewer=viewer)
        assert _comparable(live) == _comparable(fresh)
        assert list(live) == list(fresh)  # same parts in the same order
    liaison_view = live_pack(person, start=START, end=END, viewer=liaison_a)
    assert liaison_view["identity"]["id_masked"] and "*" in liaison_view["identity"]["id_number"]
    hr_view = live_pack(person, start=START, end=END, viewer=hr_user)
    assert hr_view["identity"]["id_number"] == person.id_number


def test_the_live_pack_runs_the_same_queries_for_one_and_two_years(grow, record_world, hr_user):
    person = record_world["person"]
    grow(1)
    one = count_queries(lambda: live_pack(person, start=START, end=END, viewer=hr_user))
    grow(1)
    two = count_queries(lambda: live_pack(person, start=START, end=END, viewer=hr_user))
    assert one == two <= 20


def test_a_write_shows_at_once(grow, record_world, hr_user, as_user):
    grow(1)
    person = record_world["person"]
    api = as_user(hr_user)
    url = f"/api/v1/staff/{person.pk}/evidence/"
    before = api.get(url).json()["deductions"]
    entry_record(
        actor=record_world["admin"],
        staff=person,
        rule=record_world["rules"]["D02"],
        date=date(2026, 11, 3),
    )
    after = api.get(url).json()["deductions"]
    assert len(after) == len(before) + 1
    assert live_pack(person, start=START, end=END, viewer=hr_user)["deductions"] == after


def test_sizes_and_ranks_follow_writes_and_match_the_stored_ranks_at_close(
    grow, record_world, hr_user
):
    """Open months: the ranks counted when read and the sizes from the totals; after the close
    the stored ones, which are the same."""
    grow(1)
    person, colleague = record_world["person"], record_world["colleague"]
    march = period_for_date(date(2025, 3, 1))

    def march_row():
        rows = live_pack(person, start=START, end=END, viewer=hr_user)["monthly_scores"]
        return next(r for r in rows if (r["year"], r["number"]) == (2025, 3))

    open_row = march_row()
    people = Score.objects.filter(period=march).count()
    assert open_row["center_size"] == people == period_people([march.pk])[march.pk]
    assert (
        open_row["department_size"]
        == Score.objects.filter(period=march, department=person.department).count()
    )
    expected = (
        1
        + Score.objects.filter(
            period=march, total__gt=Score.objects.get(period=march, staff=person).total
        ).count()
    )
    assert open_row["rank_center"] == expected
    record_world["pin"](date(2025, 3, 20))
    entry_record(  # the colleague falls behind person A
        actor=record_world["admin"],
        staff=colleague,
        rule=record_world["rules"]["D02"],
        date=date(2025, 3, 12),
    )
    record_world["pin"](date(2026, 11, 20))
    moved = march_row()
    period_close(actor=record_world["admin"], period=march)
    closed = march_row()
    assert closed["period_status"] == "closed"
    for key in ("rank_center", "rank_department", "center_size", "department_size"):
        assert moved[key] == closed[key], key
