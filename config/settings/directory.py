"""Directory sign-in (OIDC) settings from the environment: off unless OIDC_RP_CLIENT_ID is set.

Read by ``base.py``; a function of the environment, so the switch is testable without reloading
the settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

ENDPOINTS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def oidc_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings to add: ``OIDC_ENABLED`` False and nothing else when no client id is set;
    else every mozilla-django-oidc setting, users never created (``OIDC_CREATE_USER``).
    Raises ImproperlyConfigured when enabled with a secret or an endpoint missing."""
    common = {
        "OIDC_USERNAME_CLAIM": environ.get("OIDC_USERNAME_CLAIM", "preferred_username"),
        "OIDC_MATCH_EMAIL": environ.get("OIDC_MATCH_EMAIL", "true").lower() in {"1", "true", "yes"},
    }
    client_id = environ.get("OIDC_RP_CLIENT_ID", "").strip()
    if not client_id:
        return {"OIDC_ENABLED": False, **common}
    missing = [name for name in ("OIDC_RP_CLIENT_SECRET", *ENDPOINTS) if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            "Directory sign-in needs " + ", ".join(missing) + " (OIDC_RP_CLIENT_ID is set)."
        )
    return {
        "OIDC_ENABLED": True,
        **common,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": environ["OIDC_RP_CLIENT_SECRET"],
        **{name: environ[name] for name in ENDPOINTS},
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "openid email profile"),
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_TIMEOUT": int(environ.get("OIDC_TIMEOUT", "10")),
        "LOGIN_REDIRECT_URL_FAILURE": "/accounts/login/",
    }


def apply(namespace: dict[str, Any], environ: Mapping[str, str]) -> None:
    """Add the settings to the settings module's ``namespace``; when enabled, the app and the
    authentication backend too."""
    values = oidc_settings(environ)
    namespace.update(values)
    if values["OIDC_ENABLED"]:
        namespace["INSTALLED_APPS"] = [*namespace["INSTALLED_APPS"], "mozilla_django_oidc"]
        namespace["AUTHENTICATION_BACKENDS"] = [
            *namespace["AUTHENTICATION_BACKENDS"],
            "staff.directory.DirectoryBackend",
        ]
