"""System clients: machines calling the API with their own revocable token.

A token is ``sc_`` followed by 43 random URL-safe characters; only its SHA-256 is stored (a
random token of that length needs no slow hash), so it is shown once, when issued or rotated.
Services called by a client attribute their writes with :func:`client_audited`: auditlog's
``actor`` is a user, so the client goes into every entry's additional data, with the reason.

Used by the attendance terminals (scope ``attendance.punch``); issue #18 reuses it for the
hall's rating and queue systems and the case system. A client holds only scopes an app registered
(``core.scopes``). Center administrators manage clients on the portal's system-client pages
(and in the admin); ``manage.py issue_client_token`` issues one from a script.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audited
from .models import SystemClient
from .scopes import unknown_scopes

TOKEN_PREFIX = "sc_"  # noqa: S105 (a marker, not a secret)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def clean_scopes(scopes: Any) -> list[str]:
    """A sorted list of distinct registered scope names, or ValidationError (``scopes``)."""
    if not isinstance(scopes, list | tuple) or not all(
        isinstance(s, str) and s.strip() for s in scopes
    ):
        raise ValidationError({"scopes": [_("Scopes are a list of names.")]})
    cleaned = sorted({s.strip() for s in scopes})
    unknown = unknown_scopes(cleaned)
    if unknown:
        raise ValidationError(
            {"scopes": [_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}]}
        )
    return cleaned


@transaction.atomic
def client_create(
    *, actor: Any, name: str, kind: str, scopes: list[str]
) -> tuple[SystemClient, str]:
    """Create an active client and return it with its token (the only time it is readable)."""
    raw = _new_token()
    client = SystemClient(
        name=(name or "").strip(),
        kind=kind,
        scopes=clean_scopes(scopes),
        token_hash=token_hash(raw),
        token_prefix=raw[:10],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    client.full_clean()
    with audited(actor=actor, reason=_("System client created")):
        client.save()
    return client, raw


@transaction.atomic
def client_rotate(*, actor: Any, client: SystemClient) -> str:
    """Replace the token (the old one stops working at once); returns the new token."""
    client = SystemClient.objects.select_for_update().get(pk=client.pk)
    raw = _new_token()
    client.token_hash = token_hash(raw)
    client.token_prefix = raw[:10]
    with audited(actor=actor, reason=_("System client token replaced")):
        client.save(update_fields=["token_hash", "token_prefix"])
    return raw


@transaction.atomic
def client_revoke(*, actor: Any, client: SystemClient, reason: str = "") -> SystemClient:
    """Deactivate the client: its token is refused from the next request on."""
    client = SystemClient.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        return client
    client.is_active = False
    client.revoked_at = timezone.now()
    with audited(actor=actor, reason=reason or _("System client revoked")):
        client.save(update_fields=["is_active", "revoked_at"])
    return client


def client_for_token(raw: str) -> SystemClient | None:
    """The active client holding ``raw``, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    return SystemClient.objects.filter(token_hash=token_hash(raw), is_active=True).first()


@contextlib.contextmanager
def client_audited(client: SystemClient, *, reason: str = "") -> Iterator[None]:
    """Attribute every audit entry written inside the block to ``client``."""
    with audited(actor=None, reason=reason, system_client=client.audit_label):
        yield


class ClientPrincipal:
    """``request.user`` of a request authenticated as a system client: authenticated, with no
    role (so no permission of the role table) and no database row of its own."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    role = None
    pk = None
    id = None

    def __init__(self, client: SystemClient):
        self.system_client = client
        self.username = f"client:{client.pk}"

    def __str__(self) -> str:
        return self.system_client.name

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False
