"""Every write of the notifications app: writing due notifications (sweeps and workflows),
e-mailing them from the rows (the relay), marking them read, and a user's preferences.

Guarantees:

* **Never twice.** Rows are keyed (recipient, kind, subject, period); writes use
  ``bulk_create(ignore_conflicts=True)``, so a rerun or a concurrent run inserts only what is
  missing. The relay claims rows with ``select_for_update(skip_locked=True)``, so two relays never
  e-mail the same row.
* **Never lost.** A row is committed before anything is queued. Queuing happens after commit and
  tolerates a broker outage; the periodic relay sends whatever is still pending.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs, people
from core.audit import audited, log_bulk

from . import registry, texts
from .models import EmailStatus, Notification, Preference
from .registry import Due, Sweep

logger = logging.getLogger(__name__)


def conf(name: str) -> Any:
    return settings.NOTIFICATIONS[name]


# --- writing notifications --------------------------------------------------------------------


@dataclass
class Planned:
    """A row that a run would write (kept for ``--dry-run`` output)."""

    recipient: str
    kind: str
    period: str
    title: str


@dataclass
class SweepResult:
    name: str
    due: int = 0
    created: int = 0
    planned: list[Planned] = field(default_factory=list)


class _Writer:
    """Turns ``Due`` items into rows, batch by batch, remembering recipients across batches."""

    def __init__(self, *, dry_run: bool, keep_planned: bool) -> None:
        self.dry_run = dry_run
        self.keep_planned = keep_planned
        self.users: dict[int, tuple[str, str] | None] = {}  # id → (username, language)
        self.rendered: dict[tuple[int, str], tuple[str, str]] = {}
        self.encoded: dict[int, dict[str, Any]] = {}

    def write(self, dues: list[Due], result: SweepResult) -> int:
        keys: list[tuple[int, str, int, int, str, Due]] = []
        for due in dues:
            model, subject_id = due.subject
            ct_id = ContentType.objects.get_for_model(model).pk
            for recipient_id in dict.fromkeys(due.recipients):
                keys.append((recipient_id, due.kind, ct_id, subject_id, due.period, due))
        if not keys:
            return 0
        existing = set(
            Notification.objects.filter(
                subject_type_id__in={k[2] for k in keys},
                subject_id__in={k[3] for k in keys},
                kind__in={k[1] for k in keys},
                period__in={k[4] for k in keys},
            ).values_list("recipient_id", "kind", "subject_type_id", "subject_id", "period")
        )
        missing = [k for k in keys if k[:5] not in existing]
        self.rendered.clear()  # keyed by id(due): valid within one batch only
        self.encoded.clear()
        self._load_users({k[0] for k in missing})
        rows = []
        for recipient_id, kind_key, ct_id, subject_id, period, due in missing:
            user = self.users.get(recipient_id)
            if user is None:  # inactive or deleted account: nobody to tell
                continue
            username, language = user
            params = self._encode(due)
            title, body = self._render(due, params, language)
            if self.keep_planned:
                result.planned.append(Planned(username, kind_key, period, title))
            rows.append(
                Notification(
                    recipient_id=recipient_id,
                    kind=kind_key,
                    subject_type_id=ct_id,
                    subject_id=subject_id,
                    period=period,
                    params=params,
                    title=title[:200],
                    body=body,
                    link=due.link,
                )
            )
        if rows and not self.dry_run:
            with transaction.atomic():
                Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        return len(rows)

    def _load_users(self, ids: set[int]) -> None:
        wanted = ids - self.users.keys()
        if not wanted:
            return
        for pk in wanted:
            self.users[pk] = None
        found = (
            get_user_model()
            .objects.filter(pk__in=wanted, is_active=True)
            .values_list("pk", "username", "language")
        )
        for pk, username, language in found:
            self.users[pk] = (username, language or settings.LANGUAGE_CODE)

    def _encode(self, due: Due) -> dict[str, Any]:
        if id(due) not in self.encoded:
            self.encoded[id(due)] = texts.encode(due.params)
        return self.encoded[id(due)]

    def _render(self, due: Due, params: dict[str, Any], language: str) -> tuple[str, str]:
        # From the stored form, as when shown: the row's fallback texts say the same.
        cache_key = (id(due), language)
        if cache_key not in self.rendered:
            self.rendered[cache_key] = texts.render(due.kind, params, language)
        return self.rendered[cache_key]


def _batched(items: Iterable[Due], size: int) -> Iterator[list[Due]]:
    batch: list[Due] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def sweep_run(
    *, sweep: Sweep, today: date, dry_run: bool = False, keep_planned: bool = False
) -> SweepResult:
    """Run one sweep for ``today``: write every due notification that does not exist yet.

    Each batch commits on its own, so a crash loses at most the batch in progress and a rerun
    resumes. E-mail delivery is queued after the last batch commits (and the relay covers a
    broker outage). With ``dry_run`` nothing is written; ``planned`` lists what would be.
    """
    result = SweepResult(name=sweep.name)
    writer = _Writer(dry_run=dry_run, keep_planned=keep_planned or dry_run)
    for batch in _batched(sweep.func(today), conf("BATCH_SIZE")):
        result.due += len(batch)
        result.created += writer.write(batch, result)
    if result.created and not dry_run:
        log_bulk(
            actor=None,
            model=Notification,
            action=f"sweep {sweep.name}",
            count=result.created,
            reason=f"{sweep.name} {today.isoformat()}",
        )
        transaction.on_commit(enqueue_delivery)
    return result


def sweeps_run(
    *, schedule: str | None = registry.DAILY, today: date | None = None, dry_run: bool = False
) -> list[SweepResult]:
    """Run every sweep registered for ``schedule`` (all of them when ``None``)."""
    today = today or timezone.localdate()
    return [
        sweep_run(sweep=sweep, today=today, dry_run=dry_run) for sweep in registry.sweeps(schedule)
    ]


def notify(
    *,
    kind: str,
    subject: tuple[type, int],
    period: str,
    recipients: Iterable[int],
    params: dict[str, Any] | None = None,
    link: str = "",
) -> int:
    """Notify now, from a workflow service (a transfer approved, an appeal decided…).

    Runs inside the caller's transaction: the rows commit with the caller's change, and e-mail is
    queued only after that commit. If the broker is down, the caller's action still succeeds and
    the periodic relay sends the e-mail later. Returns the number of new rows.
    """
    due = Due(
        kind=kind,
        subject=subject,
        period=period,
        recipients=list(recipients),
        params=params or {},
        link=link,
    )
    return notify_all([due])


def notify_all(dues: Iterable[Due]) -> int:
    """:func:`notify` for several subjects at once (a file import opening many cases): the same
    guarantees, in a constant number of queries per batch. Returns the number of new rows."""
    created = 0
    writer = _Writer(dry_run=False, keep_planned=False)
    for batch in _batched(dues, conf("BATCH_SIZE")):
        for due in batch:
            registry.get_kind(due.kind)  # unknown kinds fail loudly, in tests first
        created += writer.write(batch, SweepResult(name="notify"))
    if created:
        transaction.on_commit(enqueue_delivery)
    return created


def enqueue_delivery() -> bool:
    """Queue the relay once, now. Never raises: a broker outage only delays e-mail (the
    periodic relay sends the pending rows)."""
    return jobs.send("notifications.deliver_pending")


# --- e-mail from the rows (the relay) ---------------------------------------------------------


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


# --- the user's own actions -------------------------------------------------------------------


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return count


def preferences_update(*, user: Any, language: str, email_kinds: Iterable[str]) -> None:
    """Save the user's language and, for every registered kind, whether to e-mail it.

    Raises ValidationError (translated) for an unknown language or kind; then nothing changes.
    """
    email_kinds = set(email_kinds)
    known = {kind.key for kind in registry.kinds()}
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the available languages.")})
    if email_kinds - known:
        raise ValidationError({"email_kinds": _("Unknown notification kind.")})
    with transaction.atomic(), audited(actor=user, reason=_("notification preferences")):
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        current = {p.kind: p for p in Preference.objects.select_for_update().filter(user=user)}
        for key in sorted(known):
            wanted = key in email_kinds
            pref = current.get(key)
            if pref is None:
                Preference.objects.create(user=user, kind=key, email=wanted)
            elif pref.email != wanted:
                pref.email = wanted
                pref.save(update_fields=["email"])
