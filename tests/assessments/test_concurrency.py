"""Two center staff deciding the same appeal at once: the row lock lets exactly one through."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assessments.models import Appeal, AppealStatus
from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from staff.models import Role
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_apply_once(world, admin_user, staff_user, fixed_today):
    fixed_today(date(2026, 3, 20))
    recorder = UserFactory(role=Role.CENTER_ADMIN)  # neither of the deciders
    entry = entry_record(
        actor=recorder, staff=world["me"], rule=world["rules"]["D02"], date=date(2026, 3, 2)
    )
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障，非本人原因")
    other_admin = UserFactory(role=Role.CENTER_ADMIN)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor, outcome):
        try:
            barrier.wait()
            appeal_decide(actor=actor, appeal=appeal, outcome=outcome, note="并发决定")
            outcomes.append(outcome)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(admin_user, AppealStatus.CANCELLED)),
        threading.Thread(target=decide, args=(other_admin, AppealStatus.UPHELD)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("refused") == 1
    final = Appeal.objects.get(pk=appeal.pk)
    assert final.status in outcomes
