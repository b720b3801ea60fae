"""E-mail from the rows: contents in Chinese, preferences, failures, and a broker outage."""

import smtplib
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction

from notifications import registry, relay, services
from notifications.models import EmailStatus, Notification, Preference
from staff.models import Role
from tests.factories import CertificateFactory, StaffFactory, UserFactory

TODAY = date(2026, 3, 10)


@pytest.fixture
def holder(dept_a, admin_user, liaison_a):
    admin_user.email = "admin@zwfw.example.cn"
    admin_user.save()
    liaison_a.email = "liaison@scjg.example.cn"
    liaison_a.save()
    user = UserFactory(username="holder", role=Role.STAFF, email="wangfang@example.cn")
    person = StaffFactory(department=dept_a, user=user, name="王芳")
    CertificateFactory(staff=person, number="川执2026001", expires_on=TODAY + timedelta(days=6))
    return user


def sweep():
    return services.sweep_run(sweep=registry.get_sweep("staff.certificates"), today=TODAY)


@pytest.mark.django_db
def test_email_contents_in_chinese(holder, django_capture_on_commit_callbacks, no_broker):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert sweep().created == 3
    assert len(callbacks) == 1 and len(no_broker) == 1  # one delivery queued after commit
    result = relay.deliver_pending()
    assert (result.sent, result.skipped) == (3, 0)
    message = next(m for m in mail.outbox if m.to == ["wangfang@example.cn"])
    assert message.subject == "[攀枝花市政务服务中心] 王芳的执法证有效期至2026年3月16日"
    assert message.body.startswith("王芳，您好：")  # the person, not the login
    assert "执法证（证号川执2026001）有效期至2026年3月16日，距今还有6天" in message.body
    assert "在系统中查看： https://zwfw.example.cn/staff/" in message.body
    assert "本邮件由系统自动发送" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    # Delivered rows are never e-mailed again.
    assert relay.deliver_pending().sent == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_english_recipient_gets_english_email(holder):
    holder.language = "en"
    holder.save()
    sweep()
    relay.deliver_pending()
    message = next(m for m in mail.outbox if m.to == ["wangfang@example.cn"])
    assert message.subject.endswith("Law-enforcement certificate of 王芳 expires on 16 March 2026")
    assert "Open in the system:" in message.body


@pytest.mark.django_db
def test_preference_off_and_missing_address_skip_email_but_keep_the_row(holder, liaison_a):
    services.preferences_update(user=holder, language="zh-hans", email_kinds=[])
    liaison_a.email = ""
    liaison_a.save()
    sweep()
    result = relay.deliver_pending()
    assert (result.sent, result.skipped) == (1, 2)
    assert [m.to for m in mail.outbox] == [["admin@zwfw.example.cn"]]
    assert Notification.objects.filter(recipient=holder, email_status="skipped").exists()


@pytest.mark.django_db
def test_smtp_failure_is_retried_then_given_up(holder, settings, monkeypatch):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_EMAIL_ATTEMPTS": 2}
    sweep()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    first = relay.deliver_pending()
    assert (first.sent, first.retry, first.failed) == (0, 3, 0)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"pending"}
    second = relay.deliver_pending()
    assert second.failed == 3
    row = Notification.objects.get(recipient=holder)
    assert (row.email_status, row.email_attempts) == ("failed", 2)
    assert "mail server down" in row.email_error
    monkeypatch.undo()
    assert relay.deliver_pending().sent == 0  # failed rows stay failed; the center shows them


@pytest.fixture
def refused_broker(use_broker):
    use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1


@pytest.mark.django_db
def test_broker_down_the_action_succeeds_and_the_relay_sends_later(
    holder, admin_user, refused_broker, django_capture_on_commit_callbacks
):
    from notifications.tasks import deliver_pending
    from staff.models import Certificate

    certificate = Certificate.objects.get(staff__user=holder)
    started = time.monotonic()
    # A workflow service: its change and its notice commit together, then delivery is queued.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        created = services.notify(
            kind="certificate.expired",
            subject=(Certificate, certificate.pk),
            period="expired",
            recipients=[holder.pk, admin_user.pk],
            params={
                "name": "王芳",
                "number": certificate.number,
                "department": "市场监管局",
                "expires": certificate.expires_on,
            },
            link="/staff/1/",
        )
    assert created == 2
    assert time.monotonic() - started < 3  # the user was not kept waiting on the broker
    assert services.enqueue_delivery() is False  # the broker really refuses
    rows = Notification.objects.filter(kind="certificate.expired")
    assert set(rows.values_list("email_status", flat=True)) == {"pending"}
    assert mail.outbox == []
    # The periodic relay (beat, every 5 minutes) finds the pending rows.
    assert deliver_pending() == {"sent": 2, "skipped": 0, "failed": 0, "retry": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@zwfw.example.cn", "wangfang@example.cn"]
    assert mail.outbox[0].subject.endswith("王芳的执法证已过期")


@pytest.mark.django_db
def test_notify_rejects_unknown_kind(holder):
    with pytest.raises(KeyError):
        services.notify(kind="nope", subject=(Preference, 1), period="x", recipients=[holder.pk])
