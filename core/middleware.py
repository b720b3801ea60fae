"""A database that goes away mid-request (a failover, a restart, a dropped connection) answers
503 with "nothing was saved, try again", never a 500.

What a service was writing is lost with the transaction that held it (every write runs inside
``transaction.atomic``; PostgreSQL rolls back a transaction whose connection dies), so the page
can say truthfully that nothing was saved. The broken connection is closed here, so the next
request of this worker connects afresh (between requests ``CONN_HEALTH_CHECKS`` does the same
for a connection that died while idle)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, (OperationalError, InterfaceError)):
            return None
        return database_unavailable(request, exc)


def connection_lost(exc: BaseException | None) -> bool:
    """Whether ``exc`` or an exception it arose from is a lost database connection (a session
    store that failed to load, say, re-raises something else later)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer; the broken connections closed so the next request connects afresh."""
    log.warning("database unavailable during %s %s: %s", request.method, request.path, exc)
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    message = _(
        "The database is not reachable just now. Nothing was saved; please try again in a moment."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        # no request context: its processors read the database that is gone
        page = render_to_string("503.html", {"message": message, "language": get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unusable_connection() -> bool:
    return any(
        connection.connection is not None and not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an error outside any view (a middleware saving the session, say) that
    came from a lost database is a 503 too; anything else is the plain 500 page."""
    exc = sys.exc_info()[1]
    if connection_lost(exc) or _unusable_connection():
        return database_unavailable(request, exc)
    return HttpResponseServerError(render_to_string("500.html"))
