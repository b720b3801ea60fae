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


class AuditedBatch:
    """Many writes of audited models, each object with its own audit entry, written in bulk.

    auditlog writes one entry per save, with one INSERT (and, for an update, one SELECT of the old
    row) each, and a create is one more INSERT: most of a large import's time. Write through
    :meth:`save` instead and call :meth:`flush` once before the transaction ends: new objects
    are inserted there with ``bulk_create`` (they get their primary keys then), updates are
    saved at once, and all the entries go in one INSERT per thousand.

    Each created or changed object still gets the entry auditlog would have written: the same
    diff and masking (auditlog's ``model_instance_diff`` with the model's registration),
    computed on the same state (an update's before the save, as auditlog's ``pre_save``
    receiver does; a create's after the insert), the same object fields as
    ``LogEntry.objects.log_create``, its own timestamp, and the attribution a
    ``LogEntry.save()`` gets inside ``audited(actor=..., reason=...)`` (actor, remote address of
    the request, reason). auditlog's ``pre_log``/``post_log`` signals are not sent (nothing
    here listens to them), nor is ``post_save`` for the bulk insert: nothing may rely on it.
    """

    def __init__(self, *, actor: Any = None, reason: str = "", **extra: Any):
        self.actor = actor
        self.reason = reason
        self.extra = extra
        self._created: list = []
        self._entries: list = []

    def save(self, instance: Any, *, created: bool, original: Any = None) -> None:
        """Queue ``instance`` for insertion (``created``) or update it now, and queue its audit
        entry. For an update, ``original`` is the object as stored before this change (a copy
        taken when it was loaded, in the same transaction): it stands for the row auditlog's
        receiver would read back."""
        if created:
            self._created.append(instance)
            return
        from auditlog.context import disable_auditlog
        from auditlog.models import LogEntry

        if original is None:
            raise ValueError("An update needs the object as stored before the change.")
        changes = _diff(original, instance)
        with disable_auditlog():
            instance.save()
        if changes:
            self._entries.append(_log_entry(instance, LogEntry.Action.UPDATE, changes))

    def flush(self) -> int:
        """Insert the queued new objects, then write every queued entry (attributed as described
        above); returns the number of entries."""
        from auditlog.models import LogEntry
        from django.db import router
        from django.db.models.signals import pre_save

        created, self._created = self._created, []
        by_model: dict[type, list] = {}
        for instance in created:
            by_model.setdefault(type(instance), []).append(instance)
        for model, instances in by_model.items():
            model._default_manager.bulk_create(instances, batch_size=1000)
        for instance in created:
            changes = _diff(None, instance)
            if changes:
                self._entries.append(_log_entry(instance, LogEntry.Action.CREATE, changes))

        entries, self._entries = self._entries, []
        if not entries:
            return 0
        # audited() connects auditlog's own receiver that fills actor, remote address and
        # additional data on a LogEntry's pre_save; bulk_create sends no signal, so send it here.
        with audited(actor=self.actor, reason=self.reason, **self.extra):
            for entry in entries:
                pre_save.send(
                    sender=LogEntry,
                    instance=entry,
                    raw=False,
                    using=router.db_for_write(LogEntry),
                    update_fields=None,
                )
        LogEntry.objects.bulk_create(entries, batch_size=1000)
        return len(entries)


def _diff(old: Any, new: Any) -> dict | None:
    """auditlog's ``model_instance_diff(old, new)``; for a new object (``old`` None) computed
    from a per-model plan, with the same result (tests/core/test_audit.py)."""
    from auditlog.diff import model_instance_diff
    from django.conf import settings

    as_json = settings.AUDITLOG_STORE_JSON_CHANGES
    if old is None:
        return _created_diff(new, as_json)
    return model_instance_diff(old, new, use_json_for_changes=as_json)


_NOT_CONSTANT = object()
_created_plans: dict[tuple[type, bool], tuple] = {}


def _created_plan(sample: Any, as_json: bool) -> tuple:
    key = (type(sample), as_json)
    if key not in _created_plans:
        _created_plans[key] = _build_created_plan(type(sample), as_json, sample)
    return _created_plans[key]


def _build_created_plan(model: type, as_json: bool, sample: Any) -> tuple:
    """What ``model_instance_diff(None, obj)`` looks at for any new ``model`` object: the fields
    in the order it visits them, each with its "old" value (``get_field_value`` of no object:
    a constant) and, for a reverse foreign key (whose value is its manager's name, the same for
    every object), its "new" value; plus the registration's masked fields and mask."""
    from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function
    from auditlog.registry import auditlog

    # As model_instance_diff: every tracked field of the model (a set), then include/exclude.
    fields = set(get_fields_in_model(sample))
    model_fields = auditlog.get_model_fields(model)
    if model_fields and (model_fields["include_fields"] or model_fields["exclude_fields"]):
        if model_fields["include_fields"]:
            fields = [f for f in fields if f.name in model_fields["include_fields"]]
        if model_fields["exclude_fields"]:
            fields = [f for f in fields if f.name not in model_fields["exclude_fields"]]
    plan = []
    for field in fields:
        constant = _NOT_CONSTANT
        if field.auto_created and not field.concrete and field.one_to_many:
            constant = get_field_value(sample, field, as_json)
        plan.append((field, get_field_value(None, field, as_json), constant))
    masked = set(model_fields["mask_fields"]) if model_fields else set()
    mask = get_mask_function(model_fields.get("mask_callable")) if masked else None
    return tuple(plan), frozenset(masked), mask


def _created_diff(instance: Any, as_json: bool) -> dict | None:
    from auditlog.diff import get_field_value, is_primitive
    from django.utils.encoding import smart_str

    plan, masked, mask = _created_plan(instance, as_json)
    diff = {}
    for field, old_value, constant in plan:
        new_value = (
            get_field_value(instance, field, as_json) if constant is _NOT_CONSTANT else constant
        )
        if old_value == new_value:
            continue
        # The rest is model_instance_diff's, line for line.
        if field.name in masked:
            diff[field.name] = (mask(smart_str(old_value)), mask(smart_str(new_value)))
        elif not as_json:
            diff[field.name] = (smart_str(old_value), smart_str(new_value))
        else:
            before = old_value if is_primitive(old_value) else smart_str(old_value)
            after = new_value if is_primitive(new_value) else smart_str(new_value)
            diff[field.name] = (before, after)
    return diff or None


def _log_entry(instance: Any, action: int, changes: dict) -> Any:
    """An unsaved LogEntry with the fields ``LogEntry.objects.log_create`` would give it."""
    from auditlog.cid import get_cid
    from auditlog.models import DEFAULT_OBJECT_REPR, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ObjectDoesNotExist
    from django.utils.encoding import smart_str

    manager = LogEntry.objects
    pk = manager._get_pk_value(instance)
    try:
        object_repr = smart_str(instance)
    except ObjectDoesNotExist:
        object_repr = DEFAULT_OBJECT_REPR
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=pk,
        object_repr=object_repr,
        serialized_data=manager._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
        cid=get_cid(),
    )
    if isinstance(pk, int):
        entry.object_id = pk
    get_additional_data = getattr(instance, "get_additional_data", None)
    if callable(get_additional_data):
        entry.additional_data = get_additional_data()
    return entry
