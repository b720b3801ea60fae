"""Performance-reference requests: HR raises and withdraws its own; the center answers with an
appraisal and a frozen pack; the due-date sweep reminds the center once per due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications import registry
from notifications import services as notifications
from notifications.models import Notification
from promotions import services
from promotions.evidence.snapshots import verify
from promotions.models import Appraisal, EvidenceSnapshot, ReferenceRequest, ReferenceState

from .workflow_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _ask(hr, person, **kwargs):
    return services.reference_request_create(actor=hr, staff=person, purpose="拟任科长", **kwargs)


def test_hr_asks_with_defaults_and_the_center_hears(hr_user, admin_user, person_a, settings):
    settings.PROMOTIONS = {**settings.PROMOTIONS, "REFERENCE_DUE_DAYS": 7}
    ref = _ask(hr_user, person_a, message="请于一周内回复")
    today = timezone.localdate()
    assert ref.due_date == today + timedelta(days=7)
    assert ref.period_end == today and ref.state == ReferenceState.OPEN
    row = Notification.objects.get(kind="promotions.reference_requested")
    assert row.recipient == admin_user and person_a.name in row.title


def test_only_hr_asks_and_bad_input_writes_nothing(hr_user, admin_user, liaison_a, person_a):
    for user in (admin_user, liaison_a):
        with pytest.raises(PermissionDenied):
            _ask(user, person_a)
    with pytest.raises(ValidationError) as caught:
        _ask(hr_user, person_a, due_date=timezone.localdate() - timedelta(days=1))
    assert "due_date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.reference_request_create(actor=hr_user, staff=person_a, purpose=" ")
    assert not ReferenceRequest.objects.exists()


def test_hr_withdraws_only_its_own_open_requests(hr_user, hr2, person_a):
    ref = _ask(hr_user, person_a)
    with pytest.raises(PermissionDenied):
        services.reference_request_withdraw(actor=hr2, request=ref)
    assert ReferenceRequest.objects.get(pk=ref.pk).state == ReferenceState.OPEN
    ref = services.reference_request_withdraw(actor=hr_user, request=ref, reason="人选调整")
    assert ref.state == ReferenceState.WITHDRAWN
    with pytest.raises(services.WorkflowConflict):
        services.reference_request_withdraw(actor=hr_user, request=ref)


def test_the_center_answers_with_an_appraisal_and_a_frozen_pack(hr_user, admin_user, person_a):
    ref = _ask(hr_user, person_a)
    with pytest.raises(ValidationError):
        services.reference_request_answer(actor=admin_user, request=ref, appraisal="  ")
    with pytest.raises(PermissionDenied):
        services.reference_request_answer(actor=hr_user, request=ref, appraisal="自己答")
    assert not Appraisal.objects.exists() and not EvidenceSnapshot.objects.exists()

    ref = services.reference_request_answer(actor=admin_user, request=ref, appraisal="表现优秀")
    assert ref.state == ReferenceState.ANSWERED and ref.answered_by == admin_user
    assert ref.appraisal.text == "表现优秀" and ref.appraisal.staff == person_a
    assert verify(ref.snapshot) and ref.snapshot.staff == person_a
    row = Notification.objects.get(kind="promotions.reference_answered")
    assert row.recipient == hr_user and ref.snapshot.number in row.body
    with pytest.raises(services.WorkflowConflict):
        services.reference_request_answer(actor=admin_user, request=ref, appraisal="再答一次")
    with pytest.raises(services.WorkflowConflict):
        services.reference_request_withdraw(actor=hr_user, request=ref)
    assert Appraisal.objects.count() == 1 and EvidenceSnapshot.objects.count() == 1


# --- the sweep ---------------------------------------------------------------------------------


@pytest.fixture
def quiet(monkeypatch, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CATCH_UP_DAYS": 14}
    settings.PROMOTIONS = {**settings.PROMOTIONS, "REFERENCE_NOTICE_DAYS": 3}
    monkeypatch.setattr(notifications, "enqueue_delivery", lambda: True)


def _run(today):
    return notifications.sweep_run(sweep=registry.get_sweep("promotions.references"), today=today)


def _due(ref, day):
    ReferenceRequest.objects.filter(pk=ref.pk).update(due_date=day)


def test_sweep_reminds_the_center_once_per_due_date(quiet, hr_user, admin_user, person_a):
    today = date(2026, 5, 11)
    soon, later, overdue, old, answered = (_ask(hr_user, person_a) for _ in range(5))
    _due(soon, today + timedelta(days=3))
    _due(later, today + timedelta(days=4))
    _due(overdue, today - timedelta(days=1))
    _due(old, today - timedelta(days=15))
    services.reference_request_answer(actor=admin_user, request=answered, appraisal="好")
    _due(answered, today)
    Notification.objects.all().delete()  # the notices sent when asked and answered

    result = _run(today)
    sent = set(Notification.objects.values_list("recipient", "kind", "subject_id", "period"))
    assert sent == {
        (admin_user.pk, "promotions.reference_due", soon.pk, "due-2026-05-14"),
        (admin_user.pk, "promotions.reference_overdue", overdue.pk, "overdue-2026-05-10"),
    }
    assert result.created == 2
    assert _run(today).created == 0  # a rerun sends nothing twice
    # the next day: the "soon" one is still only due; "later" enters the notice window
    assert _run(today + timedelta(days=1)).created == 1
    # past its due date, "soon" is overdue: one more reminder
    assert _run(today + timedelta(days=4)).created == 1
