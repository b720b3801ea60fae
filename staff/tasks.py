"""Thin Celery tasks: take ids, call one service (which sets the requester's language)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="staff.build_roster_export", bind=True)
def build_roster_export(self, export_id: int) -> dict:
    """Build a roster export. Safe to run twice (a queued export is claimed once; this same
    message redelivered takes its own export over)."""
    from .roster_exports import roster_export_build

    export = roster_export_build(export_id=export_id, run_id=self.request.id or "")
    if export is None:
        return {"export": export_id, "claimed": False}
    return {"export": export_id, "state": export.state, "done": export.done}
