"""Two people acting on the same recommendation or request at once: exactly one wins, one
snapshot and one number are issued (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from promotions import services
from promotions.models import Appraisal, EvidenceSnapshot, Recommendation, ReferenceRequest

from ..factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once(admin_user, person_a):
    admin2 = UserFactory(username="admin2", role="center_admin")
    rec = services.recommendation_create(
        actor=admin_user, staff=person_a, kind="title", addressed_to="home", rationale="优秀"
    )
    outcomes = race(
        lambda: services.recommendation_submit(actor=admin_user, recommendation=rec),
        lambda: services.recommendation_submit(actor=admin2, recommendation=rec),
    )
    assert outcomes == ["ok", "refused"]
    rec = Recommendation.objects.get(pk=rec.pk)
    assert rec.state == "submitted" and rec.version == 2
    assert EvidenceSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once(admin_user, hr_user, person_a):
    admin2 = UserFactory(username="admin2", role="center_admin")
    ref = services.reference_request_create(actor=hr_user, staff=person_a, purpose="拟任")
    outcomes = race(
        lambda: services.reference_request_answer(actor=admin_user, request=ref, appraisal="甲"),
        lambda: services.reference_request_answer(actor=admin2, request=ref, appraisal="乙"),
    )
    assert outcomes == ["ok", "refused"]
    ref = ReferenceRequest.objects.get(pk=ref.pk)
    assert ref.state == "answered"
    assert Appraisal.objects.count() == 1 and EvidenceSnapshot.objects.count() == 1
    assert Appraisal.objects.get().text == ref.appraisal.text


@pytest.mark.django_db(transaction=True)
def test_decision_races_with_another_decision(admin_user, hr_user, person_a):
    rec = services.recommendation_create(
        actor=admin_user, staff=person_a, kind="title", addressed_to="both", rationale="优秀"
    )
    rec = services.recommendation_submit(actor=admin_user, recommendation=rec)
    outcomes = race(
        lambda: services.recommendation_decide(actor=hr_user, recommendation=rec, adopted=True),
        lambda: services.recommendation_decide(
            actor=admin_user, recommendation=rec, adopted=False, feedback="不采纳"
        ),
    )
    assert outcomes == ["ok", "refused"]
    assert Recommendation.objects.get(pk=rec.pk).version == 3
