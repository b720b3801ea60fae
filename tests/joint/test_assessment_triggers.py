"""Suggested talks from assessment records: repeated deductions, a bad-rating streak, an appeal
upheld against the person. Each proposes only people with no talk since the event, and runs a
constant number of queries."""

from datetime import date, timedelta

import pytest

from assessments.models import AppealStatus, EntryStatus
from joint.models import TalkKind
from joint.triggers import (
    appeal_upheld,
    bad_rating_streak,
    reason_labels,
    repeated_deductions,
    suggested_talks,
)
from staff.models import StaffStatus
from tests.queries import count_queries

from ..assessments import rows
from .factories import StationingFactory, TalkFactory

TODAY = date(2026, 6, 30)


def person(department):
    stationing = StationingFactory(staff__department=department, start_date=date(2026, 1, 1))
    return stationing.staff, stationing.window


def found(trigger, departments=None, today=TODAY):
    return {(s.staff_id, s.since, s.kind) for s in trigger(departments, today)}


def test_registered_with_translated_labels():
    labels = reason_labels()
    assert labels["repeated_deductions"] == "多次被扣分"
    assert labels["bad_ratings"] == "连续两个月有差评"
    assert labels["appeal_upheld"] == "申诉被驳回（维持扣分）"


def test_repeated_deductions(dept_a, dept_b, settings):
    three, w = person(dept_a)
    for days in (1, 30, 89):
        rows.deduction(three, w, TODAY - timedelta(days=days))
    two, w2 = person(dept_a)  # the third is older than 90 days or cancelled
    rows.deduction(two, w2, TODAY - timedelta(days=1))
    rows.deduction(two, w2, TODAY - timedelta(days=2))
    rows.deduction(two, w2, TODAY - timedelta(days=90))
    rows.deduction(two, w2, TODAY - timedelta(days=3), status=EntryStatus.CANCELLED)
    talked, w3 = person(dept_a)
    for days in (5, 6, 7):
        rows.deduction(talked, w3, TODAY - timedelta(days=days))
    TalkFactory(staff=talked, date=TODAY - timedelta(days=5))  # on the latest: settled
    other, w4 = person(dept_b)
    for days in (1, 2, 3):
        rows.deduction(other, w4, TODAY - timedelta(days=days))

    assert found(repeated_deductions, frozenset({dept_a.pk})) == {
        (three.pk, TODAY - timedelta(days=1), TalkKind.AFTER_DEDUCTION)
    }
    assert other.pk in {s[0] for s in found(repeated_deductions)}
    settings.CENTER = {**settings.CENTER, "JOINT_TALK_AFTER_DEDUCTIONS": 2}
    assert two.pk in {s[0] for s in found(repeated_deductions, frozenset({dept_a.pk}))}
    # a new deduction after the talk raises it again
    rows.deduction(talked, w3, TODAY)
    assert (talked.pk, TODAY, TalkKind.AFTER_DEDUCTION) in found(repeated_deductions)


def test_bad_rating_streak(dept_a):
    streak, w = person(dept_a)  # May and June
    rows.bad_rating(streak, w, date(2026, 5, 20))
    rows.bad_rating(streak, w, date(2026, 6, 3), level="2")
    rows.bad_rating(streak, w, date(2026, 6, 9))
    earlier, w2 = person(dept_a)  # April and May: the later month is the last one, still counts
    rows.bad_rating(earlier, w2, date(2026, 4, 30))
    rows.bad_rating(earlier, w2, date(2026, 5, 2))
    gap, w3 = person(dept_a)  # April and June: not consecutive
    rows.bad_rating(gap, w3, date(2026, 4, 10))
    rows.bad_rating(gap, w3, date(2026, 6, 10))
    invalid, w4 = person(dept_a)  # May's rating was invalidated on appeal
    rows.bad_rating(invalid, w4, date(2026, 5, 10), invalid=True)
    rows.bad_rating(invalid, w4, date(2026, 6, 10))
    talked, w5 = person(dept_a)
    rows.bad_rating(talked, w5, date(2026, 5, 10))
    rows.bad_rating(talked, w5, date(2026, 6, 10))
    TalkFactory(staff=talked, date=date(2026, 6, 12))
    left, w6 = person(dept_a)
    rows.bad_rating(left, w6, date(2026, 5, 10))
    rows.bad_rating(left, w6, date(2026, 6, 10))
    left.status = StaffStatus.LEFT
    left.save()

    assert found(bad_rating_streak) == {
        (streak.pk, date(2026, 6, 3), TalkKind.ROUTINE),
        (earlier.pk, date(2026, 5, 2), TalkKind.ROUTINE),
    }
    # in August, the May–June streak is over
    assert found(bad_rating_streak, today=date(2026, 8, 1)) == set()


def test_appeal_upheld_against_them(dept_a):
    upheld, w = person(dept_a)
    rows.appeal(rows.deduction(upheld, w, date(2026, 6, 1)), AppealStatus.UPHELD, date(2026, 6, 5))
    old, w2 = person(dept_a)
    rows.appeal(rows.deduction(old, w2, date(2026, 5, 1)), AppealStatus.UPHELD, date(2026, 5, 31))
    cancelled, w3 = person(dept_a)
    rows.appeal(
        rows.deduction(cancelled, w3, date(2026, 6, 1), status=EntryStatus.CANCELLED),
        AppealStatus.CANCELLED,
        date(2026, 6, 5),
    )
    talked, w4 = person(dept_a)
    rows.appeal(rows.deduction(talked, w4, date(2026, 6, 1)), AppealStatus.UPHELD, date(2026, 6, 5))
    TalkFactory(staff=talked, date=date(2026, 6, 5))

    assert found(appeal_upheld) == {(upheld.pk, date(2026, 6, 5), TalkKind.AFTER_APPEAL)}
    assert found(appeal_upheld, today=date(2026, 7, 4)) == {
        (upheld.pk, date(2026, 6, 5), TalkKind.AFTER_APPEAL)
    }
    assert found(appeal_upheld, today=date(2026, 7, 5)) == set()  # 30 days have passed


@pytest.mark.parametrize("trigger", [repeated_deductions, bad_rating_streak, appeal_upheld])
def test_constant_queries(dept_a, trigger):
    def grow():
        for _ in range(3):
            staff, window = person(dept_a)
            for day in (date(2026, 5, 10), date(2026, 6, 1), date(2026, 6, 2)):
                rows.deduction(staff, window, day)
            rows.bad_rating(staff, window, date(2026, 5, 10))
            rows.bad_rating(staff, window, date(2026, 6, 10))
            rows.appeal(
                rows.deduction(staff, window, date(2026, 6, 3)),
                AppealStatus.UPHELD,
                date(2026, 6, 20),
            )

    grow()
    before = count_queries(lambda: trigger(frozenset({dept_a.pk}), TODAY))
    assert len(trigger(frozenset({dept_a.pk}), TODAY)) == 3
    grow()
    assert count_queries(lambda: trigger(frozenset({dept_a.pk}), TODAY)) == before == 2
    assert len(trigger(frozenset({dept_a.pk}), TODAY)) == 6
    assert {s.reason for s in suggested_talks(frozenset({dept_a.pk}), TODAY)} >= {
        "repeated_deductions",
        "bad_ratings",
        "appeal_upheld",
    }
