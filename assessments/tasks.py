"""Celery tasks: thin, call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task(name="assessments.overdue_cases_sweep")
def overdue_cases_sweep() -> dict:
    """Propose the deductions of cases that crossed their promised deadline since the case
    system last wrote (beat ``assessments-overdue-cases``). Safe to rerun."""
    from .services.cases import case_deductions_sweep

    with translation.override(settings.LANGUAGE_CODE):
        return case_deductions_sweep()
