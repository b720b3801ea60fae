"""System clients: a token shown once and stored hashed, scopes, revocation, rate limits, and the
audit trail naming the client."""

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from rest_framework.test import APIClient

from core import system_clients
from core.models import SystemClient, SystemClientKind

pytestmark = pytest.mark.django_db


def make(admin, scopes=("attendance.punch",)):
    return system_clients.client_create(
        actor=admin, name="一楼考勤机", kind=SystemClientKind.TERMINAL, scopes=list(scopes)
    )


def test_token_is_stored_only_as_its_hash(admin_user):
    client, raw = make(admin_user)
    assert raw.startswith("sc_") and len(raw) > 40
    stored = SystemClient.objects.get(pk=client.pk)
    assert raw not in (stored.token_hash, stored.token_prefix)
    assert stored.token_hash == system_clients.token_hash(raw)
    assert system_clients.client_for_token(raw) == client
    assert system_clients.client_for_token(raw + "x") is None
    entry = LogEntry.objects.get_for_object(client).get()
    assert entry.actor == admin_user
    assert "token_hash" not in (entry.changes or {})


def test_scopes_must_be_a_list_of_names(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        system_clients.client_create(actor=admin_user, name="x", kind="terminal", scopes="all")


def push(raw, payload):
    api = APIClient()
    return api.post("/api/v1/punches/", payload, format="json", HTTP_AUTHORIZATION=f"Client {raw}")


def test_revoked_or_rotated_token_is_refused_with_401(center, admin_user):
    client, raw = make(admin_user)
    body = {"punches": []}
    assert push(raw, body).status_code == 200
    new = system_clients.client_rotate(actor=admin_user, client=client)
    assert push(raw, body).status_code == 401
    assert push(new, body).status_code == 200
    system_clients.client_revoke(actor=admin_user, client=client)
    response = push(new, body)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Client")


def test_a_client_without_the_scope_is_refused(center, admin_user):
    _client, raw = make(admin_user, scopes=["ratings.push"])
    assert push(raw, {"punches": []}).status_code == 403


def test_a_user_session_or_user_token_cannot_push(center, staff_user, admin_user):
    api = APIClient()
    api.force_login(admin_user)
    assert api.post("/api/v1/punches/", {"punches": []}, format="json").status_code in (401, 403)


def test_a_client_has_no_permission_of_a_role(center, admin_user):
    _client, raw = make(admin_user)
    api = APIClient()
    response = api.get("/api/v1/staff/", HTTP_AUTHORIZATION=f"Client {raw}")
    assert response.status_code in (401, 403)


def test_pushes_are_rate_limited_per_client(center, admin_user, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "system_client": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from core.authentication import SystemClientRateThrottle

    original = SystemClientRateThrottle.THROTTLE_RATES  # restored as it was (the settings
    # fixture restores api_settings only after this test's finally block)
    SystemClientRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    try:
        _client, raw = make(admin_user)
        codes = [push(raw, {"punches": []}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        other, raw2 = system_clients.client_create(
            actor=admin_user, name="二楼考勤机", kind="terminal", scopes=["attendance.punch"]
        )
        assert push(raw2, {"punches": []}).status_code == 200
    finally:
        SystemClientRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_the_admin_issues_a_token_once_and_revokes(admin_user, client):
    from django.contrib.messages import get_messages

    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/systemclient/add/",
        {"name": "三楼考勤机", "kind": "terminal", "scopes": '["attendance.punch"]'},
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    import re

    token = next(m.group(0) for text in shown if (m := re.search(r"sc_[\w-]+", text)))
    stored = SystemClient.objects.get(name="三楼考勤机")
    assert stored.token_hash == system_clients.token_hash(token) and stored.created_by == admin_user
    client.post(
        "/admin/core/systemclient/",
        {"action": "revoke", "_selected_action": [stored.pk]},
    )
    stored.refresh_from_db()
    assert not stored.is_active and stored.revoked_at is not None
