"""The evidence pack: its parts for a seeded person, masking by role, and a constant number of
queries whatever the length of the record."""

from __future__ import annotations

from datetime import date

import pytest

from promotions.evidence.pack import build_pack, default_period
from tests.queries import assert_constant_queries, count_cold_queries, count_queries

pytestmark = pytest.mark.django_db

PERIOD = {"start": date(2020, 1, 1), "end": date(2026, 11, 20)}


def test_pack_of_a_seeded_person(grow, record_world, admin_user):
    grow(2)  # 2025 and 2024
    person = record_world["person"]
    pack = build_pack(person, viewer=admin_user, **PERIOD)
    assert pack["identity"]["name"] == "甲部门人员"
    assert pack["identity"]["id_number"] == person.id_number
    assert pack["identity"]["department"]["name"] == person.department.name
    assert [s["start_date"] for s in pack["stationings"]] == ["2024-01-01", "2025-01-01"]
    assert pack["stationings"][0]["months"] == 12
    assert pack["tenure"]["months_in_period"] == 12 + 22  # 2024, then 2025-01-01 → 2026-11-20
    assert [a["appointment_number"] for a in pack["chief_service"]] == ["任2025-1"]
    assert len(pack["certificates"]) == 2
    months = [(s["year"], s["number"]) for s in pack["monthly_scores"]]
    assert months == [(2024, 3), (2024, 9), (2025, 3), (2025, 9)]
    march = pack["monthly_scores"][0]
    # The March deduction was cancelled on appeal: only the (capped) bonus counts.
    assert march["total"] == "101.00" and march["rank_center"] == 1 and march["center_size"] == 3
    september = pack["monthly_scores"][1]
    assert september["total"] == "100.00" and september["department_size"] == 2
    annual = pack["annual_scores"]
    assert [a["year"] for a in annual] == [2024, 2025]
    assert annual[0]["department_grade"] == "excellent"
    assert annual[0]["suggested_grade"] != ""
    deductions = pack["deductions"]
    assert len(deductions) == 4
    assert deductions[0]["appeal_status"] == "cancelled"
    assert deductions[0]["status"] == "cancelled"
    assert deductions[0]["appeal_decision"] == "情况属实"
    assert deductions[1]["appeal_status"] == ""
    assert len(pack["bonuses"]) == 4
    assert [a["kind"] for a in pack["awards"]] == ["service_star", "service_star"]
    ratings = pack["ratings"]
    assert ratings["events"] == 12 and ratings["levels"] == {"5": 4, "4": 4, "3": 0, "2": 4, "1": 0}
    assert ratings["good_rate"] == "66.7"
    training = pack["training"]
    assert training["total_hours"] == "12.0"
    assert training["by_side"] == {"center": "6.0", "department": "6.0"}
    assert {(r["category"], r["side"], r["hours"]) for r in training["rows"]} == {
        ("etiquette", "center", "6.0"),
        ("business", "department", "6.0"),
    }
    assert [a["text"] for a in pack["appraisals"]] == ["2024年度表现突出", "2025年度表现突出"]


def test_the_period_limits_every_part(grow, record_world, admin_user):
    grow(2)
    pack = build_pack(
        record_world["person"], viewer=admin_user, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    assert [s["year"] for s in pack["monthly_scores"]] == [2025, 2025]
    assert [s["year"] for s in pack["annual_scores"]] == [2025]
    assert len(pack["deductions"]) == 2 and len(pack["appraisals"]) == 1
    assert pack["ratings"]["events"] == 6
    assert pack["training"]["total_hours"] == "6.0"
    assert [s["start_date"] for s in pack["stationings"]] == ["2025-01-01"]
    assert pack["stationings"][0]["months_in_period"] == 12


@pytest.mark.parametrize(
    ("viewer", "masked"), [("admin_user", False), ("hr_user", False), ("liaison_a", True)]
)
def test_id_number_masked_unless_the_role_may_see_it(request, record_world, viewer, masked):
    person = record_world["person"]
    pack = build_pack(person, viewer=request.getfixturevalue(viewer), **PERIOD)
    shown = pack["identity"]["id_number"]
    assert pack["identity"]["id_masked"] is masked
    assert (shown == person.masked_id_number) is masked
    assert (shown == person.id_number) is not masked


def test_constant_queries_for_one_year_and_five_years(grow, record_world, hr_user):
    person = record_world["person"]
    grow(1)
    ran = assert_constant_queries(
        lambda: build_pack(person, viewer=hr_user, **PERIOD), lambda: grow(4), at_most=14
    )
    assert len(build_pack(person, viewer=hr_user, **PERIOD)["monthly_scores"]) == 10
    assert ran == count_queries(lambda: build_pack(person, viewer=hr_user, **PERIOD))


def test_default_period_is_evidence_years_back(settings):
    settings.PROMOTIONS = {**settings.PROMOTIONS, "EVIDENCE_YEARS": 5}
    assert default_period(date(2026, 11, 20)) == (date(2021, 11, 21), date(2026, 11, 20))
    assert default_period(date(2024, 2, 29)) == (date(2019, 3, 1), date(2024, 2, 29))


def test_pack_is_json_ready(record_world, admin_user):
    import json

    grow_pack = build_pack(record_world["person"], viewer=admin_user, **PERIOD)
    assert json.loads(json.dumps(grow_pack)) == grow_pack


# --- pages --------------------------------------------------------------------------------------


def test_evidence_page_shows_the_pack(grow, record_world, admin_user, as_user):
    from django.urls import reverse

    grow(1)
    person = record_world["person"]
    url = reverse("promotions:evidence", args=[person.pk])
    response = as_user(admin_user).get(url, {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number in html and "2025年度表现突出" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_evidence_page_reports_a_bad_period(record_world, admin_user, as_user):
    from django.urls import reverse

    url = reverse("promotions:evidence", args=[record_world["person"].pk])
    response = as_user(admin_user).get(url, {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.status_code == 400
    assert (
        "证据期间的截止日期不能早于开始日期" in response.content.decode()
        or response.context["form"].errors
    )


def test_liaison_sees_a_masked_id_on_the_page(record_world, liaison_a, as_user):
    from django.urls import reverse

    person = record_world["person"]
    response = as_user(liaison_a).get(reverse("promotions:evidence", args=[person.pk]))
    html = response.content.decode()
    assert person.masked_id_number in html and person.id_number not in html


def test_a_batch_shares_the_population_counts(grow, record_world, hr_user):
    grow(2)
    cache: dict = {}
    alone = count_queries(lambda: build_pack(record_world["colleague"], viewer=hr_user, **PERIOD))
    count_queries(lambda: build_pack(record_world["person"], viewer=hr_user, cache=cache, **PERIOD))
    shared = count_queries(
        lambda: build_pack(record_world["colleague"], viewer=hr_user, cache=cache, **PERIOD)
    )
    assert shared == alone - 2  # the period sizes and the department sizes
    with_cache = build_pack(record_world["colleague"], viewer=hr_user, cache=cache, **PERIOD)
    without = build_pack(record_world["colleague"], viewer=hr_user, **PERIOD)
    assert with_cache["monthly_scores"] == without["monthly_scores"]


def test_packs_of_many_people_in_constant_queries(grow, record_world, hr_user):
    from promotions.evidence.pack import build_packs
    from tests.factories import StaffFactory

    grow(1)
    people = [record_world["person"], record_world["colleague"]]
    few = count_cold_queries(lambda: build_packs(people, viewer=hr_user, **PERIOD))
    people += StaffFactory.create_batch(4, department=record_world["person"].department)
    assert count_cold_queries(lambda: build_packs(people, viewer=hr_user, **PERIOD)) == few
    packs = build_packs(people, viewer=hr_user, **PERIOD)
    assert [p["identity"]["id"] for p in packs] == [p.pk for p in people]
    alone = build_pack(record_world["person"], viewer=hr_user, **PERIOD)
    assert {**packs[0], "generated_at": ""} == {**alone, "generated_at": ""}
    assert packs[-1]["ratings"]["events"] == 0 and packs[-1]["training"]["total_hours"] == "0.0"


def test_the_pack_shows_dates_in_the_readers_format_and_writers_by_name(
    grow, record_world, admin_user
):
    """Dates stay ISO in the pack (JSON, frozen into snapshots) and read through the locale on
    the page; an appraisal's writer is a person and unit, never a login name (issue #20)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    grow(1)
    person = record_world["person"]
    pack = build_pack(person, viewer=admin_user, **PERIOD)
    (appraisal,) = pack["appraisals"]
    assert appraisal["written_by"] != admin_user.username
    assert appraisal["date"] == "2025-12-01"
    with translation.override("zh-hans"):
        html = render_to_string("promotions/_evidence_pack.html", {"pack": pack})
    assert "2025年12月1日" in html and "2025-12-01" not in html
    assert pack["generated_at"][:4] in html and pack["generated_at"] not in html
    assert f"· {appraisal['written_by']}" in html
