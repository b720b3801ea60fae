"""Celery tasks: thin, call one service."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task(name="attendance.derive_recent_days")
def derive_recent_days(days_back: int = 3) -> dict:
    """Derive the last few days and today so far (beat ``attendance-derive``): punches that
    arrive late (a terminal that was offline, an import) are caught up. Safe to rerun: a rerun
    on unchanged data writes nothing."""
    from .services.days import days_derive

    today = timezone.localdate()
    result = days_derive(start=today - timedelta(days=days_back), end=today)
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted}


@shared_task(name="attendance.derive_span")
def derive_span(start: str, end: str) -> dict:
    """Derive a span asked for on the day page when it is too large for the request
    (``DERIVE_INLINE_MAX`` person-days). Safe to run twice: a rerun writes nothing."""
    from datetime import date

    from .services.days import days_derive

    result = days_derive(start=date.fromisoformat(start), end=date.fromisoformat(end))
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted}
