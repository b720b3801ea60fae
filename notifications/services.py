"""Every write of the notifications app: writing due notifications (sweeps and workflows),
marking them read, and a user's preferences; e-mailing them from the rows is the relay's
(``notifications.relay``).

Guarantees:

* **Never twice.** Rows are keyed (recipient, kind, subject, period); writes use
  ``bulk_create(ignore_conflicts=True)``, so a rerun or a concurrent run inserts only what is
  missing. The relay claims rows with ``select_for_update(skip_locked=True)``, so two relays never
  e-mail the same row.
* **Never lost.** A row is committed before anything is queued. Queuing happens after commit and
  tolerates a broker outage; the periodic relay sends whatever is still pending.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.audit import audited, log_bulk

from . import registry, texts
from .models import Notification, Preference
from .registry import Due, Sweep


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
