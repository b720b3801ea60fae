"""The transfer workflow: shapes, the state machine per side, consent, vetting, early transfers,
taking effect, audit entries and notifications after commit."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.workdays import add_working_days
from staff.models import EmploymentType
from windows import services
from windows.models import (
    EndReason,
    Post,
    Side,
    Stationing,
    TransferKind,
    TransferRequest,
    TransferState,
    VettingDecision,
)
from windows.services.transfers import TRANSITIONS, TransferConflict

from ..factories import StaffFactory
from .factories import StationingFactory

pytestmark = pytest.mark.django_db
S = TransferState


@pytest.fixture(autouse=True)
def _emails(admin_user, liaison_a, liaison_b):
    for user, address in (
        (admin_user, "center@example.cn"),
        (liaison_a, "a@example.cn"),
        (liaison_b, "b@example.cn"),
    ):
        user.email = address
        user.save()


def replace(liaison, window, outgoing, incoming, when, **extra):
    return services.transfer_create(
        actor=liaison,
        kind=TransferKind.REPLACE,
        window=window,
        outgoing=outgoing,
        incoming=incoming,
        reason="工作需要",
        effective_date=when,
        **extra,
    )


def vet(admin, transfer, passed=True):
    return services.vetting_record(
        actor=admin,
        transfer=transfer,
        political_ok=True,
        ability_ok=passed,
        fitness_ok=True,
        decision=VettingDecision.PASS if passed else VettingDecision.FAIL,
        ability_notes="" if passed else "业务不熟",
    )


# --- the transition table ---------------------------------------------------------------------


def test_transition_table_is_the_documented_one():
    table = {name: (set(t.sources), t.target, set(t.actors)) for name, t in TRANSITIONS.items()}
    assert table == {
        "submit": ({S.DRAFT}, S.SUBMITTED, {"raiser"}),
        "start_vetting": ({S.SUBMITTED}, S.VETTING, {"center"}),
        "approve": ({S.SUBMITTED, S.VETTING}, S.APPROVED, {"counterparty"}),
        "reject": ({S.SUBMITTED, S.VETTING}, S.REJECTED, {"counterparty", "center"}),
        "withdraw": ({S.DRAFT, S.SUBMITTED, S.VETTING, S.APPROVED}, S.WITHDRAWN, {"raiser"}),
        "apply": ({S.APPROVED}, S.EFFECTIVE, {"system", "center"}),
    }


def test_full_department_raised_replacement(
    admin_user,
    liaison_a,
    liaison_b,
    window_a,
    veteran_a,
    candidate_a,
    today,
    django_capture_on_commit_callbacks,
):
    from notifications.models import Notification
    from notifications.relay import deliver_pending

    later = today + timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        t = replace(liaison_a, window_a, veteran_a, candidate_a, later)
    assert t.state == S.DRAFT and t.raised_by == Side.DEPARTMENT and not t.is_early
    assert callbacks == [] and not Notification.objects.exists()  # a draft is its author's
    assert services.allowed_actions(t, liaison_a) == ["submit", "withdraw"]
    assert services.allowed_actions(t, admin_user) == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        t = services.transfer_submit(actor=liaison_a, transfer=t)
    assert t.state == S.SUBMITTED and t.department_consent_at is not None
    # the notice is a row of the same transaction; e-mail is queued only after the commit
    notice = Notification.objects.get()
    assert notice.recipient == admin_user and notice.kind == "transfer.changed"  # other side
    assert "已提交" in notice.title and notice.link.endswith(f"/transfers/{t.pk}/")
    assert len(callbacks) == 1
    deliver_pending()
    assert mail.outbox[-1].to == ["center@example.cn"]

    with pytest.raises(ValidationError, match="vetting"), translation.override("en"):
        services.transfer_approve(actor=admin_user, transfer=t)  # not vetted yet
    t = services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    t = services.transfer_approve(actor=admin_user, transfer=t, note="同意")
    assert t.state == S.APPROVED and t.center_consent_by == admin_user
    latest = Notification.objects.latest("id")
    assert latest.recipient == liaison_a and "已同意" in latest.title and "同意" in latest.body
    assert not Notification.objects.filter(recipient=liaison_b).exists()  # not their department
    assert Stationing.objects.get(staff=veteran_a).end_date is None  # not yet: dated later

    result = services.transfer_apply_due(today=later)
    assert result == {"applied": [t.pk], "failed": {}}
    t.refresh_from_db()
    assert t.state == S.EFFECTIVE and t.applied_at is not None
    old = Stationing.objects.get(staff=veteran_a)
    new = Stationing.objects.get(staff=candidate_a)
    assert (old.end_date, old.end_reason, old.is_early_end) == (later, EndReason.TRANSFER, False)
    assert (new.window, new.start_date, new.end_date) == (window_a, later, None)
    assert t.new_stationing == new
    # rerun: nothing left to do
    assert services.transfer_apply_due(today=later) == {"applied": [], "failed": {}}
    entries = LogEntry.objects.get_for_object(t).order_by("timestamp", "id")
    steps = [(e.additional_data or {}).get("action") for e in entries]
    assert steps == [None, "submit", "start_vetting", "approve", "apply"]
    assert entries.filter(actor=admin_user).count() == 2  # start vetting, approve
    entry = LogEntry.objects.get_for_object(old).latest("id")
    assert "生效" in entry.additional_data["reason"]


def test_approval_dated_today_applies_in_the_same_transaction(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today
):
    t = replace(liaison_a, window_a, veteran_a, candidate_a, today)
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    t = services.transfer_approve(actor=admin_user, transfer=t)
    assert t.state == S.EFFECTIVE
    assert Stationing.objects.get(staff=veteran_a).end_date == today
    assert Stationing.objects.get(staff=candidate_a).is_open


def test_failed_vetting_blocks_the_stationing(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today
):
    t = replace(liaison_a, window_a, veteran_a, candidate_a, today)
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t, passed=False)
    t.refresh_from_db()
    assert t.state == S.REJECTED
    with pytest.raises(TransferConflict):
        services.transfer_approve(actor=admin_user, transfer=t)
    assert not Stationing.objects.filter(staff=candidate_a).exists()


def test_vetting_cannot_pass_with_a_failed_dimension(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today
):
    t = replace(liaison_a, window_a, veteran_a, candidate_a, today)
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    with pytest.raises(ValidationError):
        services.vetting_record(
            actor=admin_user,
            transfer=t,
            political_ok=True,
            ability_ok=False,
            fitness_ok=True,
            decision=VettingDecision.PASS,
        )
    with pytest.raises(PermissionDenied):
        services.vetting_record(
            actor=liaison_a,
            transfer=t,
            political_ok=True,
            ability_ok=True,
            fitness_ok=True,
            decision=VettingDecision.PASS,
        )
    assert not t.vettings.exists()


def test_early_transfer_needs_justification_and_is_flagged(
    admin_user, liaison_a, window_a, newcomer_a, candidate_a, today
):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        replace(liaison_a, window_a, newcomer_a, candidate_a, today + timedelta(days=5))
    assert "early_justification" in caught.value.error_dict
    assert "提前调整" in caught.value.messages[0]
    assert not TransferRequest.objects.exists()
    t = replace(
        liaison_a,
        window_a,
        newcomer_a,
        candidate_a,
        today,
        early_justification="本人身体原因需要长期治疗，无法继续窗口工作",
    )
    assert t.is_early
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    t = services.transfer_approve(actor=admin_user, transfer=t)
    assert t.center_consent_by == admin_user
    assert Stationing.objects.get(staff=newcomer_a).is_early_end


def test_an_early_transfer_raised_tells_the_center_at_once(
    admin_user, liaison_a, liaison_b, window_a, newcomer_a, candidate_a, today
):
    """Issue #7: an early transfer raised by a department reaches the center immediately (a
    notification row in the submitting transaction, not a sweep), saying that it is early."""
    from notifications.models import Notification

    t = replace(
        liaison_a,
        window_a,
        newcomer_a,
        candidate_a,
        today,
        early_justification="本人身体原因需要长期治疗，无法继续窗口工作",
    )
    assert not Notification.objects.exists()  # a draft is its author's
    services.transfer_submit(actor=liaison_a, transfer=t)
    notice = Notification.objects.get()
    assert notice.recipient == admin_user and notice.kind == "transfer.changed"
    assert "已提交" in notice.title
    assert "提前调整" in notice.body and "身体原因" in notice.body
    assert notice.email_status == "pending"
    # an ordinary transfer's notice carries no such warning
    Notification.objects.all().delete()
    services.transfer_withdraw(actor=liaison_a, transfer=t)
    assert "提前调整" not in Notification.objects.get().body


def test_the_minimum_is_a_setting(settings, liaison_a, window_a, newcomer_a, candidate_a, today):
    settings.CENTER = settings.CENTER | {"MIN_TENURE_MONTHS": 3}
    t = replace(liaison_a, window_a, newcomer_a, candidate_a, today)
    assert not t.is_early


def test_center_raised_replacement_demand_has_a_working_day_deadline(
    admin_user, liaison_a, window_a, veteran_a, candidate_a, today, settings
):
    t = services.transfer_create(
        actor=admin_user,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        reason="多次迟到",
        effective_date=today + timedelta(days=30),
    )
    assert t.raised_by == Side.CENTER and t.incoming is None
    t = services.transfer_submit(actor=admin_user, transfer=t)
    assert t.deadline == add_working_days(today, 7)
    assert t.center_consent_at is not None
    assert services.allowed_actions(t, liaison_a) == ["approve", "reject"]
    with pytest.raises(ValidationError):
        services.transfer_approve(actor=liaison_a, transfer=t)  # nobody named yet
    # the department names the replacement; only those fields change
    t = services.transfer_update(
        actor=liaison_a, transfer=t, expected_version=t.version, incoming=candidate_a, reason="改掉"
    )
    assert t.incoming == candidate_a and t.reason == "多次迟到"
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    with pytest.raises(PermissionDenied):
        services.transfer_approve(actor=admin_user, transfer=t)  # the center raised it
    t = services.transfer_approve(actor=liaison_a, transfer=t)
    assert t.state == S.APPROVED and t.department_consent_by == liaison_a


def test_deadline_follows_the_setting(admin_user, window_a, veteran_a, today, settings):
    settings.CENTER = settings.CENTER | {"REPLACEMENT_DEADLINE_WORKDAYS": 3}
    t = services.transfer_create(
        actor=admin_user,
        kind=TransferKind.REPLACE,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today + timedelta(days=30),
    )
    t = services.transfer_submit(actor=admin_user, transfer=t)
    assert t.deadline == add_working_days(today, 3)


def test_withdrawal_and_rotation(admin_user, liaison_a, window_a, window_a2, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.ROTATE,
        window=window_a,
        to_window=window_a2,
        outgoing=veteran_a,
        reason="轮岗",
        effective_date=today,
    )
    services.transfer_submit(actor=liaison_a, transfer=t)
    t = services.transfer_approve(actor=admin_user, transfer=t)  # no incoming: no vetting
    assert t.state == S.EFFECTIVE
    stationings = Stationing.objects.filter(staff=veteran_a).order_by("start_date")
    assert [(s.window, s.end_reason) for s in stationings] == [
        (window_a, EndReason.ROTATION),
        (window_a2, ""),
    ]
    w = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a2,
        outgoing=veteran_a,
        reason="调回",
        early_justification="刚轮岗即调回，原窗口业务骨干不足需回援",
        effective_date=today,
    )
    services.transfer_submit(actor=liaison_a, transfer=w)
    services.transfer_withdraw(actor=liaison_a, transfer=w, note="不调了")
    w.refresh_from_db()
    assert w.state == S.WITHDRAWN
    assert Stationing.objects.get(staff=veteran_a, end_date__isnull=True).window == window_a2


@pytest.mark.parametrize(
    ("kind", "fields", "error_field"),
    [
        (TransferKind.STATION, {}, "incoming"),
        (TransferKind.WITHDRAW, {}, "outgoing"),
        (TransferKind.ROTATE, {"outgoing": "veteran"}, "to_window"),
        (TransferKind.STATION, {"incoming": "veteran"}, "incoming"),  # already stationed
        (TransferKind.STATION, {"incoming": "person_b"}, "incoming"),  # other department
        (TransferKind.WITHDRAW, {"outgoing": "candidate"}, "outgoing"),  # not stationed there
    ],
)
def test_malformed_requests_are_refused_and_nothing_is_written(
    liaison_a, window_a, veteran_a, candidate_a, person_b, today, kind, fields, error_field
):
    people = {"veteran": veteran_a, "candidate": candidate_a, "person_b": person_b}
    kwargs = {k: people[v] for k, v in fields.items()}
    with pytest.raises(ValidationError) as caught:
        services.transfer_create(
            actor=liaison_a, kind=kind, window=window_a, reason="x", effective_date=today, **kwargs
        )
    assert error_field in caught.value.error_dict
    assert not TransferRequest.objects.exists()


def test_liaison_cannot_raise_for_another_department(
    liaison_b, window_a, veteran_a, today, hr_user
):
    with pytest.raises(PermissionDenied):
        services.transfer_create(
            actor=liaison_b,
            kind=TransferKind.WITHDRAW,
            window=window_a,
            outgoing=veteran_a,
            reason="x",
            effective_date=today,
        )
    with pytest.raises(PermissionDenied):
        services.transfer_create(
            actor=hr_user,
            kind=TransferKind.WITHDRAW,
            window=window_a,
            outgoing=veteran_a,
            reason="x",
            effective_date=today,
        )


def test_one_open_request_per_person(liaison_a, window_a, veteran_a, today):
    services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    with pytest.raises(ValidationError):
        services.transfer_create(
            actor=liaison_a,
            kind=TransferKind.WITHDRAW,
            window=window_a,
            outgoing=veteran_a,
            reason="y",
            effective_date=today,
        )


def test_ineligible_incoming_chief_is_refused(
    admin_user, liaison_a, dept_a, window_a, veteran_a, today
):
    temp = StaffFactory(department=dept_a, employment_type=EmploymentType.TEMPORARY, name="临聘甲")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        replace(
            liaison_a, window_a, veteran_a, temp, today, incoming_post=Post.CHIEF_REPRESENTATIVE
        )
    assert "临时聘用" in " ".join(caught.value.message_dict["incoming_post"])
    t = replace(liaison_a, window_a, veteran_a, temp, today)  # as ordinary staff it may go ahead
    assert t.incoming_post == Post.STAFF


def test_reject_needs_a_reason(admin_user, liaison_a, window_a, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    services.transfer_submit(actor=liaison_a, transfer=t)
    with pytest.raises(ValidationError):
        services.transfer_reject(actor=admin_user, transfer=t, note=" ")
    t = services.transfer_reject(actor=admin_user, transfer=t, note="窗口人手不足")
    assert t.state == S.REJECTED and t.decision_note == "窗口人手不足"
    with pytest.raises(TransferConflict):
        services.transfer_withdraw(actor=liaison_a, transfer=t)


def test_stale_edit_is_refused(liaison_a, window_a, veteran_a, today):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    seen = t.version
    services.transfer_update(actor=liaison_a, transfer=t, expected_version=seen, reason="第一次")
    with pytest.raises(TransferConflict):
        services.transfer_update(
            actor=liaison_a, transfer=t, expected_version=seen, reason="第二次"
        )
    t.refresh_from_db()
    assert t.reason == "第一次" and t.version == seen + 1


def test_future_request_is_not_applied_early(
    admin_user, liaison_a, window_a, window_a2, veteran_a, today
):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.ROTATE,
        window=window_a,
        to_window=window_a2,
        outgoing=veteran_a,
        reason="x",
        effective_date=today + timedelta(days=3),
    )
    services.transfer_submit(actor=liaison_a, transfer=t)
    t = services.transfer_approve(actor=admin_user, transfer=t)
    with pytest.raises(ValidationError):
        services.transfer_apply(actor=admin_user, transfer=t)
    assert services.transfer_apply_due(today=today) == {"applied": [], "failed": {}}


def test_apply_failure_changes_nothing(
    admin_user, liaison_a, window_a, window_a2, veteran_a, candidate_a, today
):
    later = today + timedelta(days=10)
    t = replace(liaison_a, window_a, veteran_a, candidate_a, later)
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    services.transfer_approve(actor=admin_user, transfer=t)
    # meanwhile the candidate got stationed somewhere else
    StationingFactory(staff=candidate_a, window=window_a2, start_date=today)
    result = services.transfer_apply_due(today=later)
    assert result["applied"] == [] and t.pk in result["failed"]
    t.refresh_from_db()
    assert t.state == S.APPROVED
    assert Stationing.objects.get(staff=veteran_a).end_date is None  # not half-applied


def test_attachments_are_type_and_size_limited(
    liaison_a, liaison_b, window_a, veteran_a, today, settings
):
    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.WITHDRAW,
        window=window_a,
        outgoing=veteran_a,
        reason="x",
        effective_date=today,
    )
    with pytest.raises(ValidationError):
        services.transfer_attach(
            actor=liaison_a, transfer=t, upload=SimpleUploadedFile("a.exe", b"MZ")
        )
    settings.CENTER = settings.CENTER | {"TRANSFER_ATTACHMENT_MAX_BYTES": 10}
    with pytest.raises(ValidationError):
        services.transfer_attach(
            actor=liaison_a, transfer=t, upload=SimpleUploadedFile("a.pdf", b"x" * 11)
        )
    with pytest.raises(PermissionDenied):
        services.transfer_attach(
            actor=liaison_b, transfer=t, upload=SimpleUploadedFile("a.pdf", b"x")
        )
    attachment = services.transfer_attach(
        actor=liaison_a, transfer=t, upload=SimpleUploadedFile("调动函.pdf", b"x")
    )
    assert attachment.original_name == "调动函.pdf" and attachment.size == 1
    assert t.attachments.count() == 1


def test_celery_task_calls_the_service(
    admin_user, liaison_a, window_a, window_a2, veteran_a, today
):
    from windows.tasks import apply_due_transfers

    t = services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.ROTATE,
        window=window_a,
        to_window=window_a2,
        outgoing=veteran_a,
        reason="x",
        effective_date=today + timedelta(days=1),
    )
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_approve(actor=admin_user, transfer=t)
    TransferRequest.objects.filter(pk=t.pk).update(effective_date=today)  # the day has come
    assert apply_due_transfers.run(transfer_ids=[t.pk]) == {"applied": [t.pk], "failed": {}}
    from django.conf import settings

    assert (
        settings.CELERY_BEAT_SCHEDULE["windows-apply-due-transfers"]["task"]
        == apply_due_transfers.name
    )
