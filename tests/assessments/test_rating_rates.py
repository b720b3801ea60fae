"""The GB/T 39734 rates from the monthly rows (issue #18): a hand-computed example, the
unrated-as-satisfied setting at read time, the rows rebuilt from scratch equal to what the
services kept, scope, and the page's query count."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Rating, RatingMonth, Rectification
from assessments.rating_rates import defaulted_cutoff, rating_rates_for_user
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from core import system_clients
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def record(world, admin, ref, level, day=date(2026, 3, 2), **extra):
    return rating_record(
        actor=admin,
        event_ref=ref,
        window=world["window_a"],
        staff=world["me"],
        level=level,
        served_at=at(day),
        received_at=at(day, 11),
        **extra,
    )


@pytest.fixture
def march(world, admin_user):
    """Six events of March 2026 at window A01: 非常满意 (with the service item), 满意 (web),
    基本满意 given by the platform's default, 不满意 replied and rectified (satisfied after),
    非常不满意 invalidated on appeal, and one unrated (served the 20th)."""
    record(world, admin_user, "E1", "5", service_item=world["item_a"])
    record(world, admin_user, "E2", "4", channel="online")
    record(world, admin_user, "E3", "3", defaulted=True)
    case = record(world, admin_user, "E4", "2").rectification
    rectification_step(actor=admin_user, case=case, action="confirm")
    rectification_step(actor=admin_user, case=case, action="start", note="已致歉")
    rectification_step(
        actor=admin_user, case=case, action="finish", note="回访", satisfaction_after="4"
    )
    other = record(world, admin_user, "E5", "1").rectification
    rectification_step(actor=admin_user, case=other, action="appeal", note="恶意差评")
    rectification_step(actor=admin_user, case=other, action="invalidate", note="查实")
    record(world, admin_user, "E6", "", day=date(2026, 3, 20))


def test_hand_computed_rates(march, admin_user):
    (row,) = rating_rates_for_user(admin_user, group="month")
    assert row["label"] == "2026-03"
    assert (row["events"], row["rated"], row["good"], row["voluntary_good"], row["bad"]) == (
        6,
        5,
        3,
        2,
        2,
    )
    assert row["good_rate"] == 60.0  # 3 / 5
    assert row["voluntary_good_rate"] == 40.0  # 2 / 5: the default 基本满意 is not voluntary
    assert row["unrated_rate"] == 16.7  # 1 / 6
    assert row["bad_rate"] == 40.0  # 2 / 5
    assert row["reply_rate"] == 50.0  # 1 of 2 bad replied
    assert row["rectification_rate"] == 100.0  # 1 of (2 − 1 invalidated)
    assert row["satisfaction_after_rate"] == 100.0
    by_channel = {r["key"]: r for r in rating_rates_for_user(admin_user, group="channel")}
    assert by_channel["online"]["events"] == 1 and by_channel["onsite"]["events"] == 5
    by_item = {r["label"]: r for r in rating_rates_for_user(admin_user, group="service_item")}
    assert by_item["无服务事项"]["events"] == 5
    assert len(rating_rates_for_user(admin_user, group="window")) == 1
    assert rating_rates_for_user(admin_user, start=date(2026, 4, 1)) == []


def test_unrated_counts_as_satisfied_at_read_time(march, world, admin_user, settings):
    record(world, admin_user, "E7", "", day=date(2026, 3, 27))
    settings.ASSESSMENTS = {"UNRATED_SATISFIED_AFTER_WORKING_DAYS": 5}
    # 5 working days after Mon 23 March is Mon 30 March: on the 31st the 23rd and before count
    assert defaulted_cutoff(date(2026, 3, 31), 5) == date(2026, 3, 23)
    (row,) = rating_rates_for_user(admin_user, today=date(2026, 3, 31))
    assert row["defaulted"] == 1  # E6 (the 20th), not E7 (the 27th)
    assert row["good_rate"] == 66.7  # (3 + 1) / (5 + 1)
    assert row["voluntary_good_rate"] == 33.3  # 2 / 6
    assert row["unrated_rate"] == 28.6  # the citizen rated neither: 2 / 7
    (later,) = rating_rates_for_user(admin_user, today=date(2026, 6, 1))
    assert later["defaulted"] == 2 and later["good_rate"] == 71.4  # 5 / 7
    by_window = rating_rates_for_user(admin_user, group="window", today=date(2026, 3, 31))
    assert by_window[0]["defaulted"] == 1
    assert Rating.objects.filter(level="").count() == 2  # nothing stored changed


def test_rows_rebuilt_from_scratch_equal_the_kept_ones(march, world, admin_user):
    # the feed's updates and invalidations count too
    _client, raw = system_clients.client_create(
        actor=admin_user, name="平台", kind="rating", scopes=["ratings.push"]
    )
    body = {
        "case_number": "F1",
        "window": "A01",
        "level": "1",
        "channel": "短信",
        "served_at": "2026-02-10T09:00:00+08:00",
    }
    api = APIClient()
    auth = {"HTTP_AUTHORIZATION": f"Client {raw}"}
    for level in ("1", "4", "2", ""):
        api.post(
            "/api/v1/feeds/ratings/", {"ratings": [{**body, "level": level}]}, format="json", **auth
        )
    assert Rectification.objects.filter(rating__event_ref="F1").count() == 1

    def kept():
        keys = ("month", "window_id", "department_id", "service_item_id", "channel")
        return {
            tuple(r[k] for k in keys): {n: r[n] for n in RatingMonth.COUNTS if r[n]}
            for r in RatingMonth.objects.values(*keys, *RatingMonth.COUNTS)
            if any(r[n] for n in RatingMonth.COUNTS)
        }

    before = kept()
    call_command("rebuild_rating_months", "--check")  # exits 1 when they differ
    call_command("rebuild_rating_months")
    assert kept() == before
    assert sum(v.get("unrated", 0) for v in before.values()) == 2


def test_scope_page_and_api(march, world, admin_user, liaison_a, liaison_b, staff_user, as_user):
    assert rating_rates_for_user(liaison_b) == []
    assert rating_rates_for_user(liaison_a)[0]["events"] == 6
    assert rating_rates_for_user(staff_user) == []
    page = as_user(liaison_a).get("/ratings/rates/?group=department&from=2026-03&to=2026-03")
    assert page.status_code == 200 and "监管局" in page.content.decode()
    assert as_user(staff_user).get("/ratings/rates/").status_code == 403
    api = APIClient()
    api.force_login(admin_user)
    answer = api.get("/api/v1/rating-rates/?group=window")
    assert answer.status_code == 200 and answer.json()[0]["good_rate"] == 60.0
    api.force_login(staff_user)
    assert api.get("/api/v1/rating-rates/").status_code == 403


def test_rates_page_queries_do_not_grow(world, admin_user, as_user, settings):
    settings.ASSESSMENTS = {"UNRATED_SATISFIED_AFTER_WORKING_DAYS": 5}
    client = as_user(admin_user)
    counter = iter(range(1000))

    def grow():
        for month in (1, 2, 3):
            for level in ("5", "2", ""):
                record(world, admin_user, f"G{next(counter)}", level, day=date(2026, month, 9))

    grow()
    for group in ("month", "window", "channel"):
        assert_constant_queries(
            lambda g=group: client.get(f"/ratings/rates/?group={g}"), grow, at_most=12
        )


def test_a_call_back_after_the_rectification_counts_in_the_post_rectification_rate(
    march, world, admin_user
):
    """E4 was rectified with 满意 recorded; the center's call-back hears 不满意 from the citizen:
    the latest answer is the case's, the rate falls to 0 % and the kept rows still equal a
    rebuild. A call before the rectification is done changes nothing."""
    from assessments.services.rectification_extras import callback_record

    e4 = Rating.objects.get(event_ref="E4")
    callback_record(
        actor=admin_user,
        rating=e4,
        called_at=timezone.now(),
        reached=True,
        satisfaction_after="2",
    )
    assert Rectification.objects.get(rating=e4).satisfaction_after == "2"
    (row,) = rating_rates_for_user(admin_user, group="month")
    assert row["satisfaction_after_rate"] == 0.0
    call_command("rebuild_rating_months", "--check")

    open_case = record(world, admin_user, "E8", "1").rectification
    callback_record(
        actor=admin_user,
        rating=open_case.rating,
        called_at=timezone.now(),
        reached=True,
        satisfaction_after="5",
    )
    assert Rectification.objects.get(pk=open_case.pk).satisfaction_after == ""
    (row,) = rating_rates_for_user(admin_user, group="month")
    assert row["satisfaction_after_rate"] == 0.0
    call_command("rebuild_rating_months", "--check")
