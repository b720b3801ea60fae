"""The score formula: 100 − deductions + min(bonus, cap), joint liability, recomputation after an
appeal (also in a closed period), period freeze, rankings and the annual roll-up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import AppealStatus, Entry, EntryStatus, PeriodKind, Score
from assessments.selectors import with_ranks
from assessments.services.appeals import appeal_decide, appeal_submit, appeal_withdraw
from assessments.services.entries import entry_record
from assessments.services.scores import (
    department_grade_record,
    period_close,
    period_for_date,
    period_get_or_create,
    review_score_set,
    score_recompute,
)
from notifications.models import Notification
from notifications.relay import deliver_pending

from .helpers import png

D = Decimal


@pytest.fixture
def march(world, fixed_today):
    fixed_today(date(2026, 4, 2))
    return period_for_date(date(2026, 3, 1))


def score_of(period, person) -> Score:
    """The score with the ranks a reader sees (computed when read in an open period)."""
    return with_ranks([Score.objects.get(period=period, staff=person)])[0]


def record(world, code, person="me", **kwargs):
    rule = world["rules"][code]
    if rule.evidence_required and "files" not in kwargs:
        kwargs["files"] = [png()]
    kwargs.setdefault("date", date(2026, 3, 10))
    return entry_record(actor=world["admin"], staff=world[person], rule=rule, **kwargs)


def test_formula_caps_the_bonus_but_not_deductions(world, march):
    record(world, "D03", quantity=3)  # absent three half days: −15
    record(world, "B02", quantity=2)  # +4
    record(world, "B01", quantity=3)  # +3 → bonus earned 7, counted 5
    s = score_of(march, world["me"])
    assert (s.deductions, s.bonus_raw, s.bonus, s.total) == (D("15"), D("7"), D("5"), D("90"))
    assert s.entry_count == 3
    # Deductions have no floor.
    record(world, "Q01", quantity=8)
    assert score_of(march, world["me"]).total == D("-30")  # 90 − 8 × 15


def test_people_without_entries_have_full_marks_and_rankings(world, march):
    record(world, "D01")  # −1 for me
    record(world, "D02", person="person_b")  # −2 in department B
    a, me, b, chief = (score_of(march, world[k]) for k in ("person_a", "me", "person_b", "chief"))
    assert a.total == chief.total == D("100")
    assert (a.rank_center, chief.rank_center, me.rank_center, b.rank_center) == (1, 1, 3, 4)
    assert (me.rank_department, b.rank_department) == (3, 1)
    assert me.window == world["window_a"]


def test_joint_liability_passes_half_to_the_chief(world, march):
    entry = record(world, "Q01", window=world["window_a"])
    share = Entry.objects.get(joint_parent=entry)
    assert share.staff == world["chief"]
    assert (entry.points, share.points, share.joint_share) == (D("15"), D("7.5"), D("0.5"))
    assert score_of(march, world["me"]).total == D("85")
    assert score_of(march, world["chief"]).total == D("92.5")


def test_joint_liability_needs_a_chief_on_that_date(world, march):
    from windows.models import Stationing

    Stationing.objects.filter(staff=world["chief"]).update(start_date=date(2026, 3, 20))
    entry = record(world, "Q01", window=world["window_a"])
    assert not entry.joint_shares.exists()


def test_evidence_required_and_limited(world, march):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as missing:
        record(world, "Q01", files=[])
    assert "files" in missing.value.error_dict
    fake = SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        record(world, "Q01", files=[fake])
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        record(world, "Q01", files=[exe])
    assert not Entry.objects.exists()


def test_scores_are_reproducible_from_entries(world, march, admin_user):
    record(world, "D03", quantity=2)
    record(world, "B01")
    before = [
        (s.staff_id, s.total, s.rank_center)
        for s in with_ranks(list(Score.objects.order_by("staff_id")))
    ]
    Score.objects.all().delete()
    score_recompute(actor=admin_user, period=march)
    after = list(Score.objects.order_by("staff_id").values_list("staff_id", "total", "rank_center"))
    assert before == after


def test_closed_period_is_frozen(world, march, admin_user):
    record(world, "D01")
    period_close(actor=admin_user, period=march)
    march.refresh_from_db()
    assert march.is_closed and march.closed_by == admin_user
    with pytest.raises(ValidationError):
        record(world, "D01", date=date(2026, 3, 11))
    with pytest.raises(ValidationError):
        score_recompute(actor=admin_user, period=march)
    with pytest.raises(ValidationError):
        period_close(actor=admin_user, period=march)
    closing = LogEntry.objects.get(
        content_type__model="period", object_pk=str(march.pk), action=LogEntry.Action.UPDATE
    )
    assert closing.actor == admin_user and closing.changes_dict["status"] == ["open", "closed"]


def test_appeal_reduces_and_recomputes_even_in_a_closed_period(
    world, march, admin_user, second_admin, staff_user, django_capture_on_commit_callbacks
):
    entry = record(world, "Q01", window=world["window_a"])
    period_close(actor=admin_user, period=march)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        appeal = appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障，非本人原因")
    assert len(callbacks) == 1  # e-mail queued after the commit…
    notice = Notification.objects.get(kind="assessment.appeal_submitted", recipient=admin_user)
    assert notice.recipient == admin_user and notice.link.endswith(f"/appeals/{appeal.pk}/decide/")
    deliver_pending()  # …and sent from the row by the relay
    assert mail.outbox[-1].to == ["admin@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appeal_decide(
            actor=second_admin,
            appeal=appeal,
            outcome=AppealStatus.REDUCED,
            note="情节较轻",
            points_after=D("6"),
        )
    decided = Notification.objects.get(kind="assessment.appeal_decided")
    assert decided.recipient == staff_user and "减轻扣分" in decided.title + decided.body
    assert admin_user.username not in decided.title + decided.body  # not who decided
    deliver_pending()
    assert mail.outbox[-1].to == ["window@example.org"]
    assert appeal.status == AppealStatus.REDUCED and appeal.points_before == D("15")
    assert score_of(march, world["me"]).total == D("94")
    assert score_of(march, world["chief"]).total == D("97")  # the share follows: 3
    entry.refresh_from_db()
    assert (entry.points, entry.original_points) == (D("6"), D("15"))
    log = LogEntry.objects.filter(additional_data__bulk="recompute").order_by("-id").first()
    assert f"#{appeal.pk}" in log.additional_data["reason"]


def test_cancelled_entry_no_longer_counts(world, march, second_admin, staff_user):
    entry = record(world, "Q01", window=world["window_a"])
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="误记，当天我休假")
    appeal_decide(
        actor=second_admin, appeal=appeal, outcome=AppealStatus.CANCELLED, note="核实误记"
    )
    assert score_of(march, world["me"]).total == D("100")
    assert score_of(march, world["chief"]).total == D("100")
    assert set(Entry.objects.values_list("status", flat=True)) == {EntryStatus.CANCELLED}


def test_appeal_rules(world, march, second_admin, staff_user, liaison_a, fixed_today):
    entry = record(world, "D01")
    other = record(world, "D01", person="person_a")
    with pytest.raises(PermissionDenied):
        appeal_submit(actor=staff_user, entry=other, reason="不是我的扣分记录")
    with pytest.raises(PermissionDenied):
        appeal_submit(actor=liaison_a, entry=entry, reason="代为申诉的理由")
    with pytest.raises(ValidationError):
        appeal_submit(actor=staff_user, entry=entry, reason="短")
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障，非本人原因")
    with pytest.raises(ValidationError):
        appeal_submit(actor=staff_user, entry=entry, reason="再次申诉同一条记录")
    with pytest.raises(PermissionDenied):
        appeal_decide(actor=staff_user, appeal=appeal, outcome=AppealStatus.CANCELLED, note="x")
    with pytest.raises(ValidationError):
        appeal_decide(
            actor=second_admin,
            appeal=appeal,
            outcome=AppealStatus.REDUCED,
            note="x",
            points_after=D("5"),
        )
    appeal_withdraw(actor=staff_user, appeal=appeal)
    with pytest.raises(ValidationError):
        appeal_decide(actor=second_admin, appeal=appeal, outcome=AppealStatus.UPHELD, note="x")
    late = record(world, "D02")
    fixed_today(late.appeal_deadline + timedelta(days=1))
    with pytest.raises(ValidationError):
        appeal_submit(actor=staff_user, entry=late, reason="超过申诉期限的申诉")


def test_annual_rollup_weights_review_and_grades(world, admin_user, fixed_today):
    fixed_today(date(2027, 1, 5))
    for month in range(1, 13):
        day = date(2026, month, 5)
        if month <= 6:
            entry_record(
                actor=admin_user, staff=world["person_a"], rule=world["rules"]["D02"], date=day
            )
        period_close(actor=admin_user, period=period_for_date(day))
    year = period_get_or_create(kind=PeriodKind.YEAR, year=2026)
    assert (year.monthly_weight, year.review_weight) == (D("0.8"), D("0.2"))
    score_recompute(actor=admin_user, period=year)
    a = score_of(year, world["person_a"])
    assert a.monthly_average == D("99") and a.total == D("99")  # no review yet
    a = review_score_set(actor=admin_user, score=a, value=D("90"))
    assert a.total == D("97.2")  # 0.8 × 99 + 0.2 × 90
    me = score_of(year, world["me"])
    assert me.total == D("100") and me.rank_center == 1
    assert a.suggested_grade == "excellent" or a.suggested_grade == "competent"
    graded = department_grade_record(actor=admin_user, score=me, grade="excellent")
    assert graded.department_grade == "excellent" and graded.suggested_grade in {
        "excellent",
        "competent",
    }
    quarter = period_get_or_create(kind=PeriodKind.QUARTER, year=2026, number=1)
    score_recompute(actor=admin_user, period=quarter)
    assert score_of(quarter, world["person_a"]).total == D("98")
