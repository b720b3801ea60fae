"""API authentication: the browser's session, or a token (``Authorization: Token …``).

DRF asks the FIRST authentication class for the ``WWW-Authenticate`` header of a 401; the
session class has none, so a wrong or revoked token used to get 403 with no header, which API
clients (and their retry logic) read as "forbidden", not "log in again". A request that carries
credentials of its own is answered 401 with ``WWW-Authenticate: Token``; one that carries none
(a browser without a session) keeps DRF's 403."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication, TokenAuthentication


class SessionOrTokenChallenge(SessionAuthentication):
    """The session authentication, challenging for a token when the request offered one."""

    def authenticate_header(self, request) -> str | None:
        if request.META.get("HTTP_AUTHORIZATION"):
            return TokenAuthentication().authenticate_header(request)
        return None


class SessionOrTokenChallengeScheme(SessionScheme):
    """The OpenAPI schema describes it as the session cookie it is."""

    target_class = "core.authentication.SessionOrTokenChallenge"
