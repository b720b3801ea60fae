"""The audit trail of one object, as a timeline a person can read."""

from __future__ import annotations

import contextlib
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist


def history_for(obj: Any, limit: int = 20) -> list[dict[str, Any]]:
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
        )
        .select_related("actor")
        .order_by("-timestamp", "-id")[:limit]
    )
    return [describe(entry, type(obj)) for entry in entries]


def describe(entry: LogEntry, model: type | None = None) -> dict[str, Any]:
    model = model or (entry.content_type.model_class() if entry.content_type_id else None)
    changes = []
    for field_name, values in (entry.changes_dict or {}).items():
        label = field_name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                field = model._meta.get_field(field_name)
                label = str(getattr(field, "verbose_name", field_name))
        before, after = (
            (list(values) + [None, None])[:2] if isinstance(values, list) else (None, None)
        )
        changes.append({"field": label, "before": before, "after": after})
    extra = entry.additional_data or {}
    return {
        "timestamp": entry.timestamp,
        "actor": entry.actor.get_username() if entry.actor else None,
        "action": entry.get_action_display(),
        "changes": changes,
        "reason": extra.get("reason", "") if isinstance(extra, dict) else "",
        "remote_addr": entry.remote_addr,
    }
