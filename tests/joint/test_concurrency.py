"""Two people resolving the same follow-up at once: one wins, one audit entry (PostgreSQL)."""

import threading

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection

from joint import services
from joint.models import FollowUp, FollowUpState

from .factories import FollowUpFactory, TalkFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_resolutions_do_not_both_win(liaison_a, liaison_a2, person_a):
    item = FollowUpFactory(talk=TalkFactory(staff=person_a, author=liaison_a))
    barrier = threading.Barrier(2)
    outcomes = []

    def resolve(actor, note):
        try:
            barrier.wait()
            services.follow_up_transition(
                actor=actor, follow_up=item, to=FollowUpState.RESOLVED, note=note
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=resolve, args=(liaison_a, "甲办结")),
        threading.Thread(target=resolve, args=(liaison_a2, "乙办结")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    item = FollowUp.objects.get(pk=item.pk)
    assert item.state == FollowUpState.RESOLVED
    updates = LogEntry.objects.filter(
        content_type__model="followup", object_pk=str(item.pk), action=LogEntry.Action.UPDATE
    )
    assert updates.count() == 1
