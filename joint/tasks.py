"""Celery tasks: thin, call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task(name="joint.tasks.suggestions_sweep")
def suggestions_sweep() -> dict:
    """The daily sweep of suggested talks: recompute every person's rows (beat
    ``joint-suggested-talks``). Safe to rerun: a second run writes nothing."""
    from django.utils import timezone

    from assessments.services.group_last import group_last_refresh_open

    from .suggestions import suggestion_rebuild

    with translation.override(settings.LANGUAGE_CODE):
        # issue #18: the open months' "last in its group" rows first (their scores still move)
        group_last_refresh_open(timezone.localdate())
        return suggestion_rebuild()
