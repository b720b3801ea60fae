"""Attribution for writes made outside a web request, or with a reason.

django-auditlog records every save and delete of a registered model; its middleware sets the actor
for web requests. Services wrap their writes in :func:`audited` so that commands, Celery tasks and
imports are attributed too, and so that the *why* lands next to the *what*.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_extra_data


@contextlib.contextmanager
def audited(*, actor: Any = None, reason: str = "", **extra: Any) -> Iterator[None]:
    """Attribute every audit entry written inside the block to ``actor`` with ``reason``.

    Nests safely inside auditlog's request middleware: the outer context is restored on exit,
    and outside a request nothing is left behind (auditlog's own ``set_actor`` does not restore
    it).
    """
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = None
    if actor is None and outer is not None:
        actor = outer.get("actor")
    data: dict[str, Any] = {"actor": actor}
    if outer is not None:
        data["remote_addr"] = outer.get("remote_addr")
    additional = {key: value for key, value in extra.items() if value not in (None, "")}
    if reason:
        additional["reason"] = str(reason)
    if additional:
        data["additional_data"] = additional
    # auditlog's context managers never unset their value, so a block would leak its actor into
    # whatever runs next in the thread (the next Celery task, say). Reset to exactly the state
    # before the block, "unset" included.
    token = auditlog_value.set(outer)
    try:
        with set_extra_data(context_data=data):
            yield
    finally:
        auditlog_value.reset(token)


def log_bulk(*, actor: Any, model: type, action: str, count: int, reason: str = "") -> None:
    """Record one audit entry for a bulk write that bypassed per-row signals."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_repr=f"{model._meta.verbose_name_plural}: {action} ×{count}",
        action=LogEntry.Action.CREATE,
        changes_text=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        additional_data={"bulk": action, "count": count, "reason": str(reason)},
    )
