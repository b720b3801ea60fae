"""The audit trail in words: who (the person and unit), when (local time), what (field labels,
values as their labels), why (a translated label, not an internal code).

``describe_entries`` reads any number of django-auditlog entries in a fixed number of queries:
the people who acted (core.people), and the objects that foreign-key values name, one query per
related model. Reasons written as codes (``seed_demo``, a reminder sweep's name …) are
registered with a label by whoever writes them (``register_reason``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import people

EMPTY = "—"
ACTIONS = {
    LogEntry.Action.CREATE: gettext_lazy("created"),
    LogEntry.Action.UPDATE: gettext_lazy("changed"),
    LogEntry.Action.DELETE: gettext_lazy("deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("viewed"),
}
_reasons: dict[str, Any] = {
    "seed_demo": gettext_lazy("demo data"),
    "bench": gettext_lazy("benchmark data"),
    "recompute": gettext_lazy("scores recomputed"),
    "import": gettext_lazy("import"),
    "sweep": gettext_lazy("reminder sweep"),
    "load_assessment_rules": gettext_lazy("assessment rules loaded"),
}


def register_reason(code: str, label: Any) -> None:
    """Show ``label`` for an audit reason (or bulk action) written as ``code``, alone or followed
    by details (``code 2026-12-03``, ``code (12 early transfers)``)."""
    _reasons[code] = label


def reason_label(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        return ""
    if reason in _reasons:
        return str(_reasons[reason])
    code, _space, rest = reason.partition(" ")
    if code in _reasons and rest:
        day = parse_date(rest) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", rest) else None
        return f"{_reasons[code]} {formats.date_format(day) if day else rest}"
    return reason


def history_for(obj: Any, limit: int = 20) -> list[dict[str, Any]]:
    """The newest ``limit`` entries of one object, described (fixed number of queries)."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
        )
        .select_related("content_type", "actor", *people.related("actor"))
        .order_by("-timestamp", "-id")[:limit]
    )
    # The object and what it has loaded already name the values that have not changed since.
    known = [obj, *(value for value in obj._state.fields_cache.values() if value is not None)]
    return describe_entries(list(entries), known=known)


def describe(entry: LogEntry, model: type | None = None) -> dict[str, Any]:
    """One entry (for a list, :func:`describe_entries` reads all of them at once)."""
    return describe_entries([entry])[0]


def _model_of(entry: LogEntry) -> type | None:
    return entry.content_type.model_class() if entry.content_type_id else None


def _field(model: type | None, name: str):
    if model is None:
        return None
    with contextlib.suppress(FieldDoesNotExist):
        return model._meta.get_field(name)
    return None


def _is_relation(field: Any) -> bool:
    return field is not None and field.concrete and bool(field.many_to_one or field.one_to_one)


def _pair(values: Any) -> tuple[Any, Any]:
    if isinstance(values, list | tuple):
        return tuple((list(values) + [None, None])[:2])
    return None, None


def _missing(value: Any) -> bool:
    return value is None or value in ("", "None", "null")


def describe_entries(entries: list[LogEntry], known: Any = ()) -> list[dict[str, Any]]:
    """Each entry as ``{timestamp (local), actor (person and unit, "" for the system), action,
    object, model, changes [{name, field, before, after}], reason, remote_addr}``. ``known``:
    objects already loaded, whose names need no query."""
    names: dict[tuple[type, str], str] = {
        (type(obj)._meta.concrete_model, str(obj.pk)): str(obj)
        for obj in known
        if isinstance(obj, models.Model) and not isinstance(obj, get_user_model())
    }
    for obj in known:
        names.update(
            {(get_user_model(), str(pk)): text for pk, text in people.known_from(obj).items()}
        )
    # What foreign-key values name, per related model, and who acted: looked up once.
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        model = _model_of(entry)
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if _is_relation(field):
                for value in _pair(values):
                    key = (field.related_model._meta.concrete_model, str(value))
                    if not _missing(value) and key not in names:
                        wanted[key[0]].add(key[1])
    if all(LogEntry.actor.is_cached(entry) for entry in entries):
        actors = {entry.actor_id: entry.actor for entry in entries if entry.actor_id}
        people.load(actors.values())
    else:
        actors = people.users_by_id(entry.actor_id for entry in entries)
    for related, pks in wanted.items():
        if related is get_user_model():
            users = people.users_by_id(int(pk) for pk in pks if pk.isdigit())
            names.update({(related, str(pk)): people.person(u) for pk, u in users.items()})
            continue
        pk_field = related._meta.pk
        keys = []
        for pk in pks:
            with contextlib.suppress(ValidationError, TypeError, ValueError):
                keys.append(pk_field.to_python(pk))
        rows = related._base_manager.select_related().in_bulk(keys)
        names.update({(related, str(pk)): str(row) for pk, row in rows.items()})
    return [_describe(entry, actors, names) for entry in entries]


def _describe(entry: LogEntry, actors: dict, names: dict) -> dict[str, Any]:
    model = _model_of(entry)
    extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    changes = []
    if not extra.get("bulk"):
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and (field.auto_created or field.primary_key):
                continue  # reverse relations (auditlog writes their manager) and the id
            label = str(getattr(field, "verbose_name", name)) if field is not None else name
            if isinstance(values, dict) and values.get("type") == "m2m":
                objects = "、".join(str(o) for o in values.get("objects", [])) or EMPTY
                sign = "+" if values.get("operation") == "add" else "−"
                changes.append(
                    {"name": name, "field": label, "before": "", "after": f"{sign} {objects}"}
                )
                continue
            before, after = _pair(values)
            if entry.action == LogEntry.Action.CREATE and _missing(after):
                continue  # a new object's empty fields say nothing
            changes.append(
                {
                    "name": name,
                    "field": label,
                    "before": ""
                    if entry.action == LogEntry.Action.CREATE
                    else present(field, before, names),
                    "after": present(field, after, names),
                }
            )
    if extra.get("bulk"):
        plural = model._meta.verbose_name_plural if model is not None else entry.object_repr
        obj = _("%(objects)s ×%(count)s") % {"objects": plural, "count": extra.get("count", "")}
        reason = reason_label(str(extra.get("reason", "")) or str(extra.get("bulk", "")))
    else:
        obj = entry.object_repr
        reason = reason_label(str(extra.get("reason", "")))
    actor = actors.get(entry.actor_id)
    return {
        "timestamp": timezone.localtime(entry.timestamp).replace(microsecond=0),
        "actor": people.person(actor) if actor is not None else "",
        "actor_id": entry.actor_id,
        "action": str(ACTIONS.get(entry.action, entry.get_action_display())),
        "object": obj,
        "model": str(model._meta.verbose_name) if model is not None else "",
        "changes": changes,
        "reason": reason,
        "remote_addr": entry.remote_addr,
    }


def present(field: Any, value: Any, names: dict | None = None) -> str:
    """A stored audit value in words: a choice's label, 是/否, a related object's name, a local
    date or time; — for empty."""
    if _missing(value):
        return EMPTY
    if field is None:
        return str(value)
    if isinstance(field, models.BooleanField):
        truth = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        return _("yes") if truth else _("no")
    if getattr(field, "choices", None):
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if _is_relation(field):
        return (names or {}).get(
            (field.related_model._meta.concrete_model, str(value)), f"#{value}"
        )
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            moment = timezone.localtime(moment).replace(microsecond=0)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value)[:10])
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    elif isinstance(field, models.DecimalField | models.FloatField):
        with contextlib.suppress(Exception):
            return formats.number_format(value)
    return str(value)
