"""Thin Celery tasks: take ids, set the language in the service, call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="promotions.build_evidence_export", bind=True)
def build_evidence_export(self, export_id: int) -> dict:
    """Build a batch evidence export. Safe to run twice (a queued export is claimed once; this
    same message redelivered takes its own export over)."""
    from .evidence.exports import evidence_export_build

    export = evidence_export_build(export_id=export_id, run_id=self.request.id or "")
    if export is None:
        return {"export": export_id, "claimed": False}
    return {"export": export_id, "state": export.state, "done": export.done}
