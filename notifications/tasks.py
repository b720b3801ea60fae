"""Thin Celery tasks: each calls one service. All are safe to run twice (see ``services``)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import registry, relay, services


@shared_task(name="notifications.run_sweeps")
def run_sweeps(schedule: str = registry.DAILY, day: str | None = None) -> dict[str, int]:
    """Beat: daily at 08:00 (reminders) and 08:30 (monthly reports, sent from the 10th)."""
    today = date.fromisoformat(day) if day else None
    results = services.sweeps_run(schedule=schedule, today=today)
    return {result.name: result.created for result in results}


@shared_task(name="notifications.deliver_pending")
def deliver_pending() -> dict[str, int]:
    """After each commit that wrote rows, and every few minutes as the relay."""
    result = relay.deliver_pending()
    return {
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "retry": result.retry,
    }
