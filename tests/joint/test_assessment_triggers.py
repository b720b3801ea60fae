"""Suggested talks from assessment records: repeated deductions, a bad-rating streak, an appeal
upheld against the person. Each proposes only people with no talk since the event, and runs a
constant number of queries; the rows built from them show the same, and stop showing on the
day the rule says, without a write."""

from datetime import date, timedelta

import pytest

from assessments.models import AppealStatus, EntryStatus
from joint.builtin_triggers import appeal_upheld, bad_rating_streak, repeated_deductions
from joint.models import TalkKind
from joint.selectors import current_suggestions
from joint.suggestions import suggestion_rebuild
from joint.triggers import reason_labels
from staff.models import StaffStatus
from tests.queries import count_queries

from ..assessments import rows as rows_
from .factories import StationingFactory, TalkFactory

TODAY = date(2026, 6, 30)


def person(department):
    stationing = StationingFactory(staff__department=department, start_date=date(2026, 1, 1))
    return stationing.staff, stationing.window


def found(trigger, department=None, today=TODAY):
    """What ``trigger`` proposes on ``today`` (for ``department``'s people), computed, and the
    same read from the rows rebuilt that day."""
    ids = None if department is None else frozenset(department.staff.values_list("pk", flat=True))
    computed = {(s.staff_id, s.since, s.kind) for s in trigger(ids, today)}
    suggestion_rebuild(today=today)
    assert computed == rows(trigger, department, today)
    return computed


REASON = {
    repeated_deductions: "repeated_deductions",
    bad_rating_streak: "bad_ratings",
    appeal_upheld: "appeal_upheld",
}


def rows(trigger, department=None, today=TODAY):
    """The rows of ``trigger``'s reason shown on ``today``, as they are (no rebuild)."""
    qs = current_suggestions(today).filter(reason=REASON[trigger])
    if department is not None:
        qs = qs.filter(staff__department=department)
    return {(r.staff_id, r.since, r.kind) for r in qs}


def test_registered_with_translated_labels():
    labels = reason_labels()
    assert labels["repeated_deductions"] == "多次被扣分"
    assert labels["bad_ratings"] == "连续两个月有差评"
    assert labels["appeal_upheld"] == "申诉被驳回（维持扣分）"


def test_repeated_deductions(dept_a, dept_b, settings):
    three, w = person(dept_a)
    for days in (1, 30, 89):
        rows_.deduction(three, w, TODAY - timedelta(days=days))
    two, w2 = person(dept_a)  # the third is older than 90 days or cancelled
    rows_.deduction(two, w2, TODAY - timedelta(days=1))
    rows_.deduction(two, w2, TODAY - timedelta(days=2))
    rows_.deduction(two, w2, TODAY - timedelta(days=90))
    rows_.deduction(two, w2, TODAY - timedelta(days=3), status=EntryStatus.CANCELLED)
    talked, w3 = person(dept_a)
    for days in (5, 6, 7):
        rows_.deduction(talked, w3, TODAY - timedelta(days=days))
    TalkFactory(staff=talked, date=TODAY - timedelta(days=5))  # on the latest: settled
    other, w4 = person(dept_b)
    for days in (1, 2, 3):
        rows_.deduction(other, w4, TODAY - timedelta(days=days))

    assert found(repeated_deductions, dept_a) == {
        (three.pk, TODAY - timedelta(days=1), TalkKind.AFTER_DEDUCTION)
    }
    assert other.pk in {s[0] for s in found(repeated_deductions)}
    settings.CENTER = {**settings.CENTER, "JOINT_TALK_AFTER_DEDUCTIONS": 2}
    assert two.pk in {s[0] for s in found(repeated_deductions, dept_a)}
    # a new deduction after the talk raises it again
    rows_.deduction(talked, w3, TODAY)
    assert (talked.pk, TODAY, TalkKind.AFTER_DEDUCTION) in found(repeated_deductions)


def test_bad_rating_streak(dept_a):
    streak, w = person(dept_a)  # May and June
    rows_.bad_rating(streak, w, date(2026, 5, 20))
    rows_.bad_rating(streak, w, date(2026, 6, 3), level="2")
    rows_.bad_rating(streak, w, date(2026, 6, 9))
    earlier, w2 = person(dept_a)  # April and May: the later month is the last one, still counts
    rows_.bad_rating(earlier, w2, date(2026, 4, 30))
    rows_.bad_rating(earlier, w2, date(2026, 5, 2))
    gap, w3 = person(dept_a)  # April and June: not consecutive
    rows_.bad_rating(gap, w3, date(2026, 4, 10))
    rows_.bad_rating(gap, w3, date(2026, 6, 10))
    invalid, w4 = person(dept_a)  # May's rating was invalidated on appeal
    rows_.bad_rating(invalid, w4, date(2026, 5, 10), invalid=True)
    rows_.bad_rating(invalid, w4, date(2026, 6, 10))
    talked, w5 = person(dept_a)
    rows_.bad_rating(talked, w5, date(2026, 5, 10))
    rows_.bad_rating(talked, w5, date(2026, 6, 10))
    TalkFactory(staff=talked, date=date(2026, 6, 12))
    left, w6 = person(dept_a)
    rows_.bad_rating(left, w6, date(2026, 5, 10))
    rows_.bad_rating(left, w6, date(2026, 6, 10))
    left.status = StaffStatus.LEFT
    left.save()

    assert found(bad_rating_streak) == {
        (streak.pk, date(2026, 6, 3), TalkKind.ROUTINE),
        (earlier.pk, date(2026, 5, 2), TalkKind.ROUTINE),
    }
    # the rows built on June 30 still show on July 31, and not in August: the streak is over
    assert {s[0] for s in rows(bad_rating_streak, today=date(2026, 7, 31))} == {streak.pk}
    assert rows(bad_rating_streak, today=date(2026, 8, 1)) == set()
    assert found(bad_rating_streak, today=date(2026, 8, 1)) == set()


def test_appeal_upheld_against_them(dept_a):
    upheld, w = person(dept_a)
    rows_.appeal(
        rows_.deduction(upheld, w, date(2026, 6, 1)), AppealStatus.UPHELD, date(2026, 6, 5)
    )
    old, w2 = person(dept_a)
    rows_.appeal(rows_.deduction(old, w2, date(2026, 5, 1)), AppealStatus.UPHELD, date(2026, 5, 31))
    cancelled, w3 = person(dept_a)
    rows_.appeal(
        rows_.deduction(cancelled, w3, date(2026, 6, 1), status=EntryStatus.CANCELLED),
        AppealStatus.CANCELLED,
        date(2026, 6, 5),
    )
    talked, w4 = person(dept_a)
    rows_.appeal(
        rows_.deduction(talked, w4, date(2026, 6, 1)), AppealStatus.UPHELD, date(2026, 6, 5)
    )
    TalkFactory(staff=talked, date=date(2026, 6, 5))

    assert found(appeal_upheld) == {(upheld.pk, date(2026, 6, 5), TalkKind.AFTER_APPEAL)}
    # the rows built on June 30: shown up to July 4, not on July 5
    assert rows(appeal_upheld, today=date(2026, 7, 4)) == {
        (upheld.pk, date(2026, 6, 5), TalkKind.AFTER_APPEAL)
    }
    assert rows(appeal_upheld, today=date(2026, 7, 5)) == set()
    assert found(appeal_upheld, today=date(2026, 7, 4)) == {
        (upheld.pk, date(2026, 6, 5), TalkKind.AFTER_APPEAL)
    }
    assert found(appeal_upheld, today=date(2026, 7, 5)) == set()  # 30 days have passed


@pytest.mark.parametrize(
    ("trigger", "queries"), [(repeated_deductions, 3), (bad_rating_streak, 2), (appeal_upheld, 2)]
)
def test_constant_queries(dept_a, trigger, queries):
    def grow():
        for _ in range(3):
            staff, window = person(dept_a)
            for day in (date(2026, 5, 10), date(2026, 6, 1), date(2026, 6, 2)):
                rows_.deduction(staff, window, day)
            rows_.bad_rating(staff, window, date(2026, 5, 10))
            rows_.bad_rating(staff, window, date(2026, 6, 10))
            rows_.appeal(
                rows_.deduction(staff, window, date(2026, 6, 3)),
                AppealStatus.UPHELD,
                date(2026, 6, 20),
            )

    grow()
    before = count_queries(lambda: trigger(None, TODAY))
    assert len(trigger(None, TODAY)) == 3
    grow()
    assert count_queries(lambda: trigger(None, TODAY)) == before == queries
    assert len(trigger(None, TODAY)) == 6
    suggestion_rebuild(today=TODAY)
    assert {r.reason for r in current_suggestions(TODAY).filter(staff__department=dept_a)} >= {
        "repeated_deductions",
        "bad_ratings",
        "appeal_upheld",
    }
