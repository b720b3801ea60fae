"""The notification seam. Services call :func:`queue` inside their transaction; the message is
sent after commit, so a rollback sends nothing.

Today it sends Django mail. When the notifications app lands, switch the body of :func:`_deliver`
to create notification rows (in-app first, e-mail from the rows); nothing else has to change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def queue(*, users: Iterable[Any], kind: str, subject: str, body: str) -> None:
    """Send ``subject``/``body`` to ``users`` after the current transaction commits."""
    recipients = sorted({u.email for u in users if u is not None and getattr(u, "email", "")})
    transaction.on_commit(
        lambda: _deliver(recipients=recipients, kind=kind, subject=subject, body=body)
    )


def _deliver(*, recipients: list[str], kind: str, subject: str, body: str) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception:  # a mail outage must not break the user's request
        logger.exception("assessments notification %s failed", kind)


def center_admins() -> list[Any]:
    from staff.models import Role, User

    return list(User.objects.filter(role=Role.CENTER_ADMIN, is_active=True).exclude(email=""))
