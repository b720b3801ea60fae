"""core.sessions: the idle timeout slides without a session write on every request."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from core import sessions
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_rewritten_only_when_the_last_write_is_older_than_the_refresh(admin_user, monkeypatch):
    now = [1_800_000_000]
    monkeypatch.setattr(sessions.time, "time", lambda: now[0])
    client = client_for(admin_user)
    url = reverse("staff:list")
    assert client.get(url).status_code == 200
    first = expiry(client)
    now[0] += 30
    client.get(url)
    assert expiry(client) == first  # within a minute of the last write: no write
    now[0] += 31
    earlier = first - timedelta(minutes=10)  # still valid, so the row can show a rewrite
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=earlier)
    client.get(url)
    assert expiry(client) > earlier  # rewritten: the expiry slid on


def test_anonymous_requests_create_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()
