"""A mail server that accepts the connection and never answers: the relay gives up after
EMAIL_TIMEOUT, keeps the row for a retry, and returns (it used to hang for 45 s and more)."""

import socket
import threading
import time

import pytest

from notifications import relay
from notifications.models import EmailStatus
from tests.factories import UserFactory

from .factories import NotificationFactory


@pytest.fixture
def silent_smtp():
    """A loopback server that accepts connections and never says a word."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.django_db
def test_the_relay_gives_up_on_a_silent_server(settings, silent_smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_smtp
    settings.EMAIL_TIMEOUT = 1
    user = UserFactory(email="wangfang@example.cn")
    row = NotificationFactory(recipient=user)
    started = time.monotonic()
    result = relay.deliver_pending()
    assert time.monotonic() - started < 10
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING  # kept for the next run, not lost
    assert row.email_attempts == 1
    assert "timed out" in row.email_error
    assert result.sent == 0


@pytest.mark.django_db
def test_one_timeout_for_a_batch_not_one_per_row(settings, silent_smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = silent_smtp
    settings.EMAIL_TIMEOUT = 1
    user = UserFactory(email="wangfang@example.cn")
    rows = NotificationFactory.create_batch(5, recipient=user)
    started = time.monotonic()
    relay.deliver_pending()
    assert time.monotonic() - started < 4  # five rows, about one timeout
    attempts = sorted(type(r).objects.get(pk=r.pk).email_attempts for r in rows)
    assert attempts == [0, 0, 0, 0, 1]  # the others were not tried: nothing counted against them


def test_the_default_settings_bound_every_mail_socket_wait():
    from config.settings import base

    assert base.EMAIL_TIMEOUT and base.EMAIL_TIMEOUT <= 30
