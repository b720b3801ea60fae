"""A window last in its group (hall area) two months running: suggested for a warning talk (约谈)
with its chief representative (or, without one, everyone stationed there), refreshed when a
month closes and by the daily sweep, listed for the center. Two groups of windows (and one
window alone, never last), three months."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import PeriodKind, WindowAssessment, WindowGroupPlace
from assessments.services.scores import period_close, period_get_or_create, score_recompute
from joint.models import SuggestedTalk, TalkKind
from joint.tasks import suggestions_sweep
from windows.models import Post, Stationing

from ..assessments.factories import StationingFactory, WindowFactory
from ..conftest import client_for
from ..factories import StaffFactory
from ..joint.factories import TalkFactory
from ..queries import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)

# efficiency per window per month (the formula's only difference here: every person has 100)
EFFICIENCY = {
    # group 一区: W2 last in October and November
    "W1": {9: 50, 10: 90, 11: 90},
    "W2": {9: 80, 10: 40, 11: 40},
    "W3": {9: 70, 10: 60, 11: 60},
    # group 二区: the last alternates (W4 in October, W5 in November): nobody twice running
    "W4": {9: 80, 10: 30, 11: 90},
    "W5": {9: 90, 10: 90, 11: 30},
    # alone in 三区 with the lowest scores of all: a group of one has no last
    "W6": {9: 0, 10: 0, 11: 0},
}
AREAS = {"W1": "一区", "W2": "一区", "W3": "一区", "W4": "二区", "W5": "二区", "W6": "三区"}


@pytest.fixture
def hall_groups(dept_a, admin_user, monkeypatch):
    from assessments.models import AssessmentRule
    from assessments.rules_seed import load

    load(AssessmentRule)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    windows, people = {}, {}
    for code, area in AREAS.items():
        windows[code] = WindowFactory(
            code=code, name=f"窗口{code}", hall_area=area, department=dept_a
        )
        people[code] = [StaffFactory(department=dept_a, name=f"{code}人员{i}") for i in (1, 2)]
        for person in people[code]:
            StationingFactory(staff=person, window=windows[code], start_date=date(2024, 1, 1))
    chief = StaffFactory(department=dept_a, name="W2首席")
    StationingFactory(
        staff=chief,
        window=windows["W2"],
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=date(2024, 1, 1),
    )
    periods = {}
    for month in (9, 10, 11):
        period = period_get_or_create(kind=PeriodKind.MONTH, year=2026, number=month)
        periods[month] = period
        for code, window in windows.items():
            WindowAssessment.objects.create(
                period=period, window=window, efficiency=Decimal(EFFICIENCY[code][month])
            )
    return {"windows": windows, "people": people, "chief": chief, "periods": periods}


def _suggested():
    return set(
        SuggestedTalk.objects.filter(reason="last_in_group").values_list("staff__name", "kind")
    )


def _close(hall_groups, admin_user, *months):
    for month in months:
        period_close(actor=admin_user, period=hall_groups["periods"][month])


def test_last_per_group_and_month(hall_groups, admin_user):
    _close(hall_groups, admin_user, 9, 10, 11)
    last = {
        (p.month.month, p.window.code) for p in WindowGroupPlace.objects.select_related("window")
    }
    assert last == {
        (9, "W1"), (9, "W4"),
        (10, "W2"), (10, "W4"),
        (11, "W2"), (11, "W5"),
    }  # fmt: skip
    assert not WindowGroupPlace.objects.filter(window__code="W6").exists()


def test_two_months_running_suggests_a_warning_talk_with_the_chief(hall_groups, admin_user):
    _close(hall_groups, admin_user, 9, 10)
    assert _suggested() == set()  # W2 last in October only (W1 in September)
    _close(hall_groups, admin_user, 11)  # the close refreshes the suggestions
    assert _suggested() == {("W2首席", TalkKind.WARNING)}
    row = SuggestedTalk.objects.get(reason="last_in_group")
    assert row.since == date(2026, 11, 1) and row.until == date(2026, 12, 31)
    # a talk held since settles it
    TalkFactory(staff=hall_groups["chief"], date=date(2026, 12, 1))
    suggestions_sweep()
    assert _suggested() == set()


def test_without_a_chief_everyone_stationed_there(hall_groups, admin_user):
    Stationing.objects.filter(staff=hall_groups["chief"]).update(end_date=date(2026, 11, 30))
    _close(hall_groups, admin_user, 9, 10, 11)
    assert _suggested() == {("W2人员1", TalkKind.WARNING), ("W2人员2", TalkKind.WARNING)}


def test_the_daily_sweep_follows_an_open_month(hall_groups, admin_user):
    _close(hall_groups, admin_user, 9, 10)  # November still open, its scores kept live
    score_recompute(actor=admin_user, period=hall_groups["periods"][11])
    suggestions_sweep()
    assert _suggested() == {("W2首席", TalkKind.WARNING)}
    # November's figures change: W2 is no longer last; the next sweep withdraws the suggestion
    WindowAssessment.objects.filter(
        period=hall_groups["periods"][11], window=hall_groups["windows"]["W2"]
    ).update(efficiency=Decimal(95))
    suggestions_sweep()
    assert _suggested() == set()
    assert WindowGroupPlace.objects.filter(month=date(2026, 11, 1), window__code="W3").exists()


def test_the_center_list(hall_groups, admin_user):
    _close(hall_groups, admin_user, 9, 10, 11)
    browser = client_for(admin_user)
    center = browser.get(reverse("joint:center"))
    assert reverse("joint:group_last") in center.content.decode()
    page = browser.get(reverse("joint:group_last") + "?month=2026-11")
    assert page.status_code == 200
    rows = [(r["place"].window.code, r["running"]) for r in page.context["rows"]]
    assert sorted(rows) == [("W2", True), ("W5", False)]
    october = browser.get(reverse("joint:group_last") + "?month=2026-10")
    assert sorted(r["place"].window.code for r in october.context["rows"]) == ["W2", "W4"]


def test_the_center_list_queries_do_not_grow(hall_groups, admin_user, dept_a):
    _close(hall_groups, admin_user, 9, 10, 11)
    browser = client_for(admin_user)
    url = reverse("joint:group_last") + "?month=2026-11"
    november = hall_groups["periods"][11]
    counter = iter(range(10, 99))

    def grow():
        for _ in range(3):
            n = next(counter)
            window = WindowFactory(code=f"X{n}", hall_area=f"区{n}", department=dept_a)
            WindowGroupPlace.objects.create(
                period=november, month=november.start_date, window=window,
                group=f"区{n}", score=Decimal(1), group_size=2,
            )  # fmt: skip

    assert_constant_queries(lambda: browser.get(url), grow, at_most=20)
