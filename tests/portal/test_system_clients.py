"""The center's system-client pages (issue #18): the token is shown once on the next page, a new
token invalidates the old one, a revoked client is refused (401) from its next call, other roles
get 403, a scope no app registered is refused in words; the management command."""

import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import SystemClient
from core.scopes import scope_choices, scope_label

from ..conftest import client_for
from ..queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Client rate limits count in the cache, by client id: start every test from zero."""
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from core.authentication import SystemClientRateThrottle

    SystemClientRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    cache.clear()
    yield
    cache.clear()


def call(raw):
    """A call a case-system client may make (an empty batch)."""
    return APIClient().post(
        "/api/v1/feeds/cases/", {"cases": []}, format="json", HTTP_AUTHORIZATION=f"Client {raw}"
    )


def create(browser, **over):
    data = {"name": "办件系统", "kind": "case", "scopes": ["cases.push"], **over}
    return browser.post(reverse("portal:client_create"), data)


def test_the_registry_names_every_scope_in_words():
    names = dict(scope_choices())
    assert {"attendance.punch", "hall.screen", "ratings.push", "cases.push"} <= set(names)
    assert scope_label("cases.push") != "cases.push"
    assert scope_label("gone.scope") == "gone.scope"


def test_create_shows_the_token_once(admin_user):
    browser = client_for(admin_user)
    answer = create(browser)
    client = SystemClient.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:client_token", args=[client.pk])
    shown = browser.get(answer["Location"])
    token = shown.context["token"]
    assert token.startswith("sc_") and token in shown.content.decode()
    assert client.token_prefix == token[:10]
    again = browser.get(answer["Location"])
    assert again.context["token"] is None and token not in again.content.decode()
    listed = browser.get(reverse("portal:client_list")).content.decode()
    assert token not in listed and client.token_prefix in listed
    assert scope_label("cases.push") in listed
    assert call(token).status_code == 200
    created = LogEntry.objects.get_for_object(client).get(action=LogEntry.Action.CREATE)
    assert created.actor == admin_user and "token_hash" not in created.changes_dict


def test_rotate_invalidates_the_old_token(admin_user):
    browser = client_for(admin_user)
    old = browser.get(create(browser)["Location"]).context["token"]
    client = SystemClient.objects.get()
    answer = browser.post(reverse("portal:client_rotate", args=[client.pk]))
    new = browser.get(answer["Location"]).context["token"]
    assert new != old
    assert call(old).status_code == 401
    assert call(new).status_code == 200


def test_revoke_with_a_reason_then_401(admin_user):
    browser = client_for(admin_user)
    token = browser.get(create(browser)["Location"]).context["token"]
    client = SystemClient.objects.get()
    url = reverse("portal:client_revoke", args=[client.pk])
    assert browser.get(url).status_code == 200
    assert browser.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert call(token).status_code == 200
    assert browser.post(url, {"reason": "系统下线"}).status_code == 302
    assert call(token).status_code == 401
    client.refresh_from_db()
    assert not client.is_active and client.revoked_at is not None
    entry = LogEntry.objects.get_for_object(client).latest("timestamp")
    assert entry.actor == admin_user and entry.additional_data["reason"] == "系统下线"
    # a revoked client gets no new token
    browser.post(reverse("portal:client_rotate", args=[client.pk]))
    assert SystemClient.objects.get().token_prefix == client.token_prefix


def test_a_scope_no_app_registered_is_refused_in_words(admin_user):
    browser = client_for(admin_user)
    answer = create(browser, scopes=["everything"])
    assert answer.status_code == 200
    assert not SystemClient.objects.exists()
    errors = answer.context["form"].errors["scopes"]
    assert errors and all("everything" in e for e in errors)
    assert "选择" in errors[0]  # Django's own message, in Chinese
    # and the service says so too, whoever calls it
    from django.core.exceptions import ValidationError

    from core.system_clients import client_create

    with pytest.raises(ValidationError) as raised:
        client_create(actor=admin_user, name="x", kind="other", scopes=["everything"])
    assert "未知" in str(raised.value)


@pytest.mark.parametrize("persona", ["liaison_a", "hr", "staff"])
def test_other_roles_get_403(personas, persona, admin_user):
    browser = client_for(personas[persona])
    assert browser.get(reverse("portal:client_list")).status_code == 403
    assert create(browser).status_code == 403
    assert not SystemClient.objects.exists()


def test_list_queries_do_not_grow(admin_user):
    browser = client_for(admin_user)
    url = reverse("portal:client_list")
    counter = iter(range(100))

    def grow():
        from core.system_clients import client_create

        for _ in range(3):
            client, _raw = client_create(
                actor=admin_user,
                name=f"考勤机{next(counter)}",
                kind="terminal",
                scopes=["attendance.punch"],
            )
            SystemClient.objects.filter(pk=client.pk).update(
                last_used_at=timezone.now() - timedelta(minutes=5)
            )

    assert_constant_queries(lambda: browser.get(url), grow, at_most=15)


def test_issue_client_token_command(admin_user):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "issue_client_token", "--name", "办件系统", "--kind", "case", "--scope", "cases.push",
        stdout=out, stderr=err,
    )  # fmt: skip
    token = out.getvalue().strip()
    assert token.startswith("sc_") and call(token).status_code == 200
    out2 = io.StringIO()
    call_command("issue_client_token", "--name", "办件系统", "--rotate", stdout=out2, stderr=err)
    assert call(token).status_code == 401
    assert call(out2.getvalue().strip()).status_code == 200
    with pytest.raises(CommandError):
        call_command("issue_client_token", "--name", "坏的", "--scope", "nope", stderr=err)
