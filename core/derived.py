"""Cached derived figures (counts, averages, suggestions) invalidated by the writes they depend on.

A page that recomputes the same aggregates on every request asks::

    derived.cached("joint.triggers", (department_id, today), build, depends_on=(Talk, Entry))

The value is cached under a key that includes a version per model in ``depends_on``. Every write
to a watched model (``post_save``, ``post_delete``, ``m2m_changed``) replaces that model's version,
once at once and once more when the transaction commits (so a reader that computed from
uncommitted-away data cannot keep it), which makes every cached value that depends on it
unreachable. Writes that bypass signals (``QuerySet.update``, ``bulk_create``) call
:func:`touch` themselves. ``DERIVED_CACHE_SECONDS`` bounds any staleness left (e.g. a write in
another process of a deployment without a shared cache: use Redis, ``CACHE_URL``, in production).

Models are watched by :func:`watch`, which each app using the cache calls from its
``AppConfig.ready()`` for the models it depends on, so that every process (web, worker) bumps.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property

T = TypeVar("T")
_MISSING = object()
_WATCHED: set[str] = set()
_generation = "0"  # part of every key; reset() starts afresh (tests: rolled-back rows reuse ids)


def reset() -> None:
    """Make every cached figure and version unreachable (between tests)."""
    global _generation
    _generation = uuid.uuid4().hex


def _label(model: type[Model] | str) -> str:
    return model.lower() if isinstance(model, str) else model._meta.label_lower


def _model(model: type[Model] | str) -> type[Model]:
    return apps.get_model(model) if isinstance(model, str) else model


def _version_key(label: str) -> str:
    return f"derived:{_generation}:version:{label}"


# A version may expire (a new one then makes the old values unreachable: safe), so keys left by
# tests or renamed models do not pile up in a shared cache.
VERSION_SECONDS = 24 * 3600


def _bump(labels: Iterable[str]) -> None:
    cache.set_many({_version_key(label): uuid.uuid4().hex for label in labels}, VERSION_SECONDS)


class _BumpOnCommit:
    def __init__(self, labels: list[str]):
        self.labels = labels

    def __call__(self) -> None:
        _bump(self.labels)


def touch(*models: type[Model] | str) -> None:
    """Invalidate every cached value depending on ``models`` (now and again on commit)."""
    labels = [_label(m) for m in models]
    _bump(labels)
    transaction.on_commit(_BumpOnCommit(labels))


def without_bumps(callbacks: Iterable[Callable]) -> list[Callable]:
    """``callbacks`` (e.g. captured on-commit callbacks in a test) minus this module's bumps."""
    return [c for c in callbacks if not isinstance(c, _BumpOnCommit)]


# While coalesced() runs, the labels written so far (signalled writes are bumped at its end).
_pending: ContextVar[set[str] | None] = ContextVar("derived_pending", default=None)


@contextlib.contextmanager
def coalesced() -> Iterator[None]:
    """Bump each model written inside the block once, when it ends, rather than on every save
    (an import of thousands of rows would otherwise schedule thousands of identical bumps).
    Nothing inside the block may rely on cached figures reflecting its own writes."""
    if _pending.get() is not None:  # nested: the outer block bumps
        yield
        return
    labels: set[str] = set()
    token = _pending.set(labels)
    try:
        yield
    finally:
        _pending.reset(token)
        if labels:
            touch(*sorted(labels))


def _touch_signalled(*models: type[Model]) -> None:
    pending = _pending.get()
    if pending is None:
        touch(*models)
    else:
        pending.update(_label(m) for m in models)


def _on_write(sender, **kwargs) -> None:
    _touch_signalled(sender)


def _on_m2m(sender, instance, action, model, **kwargs) -> None:
    if action.startswith("post_"):
        # both sides, whichever side was written from
        _touch_signalled(sender, type(instance), model)


def watch(*models: type[Model] | str) -> None:
    """Bump a model's version on every signalled write of it or of its many-to-many tables.
    Models may be given as classes or ``"app_label.Model"`` (after the app registry is ready)."""
    for model in map(_model, models):
        label = _label(model)
        if label in _WATCHED:
            continue
        _WATCHED.add(label)
        uid = f"derived:{label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=uid, weak=False
            )


def versions(models: Iterable[type[Model] | str]) -> tuple[str, ...]:
    """The current version of each model (one cache round trip; a missing one is created)."""
    labels = sorted({_label(m) for m in models})
    found = cache.get_many([_version_key(label) for label in labels])
    missing = {}
    for label in labels:
        if _version_key(label) not in found:
            missing[_version_key(label)] = uuid.uuid4().hex
    if missing:
        for key, value in missing.items():
            cache.add(key, value, VERSION_SECONDS)  # another process may have just set one
        found.update(cache.get_many(list(missing)))
    return tuple(found.get(_version_key(label), "") for label in labels)


def cached(
    name: str,
    parts: Hashable,
    build: Callable[[], T],
    *,
    depends_on: Iterable[type[Model] | str],
    timeout: int | None = None,
) -> T:
    """``build()``, cached until a write to one of ``depends_on`` (or ``timeout`` seconds)."""
    depends_on = tuple(depends_on)
    watch(*(m for m in depends_on if _label(m) not in _WATCHED))
    digest = hashlib.sha256(repr((parts, versions(depends_on))).encode()).hexdigest()[:32]
    key = f"derived:{_generation}:{name}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        seconds = settings.CENTER["DERIVED_CACHE_SECONDS"] if timeout is None else timeout
        cache.set(key, value, seconds)
    return value  # type: ignore[return-value]


def cached_render(
    name: str, parts: Hashable, template: str, context: Callable[[], dict], *, depends_on
) -> str:
    """``template`` rendered with ``context()`` (called only when not cached), cached under
    ``name``, ``parts`` and the active language until a write to one of ``depends_on``: for the
    part of a page that costs most to draw (a table's rows, a card). ``parts`` must hold
    everything else the output depends on (the viewer's scope, page, filters, today)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    html = cached(
        name,
        (parts, get_language()),
        lambda: str(render_to_string(template, context())),
        depends_on=depends_on,
    )
    return mark_safe(html)  # noqa: S308 -- our own templates' output, escaped when rendered


def cached_call(name: str, fn: Callable[..., Any], *args: Any, depends_on, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` through :func:`cached`, keyed on the arguments."""
    parts = (args, tuple(sorted(kwargs.items())))
    return cached(name, parts, lambda: fn(*args, **kwargs), depends_on=depends_on)


_TABLES: dict[str, str] = {}


def _tables() -> dict[str, str]:
    if not _TABLES:
        _TABLES.update({m._meta.db_table: _label(m) for m in apps.get_models()})
    return _TABLES


def cached_count(queryset: QuerySet) -> int:
    """``queryset.count()``, cached until a write to a table the query reads — when every such
    table's model is watched (otherwise counted each time). For paginators: a count over
    millions of rows costs more than the page itself."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (``year=-27``): no query to cache
        return queryset.count()
    labels = [label for table, label in _tables().items() if f'"{table}"' in sql]
    if not labels or any(label not in _WATCHED for label in labels):
        return queryset.count()
    parts = (sql, tuple(str(p) for p in params))
    return cached("count", parts, queryset.count, depends_on=labels)


class CachedCountPaginator(Paginator):
    """A Paginator whose total count comes from :func:`cached_count`."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return super().count
