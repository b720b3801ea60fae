"""Issue #20: an assessment notice reads in its recipient's language wherever it is shown (the
notification center, the API, the e-mail), whatever language the actor used; choice labels in it
are translated when shown, not frozen in the actor's language."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from notifications.models import Notification
from tests.notifications.shown import assert_reads

from .helpers import png


@pytest.fixture
def march(world, fixed_today):
    fixed_today(date(2026, 3, 12))


def deduction(world):
    with translation.override("zh-hans"):  # the center's administrator works in Chinese
        return entry_record(
            actor=world["admin"],
            staff=world["me"],
            rule=world["rules"]["Q01"],
            date=date(2026, 3, 10),
            files=[png()],
            window=world["window_a"],
        )


@pytest.mark.parametrize(
    ("language", "says", "never"),
    [
        ("en", ["points deducted on 10 March 2026", "under rule Q01", "appeal"], ["考核通知"]),
        ("zh-hans", ["考核通知：2026年3月10日 扣", "Q01", "申诉"], ["points deducted", "appeal"]),
    ],
)
def test_deduction_notice_reads_in_the_recipients_language(
    world, march, staff_user, language, says, never
):
    staff_user.language = language
    staff_user.save()
    entry = deduction(world)
    row = Notification.objects.get(recipient=staff_user, subject_id=entry.pk)
    assert row.kind == "assessment.deduction_recorded"
    assert_reads(staff_user, row, says=says, never=never)


def test_a_notice_follows_a_later_change_of_language(world, march, staff_user):
    entry = deduction(world)
    row = Notification.objects.get(recipient=staff_user, subject_id=entry.pk)
    assert row.title.startswith("考核通知")  # the stored fallback, in the language of the day
    staff_user.language = "en"
    staff_user.save()
    assert_reads(staff_user, row, says=["points deducted on 10 March 2026"], never=["考核通知"])
    row.refresh_from_db()
    assert row.title.startswith("考核通知")  # showing it changed nothing stored


def test_a_rating_level_is_translated_when_shown_not_when_recorded(world, staff_user, liaison_a):
    """The rating feed's actor works in English; the rated person reads Chinese: the level is
    stored as its msgid, so the Chinese text says 不满意, not "Dissatisfied (不满意)"."""
    liaison_a.email = "liaison@example.org"
    liaison_a.language = "en"  # the department's liaison reads English
    liaison_a.save()
    with translation.override("en"):
        rating = rating_record(
            actor=world["admin"],
            event_ref="EV-LANG",
            window=world["window_a"],
            staff=world["me"],
            level="2",
            served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
            received_at=timezone.make_aware(datetime(2026, 3, 2, 10, 5)),
        )
    row = Notification.objects.get(
        recipient=staff_user,
        kind="assessment.rectification_opened",
        subject_id=rating.rectification.pk,
    )
    assert row.params["level"] == {"$": "text", "id": "Dissatisfied (不满意)"}
    assert_reads(
        staff_user, row, says=["差评需要整改（EV-LANG）", "被评为“不满意”"], never=["Dissatisfied"]
    )
    theirs = Notification.objects.get(recipient=liaison_a, kind="assessment.rectification_opened")
    assert_reads(
        liaison_a, theirs, says=["was rated Dissatisfied (不满意)"], never=["差评需要整改"]
    )
