"""Thin Celery tasks: take ids (here: scopes), call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task(name="portal.refresh_dashboard_snapshots")
def refresh_dashboard_snapshots() -> dict:
    """Retake every dashboard snapshot (beat, every few minutes). Safe to run twice: a refresh
    that finds the row retaken since it started leaves it as it is."""
    from .services import dashboard_snapshot_refresh_all

    with translation.override(settings.LANGUAGE_CODE):
        return {"refreshed": dashboard_snapshot_refresh_all()}
