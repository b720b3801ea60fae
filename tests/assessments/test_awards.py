"""Awards: service stars from full marks within the quota; red-flag windows by the formula."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Award, AwardKind
from assessments.services.awards import awards_select, window_input_set
from assessments.services.entries import entry_record
from assessments.services.scores import period_close, period_for_date


@pytest.fixture
def closed_march(world, admin_user, fixed_today):
    fixed_today(date(2026, 4, 2))
    rules = world["rules"]
    entry_record(
        actor=admin_user, staff=world["person_a"], rule=rules["D01"], date=date(2026, 3, 3)
    )
    from .helpers import png

    entry_record(
        actor=admin_user, staff=world["me"], rule=rules["B01"], date=date(2026, 3, 4), files=[png()]
    )
    return period_for_date(date(2026, 3, 1))


def test_awards_need_a_closed_period_and_the_permission(world, admin_user, liaison_a, closed_march):
    with pytest.raises(ValidationError):
        awards_select(actor=admin_user, period=closed_march, kind=AwardKind.SERVICE_STAR)
    period_close(actor=admin_user, period=closed_march)
    with pytest.raises(PermissionDenied):
        awards_select(actor=liaison_a, period=closed_march, kind=AwardKind.SERVICE_STAR)


def test_service_stars_are_full_marks_best_first(world, admin_user, closed_march):
    period_close(actor=admin_user, period=closed_march)
    stars = awards_select(
        actor=admin_user, period=closed_march, kind=AwardKind.SERVICE_STAR, quota=2
    )
    assert [a.staff_id for a in stars] == [world["me"].pk, stars[1].staff_id]
    assert world["person_a"].pk not in {a.staff_id for a in stars}  # had a deduction
    assert stars[0].score == Decimal("101")
    # Choosing again replaces, never duplicates.
    awards_select(actor=admin_user, period=closed_march, kind=AwardKind.SERVICE_STAR, quota=1)
    assert Award.objects.filter(kind=AwardKind.SERVICE_STAR).count() == 1


def test_red_flag_formula(world, admin_user, closed_march):
    window_input_set(
        actor=admin_user,
        period=closed_march,
        window=world["window_a"],
        efficiency=Decimal("80"),
        duty_votes=10,
        public_votes=50,
    )
    window_input_set(
        actor=admin_user,
        period=closed_march,
        window=world["window_b"],
        efficiency=Decimal("90"),
        duty_votes=20,
        public_votes=100,
    )
    period_close(actor=admin_user, period=closed_march)
    flags = awards_select(actor=admin_user, period=closed_march, kind=AwardKind.RED_FLAG)
    assert [a.window_id for a in flags] == [world["window_b"].pk, world["window_a"].pk]
    # B: 0.3×90 + 0.3×100 + 0.2×100 + 0.2×100 = 97; A: staff average (99+101+100)/3 = 100 →
    # 0.3×80 + 0.3×100 + 0.2×50 + 0.2×50 = 74
    assert [a.score for a in flags] == [Decimal("97"), Decimal("74")]
    assert flags[1].components["staff_scores"] == "100.00"


# --- issue #18: the efficiency input computed from workload --------------------------------


def test_red_flag_efficiency_from_workload_unless_overridden(world, admin_user, closed_march):
    """Both windows have no hall area (one group). March: A earns 30 points, B 60, so A's
    efficiency is 100 × 30 ÷ 60 = 50 and B's 100, whatever was typed; marked as an override,
    A's typed 80 counts."""
    from assessments.selectors import window_input_rows
    from workload.services.records import Row, write_rows

    a, b = world["window_a"], world["window_b"]
    for window, efficiency in ((a, "80"), (b, "10")):
        window_input_set(
            actor=admin_user,
            period=closed_march,
            window=window,
            efficiency=Decimal(efficiency),
            duty_votes=0,
            public_votes=0,
        )
    write_rows(
        [
            Row(world["me"].pk, a.pk, None, date(2026, 3, 10), "cases", 30),
            Row(world["person_b"].pk, b.pk, None, date(2026, 3, 10), "cases", 60),
        ],
        client=None,
    )
    rows = {r["window_id"]: r for r in window_input_rows(admin_user, closed_march)}
    assert rows[a.pk]["components"]["efficiency"] == "50.00"
    assert rows[b.pk]["components"]["efficiency"] == "100.00"
    assert rows[a.pk]["efficiency_source"] == "workload"
    window_input_set(
        actor=admin_user,
        period=closed_march,
        window=a,
        efficiency=Decimal("80"),
        duty_votes=0,
        public_votes=0,
        efficiency_override=True,
    )
    rows = {r["window_id"]: r for r in window_input_rows(admin_user, closed_march)}
    assert rows[a.pk]["components"]["efficiency"] == "80.00"
    assert rows[a.pk]["efficiency_source"] == "typed"
    assert rows[a.pk]["computed_efficiency"] == Decimal("50.00")
    period_close(actor=admin_user, period=closed_march)
    flags = awards_select(actor=admin_user, period=closed_march, kind=AwardKind.RED_FLAG)
    by_window = {f.window_id: f for f in flags}
    assert by_window[b.pk].components["efficiency"] == "100.00"


def test_rankings_and_board_show_workload_points(world, admin_user, closed_march):
    from django.urls import reverse

    from tests.conftest import client_for
    from workload.services.records import Row, write_rows

    write_rows(
        [Row(world["me"].pk, world["window_a"].pk, None, date(2026, 3, 10), "cases", 30)],
        client=None,
    )
    client = client_for(admin_user)
    for name in ("assessments:rankings", "assessments:board"):
        page = client.get(reverse(name), {"period": closed_march.pk})
        rows = {s.staff_id: s.workload_points for s in page.context["page"].object_list}
        assert rows[world["me"].pk] == Decimal("30.00")
        assert rows[world["person_a"].pk] is None
        assert 'data-testid="workload-points">30.00</td>' in page.content.decode(), name
