"""Celery tasks of the shared layer: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.purge_import_previews")
def purge_import_previews() -> int:
    """Delete import previews nobody confirmed (hourly, beat)."""
    from .imports import previews_purge

    return previews_purge()


@shared_task(name="core.requeue_jobs")
def requeue_jobs() -> dict:
    """Send again the jobs whose message was lost or whose run died (beat)."""
    from .jobs import requeue

    return requeue()
