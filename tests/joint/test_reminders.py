"""The due follow-up sweep: selection window, recipients under confidentiality, reruns."""

from datetime import date, timedelta

import pytest

from joint import services
from notifications import registry
from notifications import services as notifications
from notifications.models import Notification

from ..factories import UserFactory
from .factories import FollowUpFactory, TalkFactory

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _quiet(monkeypatch, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CATCH_UP_DAYS": 14}
    monkeypatch.setattr(notifications, "enqueue_delivery", lambda: True)


def run(today=TODAY):
    return notifications.sweep_run(sweep=registry.get_sweep("joint.follow_ups"), today=today)


def sent():
    return set(Notification.objects.values_list("recipient__username", "subject_id", "period"))


def test_due_follow_ups_reach_those_who_may_read_the_talk(
    liaison_a, liaison_a2, liaison_b, admin_user, person_a
):
    owner = UserFactory(username="owner", role="liaison")
    standard = FollowUpFactory(
        talk=TalkFactory(staff=person_a, author=liaison_a), due_date=TODAY, owner_user=owner
    )
    private = FollowUpFactory(
        talk=TalkFactory(staff=person_a, author=liaison_a2, level="private"),
        due_date=TODAY - timedelta(days=14),
        owner_user=owner,
    )
    FollowUpFactory(talk=standard.talk, due_date=TODAY + timedelta(days=1))  # not yet due
    FollowUpFactory(talk=standard.talk, due_date=TODAY - timedelta(days=15))  # too old
    resolved = FollowUpFactory(talk=standard.talk, due_date=TODAY)
    services.follow_up_transition(actor=liaison_a, follow_up=resolved, to="resolved", note="ok")

    result = run()
    due = f"due-{TODAY.isoformat()}"
    assert sent() == {
        ("liaison_a", standard.pk, due),
        ("liaison_a2", standard.pk, due),
        ("owner", standard.pk, due),
        ("liaison_a2", private.pk, f"due-{private.due_date.isoformat()}"),
    }
    assert result.created == 4
    title = Notification.objects.filter(subject_id=standard.pk).first().title
    assert person_a.name in title and standard.description not in title
    assert run().created == 0  # a rerun sends nothing twice
