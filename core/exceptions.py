"""Errors a service raises, whatever calls it (a page, the API, a task, the admin).

Services raise Django's ``ValidationError`` for bad input and ``PermissionDenied`` for a user who
may not act; :class:`Conflict` is a ``ValidationError`` that says the row changed or is in
another state since the user looked, so nothing was applied. Pages show any of them as a form
error; the API maps them in one place (``core.api.exception_handler``): 400, 403, 409 (and
``Http404`` to 404).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The object changed, or is in another state, since the user looked; nothing was applied."""
