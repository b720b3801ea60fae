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
