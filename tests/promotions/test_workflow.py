"""Recommendations: the transition table, refusals that change nothing, the frozen evidence,
notifications in the same transaction, the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from promotions import services
from promotions.evidence.pack import build_pack
from promotions.evidence.snapshots import canonical, verify
from promotions.models import EvidenceSnapshot, Recommendation, RecommendationState
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.factories import UserFactory
from windows.models import EndReason

from .workflow_fixtures import *  # noqa: F403
from .workflow_fixtures import annual_grade

pytestmark = pytest.mark.django_db
S = RecommendationState


def _draft(actor, person, **overrides):
    fields = {"kind": "leadership", "addressed_to": "organization", "rationale": "表现优秀"}
    fields.update(overrides)
    return services.recommendation_create(actor=actor, staff=person, **fields)


def _state(rec):
    return Recommendation.objects.get(pk=rec.pk)


def test_draft_defaults_to_the_evidence_years(admin_user, person_a, settings):
    settings.PROMOTIONS = {**settings.PROMOTIONS, "EVIDENCE_YEARS": 3}
    rec = _draft(admin_user, person_a)
    today = timezone.localdate()
    assert rec.period_end == today
    assert rec.period_start.year == today.year - 3
    assert rec.state == S.DRAFT and rec.snapshot is None
    assert LogEntry.objects.get_for_object(rec).filter(actor=admin_user).count() == 1


def test_draft_refuses_bad_input_and_writes_nothing(admin_user, person_a):
    with pytest.raises(ValidationError) as caught:
        _draft(admin_user, person_a, rationale="  ")
    assert "rationale" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _draft(admin_user, person_a, period_start=date(2026, 1, 1), period_end=date(2025, 1, 1))
    assert "period_end" in caught.value.message_dict
    assert not Recommendation.objects.exists()


def test_only_the_center_drafts(hr_user, liaison_a, person_a):
    for user in (hr_user, liaison_a):
        with pytest.raises(PermissionDenied):
            _draft(user, person_a)
    assert not Recommendation.objects.exists()


def test_submit_freezes_the_pack_and_notifies_hr(admin_user, hr_user, hr2, person_a):
    rec = _draft(admin_user, person_a)
    rec = services.recommendation_submit(actor=admin_user, recommendation=rec)
    assert rec.state == S.SUBMITTED
    assert rec.snapshot.number.startswith(f"TJ-{timezone.localdate().year}-")
    assert verify(rec.snapshot)
    assert rec.submitted_by == admin_user and rec.version == 2
    assert rec.snapshot.period_start == rec.period_start
    rows = Notification.objects.filter(kind="promotions.recommendation_submitted")
    assert set(rows.values_list("recipient", flat=True)) == {hr_user.pk, hr2.pk}
    assert rec.snapshot.number in rows.first().title


def test_snapshot_stays_while_the_live_pack_changes(admin_user, person_a):
    score = annual_grade(person_a, 2025, suggested="excellent", total="91")
    rec = services.recommendation_submit(
        actor=admin_user, recommendation=_draft(admin_user, person_a)
    )
    frozen = EvidenceSnapshot.objects.get(pk=rec.snapshot_id).content
    Score = type(score)
    Score.objects.filter(pk=score.pk).update(total="60")
    live = build_pack(person_a, start=rec.period_start, end=rec.period_end, viewer=admin_user)
    again = EvidenceSnapshot.objects.get(pk=rec.snapshot_id)
    assert again.content == frozen
    assert verify(again)
    assert canonical(live) != canonical(frozen)
    assert "60" in canonical(live)


def test_submitting_twice_is_refused_and_changes_nothing(admin_user, person_a):
    rec = services.recommendation_submit(
        actor=admin_user, recommendation=_draft(admin_user, person_a)
    )
    with pytest.raises(services.WorkflowConflict):
        services.recommendation_submit(actor=admin_user, recommendation=rec)
    assert EvidenceSnapshot.objects.count() == 1
    assert _state(rec).version == 2


def test_a_stale_version_is_refused(admin_user, person_a):
    rec = _draft(admin_user, person_a)
    services.recommendation_update(actor=admin_user, recommendation=rec, rationale="改过")
    with pytest.raises(services.WorkflowConflict):
        services.recommendation_update(
            actor=admin_user, recommendation=rec, expected_version=1, rationale="旧版本"
        )
    with pytest.raises(services.WorkflowConflict):
        services.recommendation_submit(actor=admin_user, recommendation=rec, expected_version=1)
    rec = _state(rec)
    assert rec.rationale == "改过" and rec.state == S.DRAFT


def test_a_submitted_recommendation_is_not_edited(admin_user, person_a):
    rec = services.recommendation_submit(
        actor=admin_user, recommendation=_draft(admin_user, person_a)
    )
    with pytest.raises(services.WorkflowConflict):
        services.recommendation_update(actor=admin_user, recommendation=rec, rationale="改")
    assert _state(rec).rationale == "表现优秀"


def test_returned_person_is_refused_with_the_reason(admin_user, person_a):
    window = WindowFactory(department=person_a.department)
    ended = timezone.localdate().replace(month=1, day=1)
    StationingFactory(
        staff=person_a,
        window=window,
        start_date=date(2020, 1, 1),
        end_date=ended,
        end_reason=EndReason.RETURNED,
    )
    rec = _draft(admin_user, person_a)
    with pytest.raises(ValidationError) as caught:
        services.recommendation_submit(actor=admin_user, recommendation=rec)
    message = " ".join(caught.value.messages)
    assert "不得推荐" in message or "no recommendation" in message
    assert ended.isoformat() in message
    assert _state(rec).state == S.DRAFT
    assert not EvidenceSnapshot.objects.exists()
    assert not Notification.objects.exists()


def test_hr_records_adopted_and_liaisons_hear(admin_user, hr_user, liaison_a, person_a):
    rec = services.recommendation_submit(
        actor=admin_user, recommendation=_draft(admin_user, person_a)
    )
    rec = services.recommendation_decide(
        actor=hr_user, recommendation=rec, adopted=True, feedback="已列入考察对象"
    )
    assert rec.state == S.ADOPTED and rec.decided_by == hr_user
    assert not services.decided_on_behalf(rec)
    recipients = set(
        Notification.objects.filter(kind="promotions.recommendation_decided").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {admin_user.pk, liaison_a.pk}
    entry = LogEntry.objects.get_for_object(rec).filter(actor=hr_user).latest("timestamp")
    assert entry.additional_data["action"] == "adopt"


def test_the_center_records_on_behalf_and_says_so(admin_user, person_a):
    rec = services.recommendation_submit(
        actor=admin_user, recommendation=_draft(admin_user, person_a)
    )
    with pytest.raises(ValidationError) as caught:
        services.recommendation_decide(actor=admin_user, recommendation=rec, adopted=False)
    assert "feedback" in caught.value.message_dict
    assert _state(rec).state == S.SUBMITTED
    rec = services.recommendation_decide(
        actor=admin_user, recommendation=rec, adopted=False, feedback="职数已满"
    )
    assert rec.state == S.NOT_ADOPTED and services.decided_on_behalf(rec)
    entry = LogEntry.objects.get_for_object(rec).latest("timestamp")
    assert entry.additional_data["action"] == "decline"
    assert "代" in entry.additional_data["reason"] or "behalf" in entry.additional_data["reason"]


def test_transition_table_refusals(admin_user, hr_user, liaison_a, person_a):
    rec = _draft(admin_user, person_a)
    with pytest.raises(services.WorkflowConflict):  # a draft cannot be adopted
        services.recommendation_decide(actor=hr_user, recommendation=rec, adopted=True)
    with pytest.raises(PermissionDenied):  # HR does not submit
        services.recommendation_submit(actor=hr_user, recommendation=rec)
    rec = services.recommendation_submit(actor=admin_user, recommendation=rec)
    with pytest.raises(PermissionDenied):  # a liaison does not decide
        services.recommendation_decide(actor=liaison_a, recommendation=rec, adopted=True)
    services.recommendation_decide(actor=hr_user, recommendation=rec, adopted=True)
    with pytest.raises(services.WorkflowConflict):  # decided once
        services.recommendation_decide(
            actor=hr_user, recommendation=rec, adopted=False, feedback="x"
        )
    assert _state(rec).state == S.ADOPTED
    assert services.allowed_actions(hr_user, _state(rec)) == []


def test_allowed_actions_follow_the_table(admin_user, hr_user, person_a):
    rec = _draft(admin_user, person_a)
    assert services.allowed_actions(admin_user, rec) == ["submit"]
    assert services.allowed_actions(hr_user, rec) == []
    rec = services.recommendation_submit(actor=admin_user, recommendation=rec)
    assert services.allowed_actions(hr_user, rec) == ["adopt", "decline"]
    assert services.allowed_actions(admin_user, rec) == ["adopt", "decline"]
    inactive = UserFactory(username="gone", role="hr", is_active=False)
    assert services.allowed_actions(inactive, rec) == []
