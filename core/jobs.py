"""Background jobs whose row is the truth: the Celery message only says "work on row N".

A broker outage must not fail the user's request, and a lost message or a killed worker must not
leave a job queued or running for ever:

- :func:`send` publishes now with one connection attempt and no publish retries (kombu would
  otherwise retry for seconds while the user waits); a broker that is down is logged and
  ``False`` returned — it never raises, because the row the job works on has committed already.
  :func:`send_on_commit` does the same once the current transaction commits.
- :func:`claim` is the conditional UPDATE by which a run takes a row: a queued row; a running row
  whose run is this very message delivered again (same Celery task id: the worker child was
  killed and ``acks_late`` gave the message back, so the run resumes its own job); or a running
  row whose run started longer ago than a task may live (it died). Two runs never both claim.
- :func:`register` names a kind of job for :func:`requeue`, which beat runs every few minutes:
  it sends again every row queued longer than ``REQUEUE_AFTER`` and every row whose run died. A
  message for a row that is being worked on claims nothing, so re-sending is always safe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

REQUEUE_AFTER = timedelta(minutes=5)


def _task(name: str):
    from celery import current_app
    from celery.exceptions import NotRegistered

    try:
        return current_app.tasks[name]
    except NotRegistered:  # a web process imports the apps' tasks modules only when asked
        current_app.loader.import_default_modules()
        return current_app.tasks[name]


def send(task_name: str, *args: Any) -> bool:
    """Queue ``task_name(*args)`` now. Never raises; ``False`` when the broker is unreachable."""
    task = _task(task_name)
    if task.app.conf.task_always_eager:  # tests and one-process runs: no broker to reach
        # apply(), not apply_async(): Celery 5's eager apply_async still takes a producer from
        # the app's pool, which raises once something has closed the pool
        task.apply(args=args)
        return True
    try:
        with task.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=5)
            task.apply_async(args=args, connection=connection, retry=False)
    except Exception as exc:  # noqa: BLE001  (any broker error; requeue() covers it)
        logger.warning("Could not queue %s%r (%s); it is sent again later.", task_name, args, exc)
        return False
    return True


def send_on_commit(task_name: str, *args: Any) -> None:
    """:func:`send` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task_name, *args))


def stale_before() -> Any:
    """A run that started before this has outlived any task's time limit: it died."""
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


@dataclass(frozen=True)
class JobKind:
    model: type[Model]
    task_name: str
    queued: str
    running: str
    queued_since: str = "created_at"

    def claimable(self, run_id: str) -> Q:
        mine = Q(run_id=run_id) if run_id else Q(pk__in=[])
        return Q(state=self.queued) | Q(state=self.running) & (
            mine | Q(started_at__lt=stale_before())
        )


_KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    model: type[Model],
    task_name: str,
    queued: str,
    running: str,
    queued_since: str = "created_at",
) -> JobKind:
    """Make a kind of job known to :func:`claim` and :func:`requeue`. The model has ``state``,
    ``run_id`` (the claiming run's task id), ``started_at`` and ``queued_since`` fields; its
    task takes the row's id and is bound (``bind=True``) so it knows its own id."""
    kind = JobKind(model, task_name, queued, running, queued_since)
    _KINDS[name] = kind
    return kind


def claim(kind: JobKind, *, pk: int, run_id: str, **changes: Any) -> bool:
    """Take row ``pk`` for the run ``run_id`` (see the module's text); ``changes`` are written
    with the claim (progress reset, say). Returns whether this run may work on it."""
    now = timezone.now()
    claimed = kind.model.objects.filter(kind.claimable(run_id), pk=pk).update(
        state=kind.running, run_id=run_id, started_at=now, **changes
    )
    return bool(claimed)


def requeue() -> dict[str, int]:
    """Send again every registered job that is queued too long or whose run died. Returns how
    many were sent per kind."""
    sent: dict[str, int] = {}
    for name, kind in _KINDS.items():
        waiting = Q(
            state=kind.queued, **{f"{kind.queued_since}__lt": timezone.now() - REQUEUE_AFTER}
        )
        dead = Q(state=kind.running, started_at__lt=stale_before())
        ids = list(kind.model.objects.filter(waiting | dead).values_list("pk", flat=True)[:1000])
        sent[name] = sum(send(kind.task_name, pk) for pk in ids)
    return sent
