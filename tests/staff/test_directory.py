"""Optional directory sign-in (OIDC): off by default, switched on by environment variables,
matching a directory user to an existing login and never creating or promoting one."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, reverse

from config.settings.directory import apply, oidc_settings
from staff.directory import DirectoryBackend, match_directory_user
from staff.models import Role, User

from ..factories import UserFactory

ENVIRONMENT = {
    "OIDC_RP_CLIENT_ID": "window-staff",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.cn/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.cn/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.cn/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.cn/jwks",
}


def test_off_without_a_client_id():
    assert oidc_settings({})["OIDC_ENABLED"] is False
    namespace = {"INSTALLED_APPS": ["x"], "AUTHENTICATION_BACKENDS": ["y"]}
    apply(namespace, {})
    assert namespace["INSTALLED_APPS"] == ["x"] and namespace["AUTHENTICATION_BACKENDS"] == ["y"]


def test_on_with_the_variables_and_never_creating_users():
    values = oidc_settings(ENVIRONMENT)
    assert values["OIDC_ENABLED"] and values["OIDC_CREATE_USER"] is False
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == "https://idp.example.cn/token"
    namespace = {"INSTALLED_APPS": ["x"], "AUTHENTICATION_BACKENDS": ["y"]}
    apply(namespace, ENVIRONMENT)
    assert namespace["INSTALLED_APPS"][-1] == "mozilla_django_oidc"
    assert namespace["AUTHENTICATION_BACKENDS"][-1] == "staff.directory.DirectoryBackend"


def test_a_half_configuration_fails_at_start():
    partial = {k: v for k, v in ENVIRONMENT.items() if k != "OIDC_OP_JWKS_ENDPOINT"}
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings(partial)


def test_the_default_site_has_no_directory_sign_in(db, settings):
    assert settings.OIDC_ENABLED is False
    assert "staff.directory.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert 'data-testid="directory-sign-in"' not in Client().get(reverse("login")).content.decode()


def test_matching_by_username_then_by_a_unique_email(db):
    liaison = UserFactory(username="Zhang.San", role=Role.LIAISON, email="zs@example.cn")
    UserFactory(username="other", email="shared@example.cn")
    UserFactory(username="other2", email="shared@example.cn")
    UserFactory(username="gone", email="gone@example.cn", is_active=False)
    assert match_directory_user({"preferred_username": "zhang.san"}) == liaison
    assert match_directory_user({"preferred_username": "nobody", "email": "ZS@example.cn"}) == (
        liaison
    )
    assert match_directory_user({"email": "shared@example.cn"}) is None, "ambiguous"
    assert match_directory_user({"preferred_username": "gone"}) is None, "disabled"
    assert match_directory_user({"email": "gone@example.cn"}) is None


def test_e_mail_matching_can_be_turned_off(db, settings):
    UserFactory(username="li", email="li@example.cn")
    settings.OIDC_MATCH_EMAIL = False
    assert match_directory_user({"email": "li@example.cn"}) is None


@pytest.fixture
def oidc(settings):
    for name, value in oidc_settings(ENVIRONMENT).items():
        setattr(settings, name, value)


def test_the_backend_signs_in_an_existing_login_as_it_is(db, oidc, monkeypatch):
    hr = UserFactory(username="hr1", role=Role.HR, first_name="原名")
    backend = DirectoryBackend()
    claims = {
        "preferred_username": "HR1",
        "email": "x@example.cn",
        "name": "改名",
        "groups": ["admin"],
    }
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: claims)
    user = backend.get_or_create_user("access", "id", {})
    assert user == hr
    hr.refresh_from_db()
    assert (hr.role, hr.first_name, hr.is_superuser) == (Role.HR, "原名", False)


def test_the_backend_never_creates_a_login(db, oidc, monkeypatch):
    backend = DirectoryBackend()
    claims = {"preferred_username": "newcomer", "email": "new@example.cn"}
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: claims)
    before = User.objects.count()
    assert backend.get_or_create_user("access", "id", {}) is None
    assert User.objects.count() == before


def test_a_directory_session_is_not_held_at_the_password_change(db, oidc, settings, staff_user):
    from django.contrib.auth import BACKEND_SESSION_KEY

    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "staff.directory.DirectoryBackend",
    ]
    staff_user.must_change_password = True
    staff_user.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(staff_user, backend="staff.directory.DirectoryBackend")
    assert client.session[BACKEND_SESSION_KEY] == "staff.directory.DirectoryBackend"
    assert client.get(reverse("notifications:list")).status_code == 200
    local = Client()
    local.force_login(staff_user)
    assert local.get(reverse("notifications:list")).status_code == 302
