"""Optional directory sign-in (OIDC, through mozilla-django-oidc), off unless
``OIDC_RP_CLIENT_ID`` is set (``config/settings/directory.py``; README, Configuration).

The directory proves who someone is; this system still decides what they may do. A directory
user is matched to an **existing, active** login — by username (the ``OIDC_USERNAME_CLAIM``
claim, ``preferred_username`` by default, compared without case), else by e-mail when exactly one
active login has it — and gets that login's role and departments. Nobody is ever created or
changed from the directory: no account, no role (center, HR, liaison), no department.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


def match_directory_user(claims: dict) -> User | None:
    """The existing active login the directory's ``claims`` name, or None (unknown, or an
    e-mail shared by several logins)."""
    active = User.objects.filter(is_active=True)
    username = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()
    if username:
        found = list(active.filter(username__iexact=username)[:2])
        if len(found) == 1:
            return found[0]
    email = str(claims.get("email") or "").strip()
    if email and settings.OIDC_MATCH_EMAIL:
        found = list(active.filter(email__iexact=email)[:2])
        if len(found) == 1:
            return found[0]
    return None


class DirectoryBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def filter_users_by_claims(self, claims) -> QuerySet[User]:
        user = match_directory_user(claims)
        return User.objects.filter(pk=user.pk) if user else User.objects.none()

    def create_user(self, claims):
        return None  # never: OIDC_CREATE_USER is False as well

    def update_user(self, user, claims):
        return user  # the directory changes nothing of the login (role, departments, name)
