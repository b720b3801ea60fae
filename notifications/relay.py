"""The e-mail relay: every pending notification row e-mailed once, in the recipient's language,
with the kind's attachments. Rows are claimed with ``select_for_update(skip_locked=True)``, so two
relays never e-mail the same row; a failed send is retried up to a bound, then marked failed (the
notification center shows it). Run by the periodic task and after each commit that wrote rows."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import people

from . import registry
from .models import EmailStatus, Notification, Preference
from .services import conf

logger = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry: int = 0


def _wants_email(row: Notification, prefs: dict[tuple[int, str], bool]) -> bool:
    try:
        default = registry.get_kind(row.kind).email_default
    except KeyError:
        default = True
    return prefs.get((row.recipient_id, row.kind), default)


def _message(row: Notification) -> EmailMessage:
    user = row.recipient
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = conf("SITE_URL").rstrip("/") + row.link if row.link else ""
        body = render_to_string(
            "notifications/email.txt",
            {
                "notification": row,
                "link": link,
                "center_name": settings.CENTER["NAME"],
                "user": user,
                "preferences_url": conf("SITE_URL").rstrip("/") + "/notifications/preferences/",
            },
        )
        subject = f"[{settings.CENTER['NAME']}] {row.display_title}"
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated", "X-Notification-Id": str(row.pk)},
        )
        builder = registry.attachment_builder(row.kind)
        if builder is not None:
            for filename, content, mimetype in builder(row):
                message.attach(filename, content, mimetype)
    return message


def deliver_pending(*, batch_size: int | None = None) -> DeliveryResult:
    """E-mail every pending row once.

    Rows are claimed with ``select_for_update(skip_locked=True)`` while they are sent, so
    concurrent relays split the work instead of duplicating it. A row is e-mailed only if its
    recipient is active, has an address and has not turned the kind off; otherwise it is marked
    skipped (it stays in the in-app center). A failed send is retried by later runs up to
    ``MAX_EMAIL_ATTEMPTS``; the run stops at the first failing batch (the mail server is likely
    down) and leaves the rest pending.
    """
    batch_size = batch_size or conf("DELIVERY_BATCH_SIZE")
    max_attempts = conf("MAX_EMAIL_ATTEMPTS")
    result = DeliveryResult()
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", *people.related("recipient"))
                .filter(email_status=EmailStatus.PENDING)
                .order_by("id")[:batch_size]
            )
            if not rows:
                return result
            prefs = {
                (uid, kind): email
                for uid, kind, email in Preference.objects.filter(
                    user_id__in={r.recipient_id for r in rows}, kind__in={r.kind for r in rows}
                ).values_list("user_id", "kind", "email")
            }
            failures = 0
            connection = None
            now = timezone.now()

            def failed(row: Notification, exc: Exception) -> None:
                nonlocal failures
                failures += 1
                row.email_error = str(exc)[:300]
                if row.email_attempts >= max_attempts:
                    row.email_status = EmailStatus.FAILED
                    result.failed += 1
                else:
                    result.retry += 1
                logger.warning("E-mail for notification %s failed: %s", row.pk, exc)

            for row in rows:
                user = row.recipient
                if not (user.is_active and user.email and _wants_email(row, prefs)):
                    row.email_status = EmailStatus.SKIPPED
                    result.skipped += 1
                    continue
                row.email_attempts += 1
                if connection is None:
                    connection = get_connection()  # EMAIL_TIMEOUT bounds every socket wait
                    try:
                        connection.open()
                    except Exception as exc:  # noqa: BLE001  (SMTP errors come in many types)
                        # Unreachable or silent server: one timeout for the batch, not one per
                        # row while the rows stay locked; the rest keep their attempts.
                        failed(row, exc)
                        break
                try:
                    connection.send_messages([_message(row)])
                except TimeoutError as exc:  # went silent mid-batch: same as above
                    failed(row, exc)
                    break
                except Exception as exc:  # noqa: BLE001
                    failed(row, exc)
                    continue
                row.email_status = EmailStatus.SENT
                row.emailed_at = now
                row.email_error = ""
                result.sent += 1
            if connection is not None:
                with contextlib.suppress(Exception):  # closing a broken connection
                    connection.close()
            Notification.objects.bulk_update(
                rows, ["email_status", "email_attempts", "emailed_at", "email_error"]
            )
        if failures:
            return result
