"""Reads of the portal."""

from __future__ import annotations

from typing import Any

from .dashboard import scope_of
from .models import DashboardSnapshot


def dashboard_snapshot_for_user(user: Any) -> DashboardSnapshot | None:
    """The stored snapshot of the user's scope (one query), or None before the first one."""
    return DashboardSnapshot.objects.filter(scope=scope_of(user)).first()
