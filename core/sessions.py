"""A sliding idle timeout without a session write on every request.

``SESSION_SAVE_EVERY_REQUEST`` would keep the idle timeout sliding by rewriting the session row on
every request (three queries: BEGIN, UPDATE, COMMIT). This middleware marks the session modified
only when its last write is more than ``SESSION_REFRESH_SECONDS`` old, so the expiry still slides
(to within that many seconds) while a user clicking through pages costs no write. It must come
after ``SessionMiddleware`` in ``MIDDLEWARE`` so the session middleware sees the mark.
"""

from __future__ import annotations

import time

from django.conf import settings

REFRESHED = "_refreshed"


def stamp_on_login(sender, request, user, **kwargs) -> None:
    """A login writes the session anyway: record it as the last write (``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED] = int(time.time())


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED] = now
        return response
