"""Celery tasks: thin, call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task(name="joint.tasks.suggestions_sweep")
def suggestions_sweep() -> dict:
    """The daily sweep of suggested talks: recompute every person's rows (beat
    ``joint-suggested-talks``). Safe to rerun: a second run writes nothing."""
    from .suggestions import suggestion_rebuild

    with translation.override(settings.LANGUAGE_CODE):
        return suggestion_rebuild()
