"""API authentication: the browser's session, or a token (``Authorization: Token …``).

DRF asks the FIRST authentication class for the ``WWW-Authenticate`` header of a 401; the
session class has none, so a wrong or revoked token used to get 403 with no header, which API
clients (and their retry logic) read as "forbidden", not "log in again". A request that carries
credentials of its own is answered 401 with ``WWW-Authenticate: Token``; one that carries none
(a browser without a session) keeps DRF's 403."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle


class SessionOrTokenChallenge(SessionAuthentication):
    """The session authentication, challenging for a token when the request offered one."""

    def authenticate_header(self, request) -> str | None:
        if request.META.get("HTTP_AUTHORIZATION"):
            return TokenAuthentication().authenticate_header(request)
        return None


class SessionOrTokenChallengeScheme(SessionScheme):
    """The OpenAPI schema describes it as the session cookie it is."""

    target_class = "core.authentication.SessionOrTokenChallenge"


# --- system clients (core.system_clients) --------------------------------------------------


class SystemClientAuthentication(TokenAuthentication):
    """``Authorization: Client sc_…``: the request is the system client's (``request.auth``),
    its user a :class:`core.system_clients.ClientPrincipal`. A revoked or unknown token is 401."""

    keyword = "Client"

    def authenticate_credentials(self, key):
        from .models import SystemClient
        from .system_clients import ClientPrincipal, client_for_token

        client = client_for_token(key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked client token."))
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
            SystemClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return ClientPrincipal(client), client


class HasClientScope(BasePermission):
    """The request is a system client's, and the client holds the view's ``client_scope``."""

    message = _("This client may not use this endpoint.")

    def has_permission(self, request, view) -> bool:
        from .models import SystemClient

        client = request.auth
        return isinstance(client, SystemClient) and client.has_scope(view.client_scope)


class SystemClientRateThrottle(SimpleRateThrottle):
    """Requests per system client (rate ``system_client`` in ``DEFAULT_THROTTLE_RATES``)."""

    scope = "system_client"

    def get_cache_key(self, request, view):
        from .models import SystemClient

        if not isinstance(request.auth, SystemClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SystemClientScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.SystemClientAuthentication"
    name = "systemClient"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Client sc_…",
        }
