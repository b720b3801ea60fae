"""Tokens die with the password (issue #19), on every path that sets one: the holder's change
page, the e-mailed reset link, the center's reset, Django admin, ``changepassword``. Other
sessions end; the session that changed the password stays signed in."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from staff import accounts
from staff.models import Role, User

from ..factories import UserFactory

PASSWORD = "pw-for-tests-123"
NEW = "Xinmima#2026ok"


@pytest.fixture
def holder(db):
    user = UserFactory(username="holder", role=Role.HR, email="holder@example.cn")
    return user


def signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("notifications:list")).status_code == 200


def api_works(token: Token) -> bool:
    response = Client().get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Token {token.key}")
    return response.status_code == 200


def test_own_change_revokes_tokens_and_other_sessions_not_this_one(holder):
    token = Token.objects.create(user=holder)
    here, elsewhere = signed_in(holder), signed_in(holder)
    assert api_works(token) and is_signed_in(elsewhere)
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=holder).exists() and not api_works(token)
    assert is_signed_in(here), "update_session_auth_hash keeps the current session"
    assert not is_signed_in(elsewhere)


def test_a_wrong_old_password_changes_nothing(holder):
    token = Token.objects.create(user=holder)
    client = signed_in(holder)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong-one-123", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200 and Token.objects.filter(pk=token.pk).exists()


def test_reset_by_email_revokes_tokens_and_every_session(holder, settings):
    holder.language = "zh-hans"
    holder.save(update_fields=["language"])
    token = Token.objects.create(user=holder)
    elsewhere = signed_in(holder)
    anonymous = Client()
    response = anonymous.post(reverse("password_reset"), {"email": "HOLDER@example.cn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["holder@example.cn"] and "设置新密码" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = anonymous.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    holder.refresh_from_db()
    assert holder.check_password(NEW) and not holder.must_change_password
    assert not Token.objects.filter(pk=token.pk).exists() and not is_signed_in(elsewhere)
    again = anonymous.get(link, follow=True)
    assert not again.context["validlink"], "a link works once"


def test_the_reset_mail_is_in_the_holders_language(holder):
    holder.language = "en"
    holder.save(update_fields=["language"])
    Client().post(reverse("password_reset"), {"email": "holder@example.cn"})
    assert "choose a new password" in mail.outbox[0].subject


def test_reset_by_email_says_the_same_for_an_unknown_address(holder):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302 and not mail.outbox


def test_the_centers_reset_revokes_tokens(admin_user, holder):
    token = Token.objects.create(user=holder)
    elsewhere = signed_in(holder)
    accounts.account_password_reset(actor=admin_user, user=holder)
    assert not Token.objects.filter(pk=token.pk).exists() and not is_signed_in(elsewhere)


def test_django_admins_password_form_revokes_tokens(holder):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    token = Token.objects.create(user=holder)
    client = Client()
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[holder.pk])
    response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_changepassword_and_set_password_revoke_tokens(holder, monkeypatch):
    token = Token.objects.create(user=holder)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", "holder")
    assert not Token.objects.filter(pk=token.pk).exists()
    token = Token.objects.create(user=holder)
    holder.set_password("Another#pass2026")
    holder.save()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_other_saves_and_a_hash_upgrade_at_login_keep_tokens(holder):
    token = Token.objects.create(user=holder)
    holder.first_name = "改名"
    holder.save()
    # A hash of a hasher other than the preferred one is rewritten at login: the same secret.
    User.objects.filter(pk=holder.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256_temporary")
    )
    entries = LogEntry.objects.get_for_object(holder).count()
    signed_in(User.objects.get(pk=holder.pk))
    holder.refresh_from_db()
    assert holder.password.startswith("md5$"), "upgraded"
    assert Token.objects.filter(pk=token.pk).exists()
    assert LogEntry.objects.get_for_object(holder).count() == entries, "not an audited change"


# --- the reset form's rate limit (per client address and per e-mail address) ------------------


def _reset(email: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def test_reset_requests_are_limited_per_email_address(holder, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "2/hour"
    answers = [_reset("holder@example.cn", f"10.0.0.{n}") for n in range(1, 5)]
    # the third and fourth, from other addresses and in other letter cases, send nothing but
    # answer exactly like the first two (and like an unknown address)
    answers.append(_reset("HOLDER@example.cn", "10.0.0.9"))
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 2
    done = Client().get(reverse("password_reset_done"))
    assert done.status_code == 200 and "设置新密码的链接已发出" in done.content.decode()


def test_reset_requests_are_limited_per_client_address(holder, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/hour"
    for n in range(3):
        assert _reset(f"nobody{n}@example.cn").status_code == 302
    over = _reset("holder@example.cn")  # an existing address, over the limit: no mail
    assert over.status_code == 302 and over["Location"] == reverse("password_reset_done")
    assert not mail.outbox
    elsewhere = _reset("holder@example.cn", "10.0.0.2")  # another client is not held back
    assert elsewhere.status_code == 302 and len(mail.outbox) == 1


def test_the_reset_limit_window_ends(holder, settings):
    from core import ratelimit

    settings.PASSWORD_RESET_RATE_PER_EMAIL = "1/hour"
    _reset("holder@example.cn")
    _reset("holder@example.cn")
    assert len(mail.outbox) == 1
    # the window is the cache entry's lifetime: once it expires, a request is counted afresh
    from django.core.cache import cache

    cache.delete(ratelimit._key("password_reset.email", "holder@example.cn"))
    _reset("holder@example.cn")
    assert len(mail.outbox) == 2
    assert ratelimit.parse_rate("10/hour") == (10, 3600)
    assert ratelimit.parse_rate("5/m") == (5, 60)


def test_behind_the_proxy_each_client_is_counted_apart(holder, settings):
    """deploy/nginx.conf passes X-Forwarded-For and docker-compose trusts one proxy
    (TRUSTED_PROXY_DEPTH=1): the reset limit sees clients as the API's throttles and the login
    lockouts do, not the proxy's one address."""
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "1/hour"
    settings.XFF_TRUSTED_PROXY_DEPTH = 1
    settings.MIDDLEWARE = ["xff.middleware.XForwardedForMiddleware", *settings.MIDDLEWARE]

    def via_proxy(client_ip: str, email: str):
        client = Client(REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=client_ip)
        return client.post(reverse("password_reset"), {"email": email})

    via_proxy("10.1.1.1", "nobody@example.cn")
    via_proxy("10.1.1.2", "holder@example.cn")  # another client: not held back by the first
    assert len(mail.outbox) == 1
    via_proxy("10.1.1.2", "holder@example.cn")  # the same client again: over its limit
    assert len(mail.outbox) == 1


def test_without_a_trusted_proxy_a_client_cannot_choose_its_address(holder, settings):
    """TRUSTED_PROXY_DEPTH=0 (no proxy in front): a client's own X-Forwarded-For is ignored, so
    sending a new one each time does not get round the limit."""
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "1/hour"
    assert settings.XFF_TRUSTED_PROXY_DEPTH == 0
    for n in range(3):
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            reverse("password_reset"), {"email": "holder@example.cn"}
        )
    assert len(mail.outbox) == 1


def test_behind_the_proxy_login_lockouts_see_the_client(settings):
    """The login lockout (django-axes) counts failures per username and the client's address as
    the trusted proxy saw it; a spoofed entry in front of it changes nothing."""
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory
    from xff.middleware import XForwardedForMiddleware

    settings.XFF_TRUSTED_PROXY_DEPTH = 1
    seen = []
    middleware = XForwardedForMiddleware(lambda request: seen.append(request) or None)
    middleware(
        RequestFactory().post(
            "/accounts/login/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.7"
        )
    )
    assert get_client_ip_address(seen[0]) == "10.1.1.7"
