"""Issue #16: the assessment rules on every path that could break them. An appeal decided after
its quarter and year closed recomputes both (scores, totals, suggested grade, the
three-excellent-years flag); the recorder of a deduction does not decide its appeal (service,
page — see test_pages — and API). The month lock is tested on PostgreSQL in
``test_month_lock.py``."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import AppealStatus, Grade, PeriodKind, Score
from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from assessments.services.scores import period_close, period_get_or_create
from assessments.services.totals import score_totals_rebuild
from promotions.eligibility import flags_for

from .test_live_ranks import assert_totals_exact

pytestmark = pytest.mark.django_db


def _deduct(world, actor, day=date(2026, 3, 10)):
    return entry_record(
        actor=actor,
        staff=world["me"],
        rule=world["rules"]["Q01"],
        date=day,
        window=world["window_a"],
        files=[_png()],
    )


def _png():
    from .helpers import png

    return png()


def _excellent_years(person, years):
    """Annual grades the home department decided in earlier years."""
    for year in years:
        period = period_get_or_create(kind=PeriodKind.YEAR, year=year)
        Score.objects.create(
            period=period,
            staff=person,
            department=person.department,
            total=D("99"),
            department_grade=Grade.EXCELLENT,
        )


def test_an_appeal_after_the_quarter_and_year_closed_recomputes_them(
    world, admin_user, second_admin, staff_user, fixed_today
):
    fixed_today(date(2026, 3, 20))
    entry = _deduct(world, admin_user)
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="材料摆放系群众临时放置")
    for month in range(1, 13):
        period_close(
            actor=admin_user, period=period_get_or_create(kind="month", year=2026, number=month)
        )
    quarter = period_close(
        actor=admin_user, period=period_get_or_create(kind="quarter", year=2026, number=1)
    )
    year = period_close(actor=admin_user, period=period_get_or_create(kind="year", year=2026))
    me = world["me"]
    _excellent_years(me, [2024, 2025])
    score_totals_rebuild()  # the earlier years' rows were written raw
    assert_totals_exact()
    before = Score.objects.get(period=year, staff=me)
    assert before.total < D("99") and before.suggested_grade == Grade.COMPETENT
    assert Score.objects.get(period=quarter, staff=me).total == D("95")  # (100 + 100 + 85) / 3
    assert not flags_for(me.pk).reserve_candidate

    appeal_decide(actor=second_admin, appeal=appeal, outcome=AppealStatus.CANCELLED, note="误记")

    assert Score.objects.get(period=quarter, staff=me).total == D("100")
    after = Score.objects.get(period=year, staff=me)
    assert after.total == D("100") and after.suggested_grade == Grade.EXCELLENT
    chief = Score.objects.get(period=year, staff=world["chief"])
    assert chief.total == D("100")  # the joint share followed, in the roll-up too
    flags = flags_for(me.pk)
    assert flags.reserve_candidate and flags.excellent_years == [2024, 2025, 2026]
    assert_totals_exact()  # the roll-ups' window and department totals too


def test_an_appeal_reaches_an_open_year_already_computed(
    world, admin_user, second_admin, staff_user, fixed_today
):
    from assessments.services.scores import score_recompute

    fixed_today(date(2026, 3, 20))
    entry = _deduct(world, admin_user)
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="材料摆放系群众临时放置")
    year = period_get_or_create(kind="year", year=2026)
    score_recompute(actor=admin_user, period=year)
    assert Score.objects.get(period=year, staff=world["me"]).total == D("85")
    appeal_decide(actor=second_admin, appeal=appeal, outcome=AppealStatus.CANCELLED, note="误记")
    assert Score.objects.get(period=year, staff=world["me"]).total == D("100")


def test_the_recorder_of_a_deduction_cannot_decide_its_appeal(
    world, admin_user, second_admin, staff_user, fixed_today, settings
):
    fixed_today(date(2026, 3, 20))
    entry = _deduct(world, admin_user)
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="材料摆放系群众临时放置")
    with pytest.raises(ValidationError):
        appeal_decide(actor=admin_user, appeal=appeal, outcome=AppealStatus.CANCELLED, note="撤")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    # through the API
    client = APIClient()
    client.force_authenticate(admin_user)
    url = reverse("appeal-decide", args=[appeal.pk])
    response = client.post(url, {"outcome": "cancelled", "note": "撤销"}, format="json")
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    client.force_authenticate(second_admin)
    assert client.post(url, {"outcome": "upheld", "note": "维持"}, format="json").status_code == 200


def test_the_recorder_rule_is_a_setting(world, admin_user, staff_user, fixed_today, settings):
    settings.ASSESSMENTS = {"APPEAL_RECORDER_MAY_NOT_DECIDE": False}
    fixed_today(date(2026, 3, 20))
    entry = _deduct(world, admin_user)
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="材料摆放系群众临时放置")
    done = appeal_decide(actor=admin_user, appeal=appeal, outcome=AppealStatus.UPHELD, note="维持")
    assert done.status == AppealStatus.UPHELD
