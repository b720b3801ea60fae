"""Celery tasks: thin, take ids, call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task(name="windows.tasks.apply_due_transfers")
def apply_due_transfers(transfer_ids: list[int] | None = None) -> dict:
    """Let approved transfers dated today or earlier take effect (all of them, or ``transfer_ids``).
    Safe to rerun: applied requests are no longer approved."""
    from .services import transfer_apply_due

    with translation.override(settings.LANGUAGE_CODE):
        return transfer_apply_due(ids=transfer_ids)
