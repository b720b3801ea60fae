"""Writes of the portal: the dashboard's snapshot rows (see :mod:`portal.models`)."""

from __future__ import annotations

import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_bulk

from . import dashboard
from .models import CENTER_SCOPE, DashboardSnapshot


def dashboard_snapshot_refresh(
    *, scope: str = CENTER_SCOPE, actor: Any = None
) -> DashboardSnapshot:
    """Take the dashboard's figures for ``scope`` now and store them in its row (created the
    first time), stamped with the time taken.

    Refreshes of one scope run one after the other (the row is locked; readers are not blocked:
    they read the previous figures until this commits). A refresh that finds the row retaken
    after it was asked for returns that row untouched, so a burst of requests (beat and a button
    press, two workers) computes once. ``actor`` (a person pressing refresh) is recorded in the
    audit trail; the scheduled refresh of computed figures is not a person's write and is not.
    Raises ValueError for an unknown scope.
    """
    viewer = dashboard.ScopeViewer(scope)
    asked = timezone.now()
    with transaction.atomic():
        snapshot = DashboardSnapshot.objects.select_for_update().filter(scope=scope).first()
        if snapshot is not None and snapshot.taken_at >= asked:
            return snapshot
        started = time.monotonic()
        figures = dashboard.figures_for(viewer, timezone.localdate())
        if snapshot is None:
            snapshot = DashboardSnapshot(scope=scope)
        snapshot.figures = figures
        snapshot.taken_at = timezone.now()
        snapshot.duration_ms = round(1000 * (time.monotonic() - started))
        try:
            with transaction.atomic():  # a savepoint: a concurrent first refresh may win
                snapshot.save()
        except IntegrityError:
            return DashboardSnapshot.objects.get(scope=scope)
        if actor is not None:
            log_bulk(
                actor=actor,
                model=DashboardSnapshot,
                action="refresh",
                count=1,
                reason=_("Dashboard figures refreshed"),
            )
    return snapshot


def dashboard_snapshot_refresh_all() -> int:
    """Retake the center's snapshot and every other scope's that exists (beat). Returns how
    many were refreshed."""
    scopes = set(DashboardSnapshot.objects.values_list("scope", flat=True)) | {CENTER_SCOPE}
    for scope in sorted(scopes):
        dashboard_snapshot_refresh(scope=scope)
    return len(scopes)
