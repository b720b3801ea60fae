"""Who a user is, in words: the person's name and unit, never the login name.

Pages, the audit trail and mails name people as 张三（市公安局）. What a user's name and unit
are is the staff app's knowledge (its profile, department, liaison departments, role); it
registers them here at start-up (``staff.people``), since core imports no domain app. Without a
registration a user is their full name, else their login name.

In templates: ``{% load people %}{{ some_user|person }}`` (empty for no user, so
``|default:_("system")`` works). Lists load the relations once for many users with
:func:`load` (or select/prefetch :func:`related` themselves) so the filter adds no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Registration:
    describe: Callable[[Any], tuple[str, str]]  # user → (name, unit); unit may be ""
    select_related: tuple[str, ...] = ()  # paths from the user
    load: Callable[[list], None] | None = None  # loads the rest for many users at once
    name: Callable[[Any], str] | None = None  # the name alone, without reading the unit
    # An object loaded already that names users (a staff record names its account): user id →
    # (name, unit), so that no query looks them up.
    known: Callable[[Any], dict[int, tuple[str, str]]] | None = None


_registration: Registration | None = None


def register(
    describe: Callable[[Any], tuple[str, str]],
    *,
    select_related: Iterable[str] = (),
    load: Callable[[list], None] | None = None,
    name: Callable[[Any], str] | None = None,
    known: Callable[[Any], dict[int, tuple[str, str]]] | None = None,
) -> None:
    global _registration
    _registration = Registration(describe, tuple(select_related), load, name, known)


def label(name: str, unit: str) -> str:
    if not unit or unit == name:
        return name
    return _("%(name)s (%(unit)s)") % {"name": name, "unit": unit}


def known_from(obj: Any) -> dict[int, str]:
    """User id → person label for the users an already loaded object names (none by default)."""
    if _registration is None or _registration.known is None:
        return {}
    return {pk: label(*parts) for pk, parts in _registration.known(obj).items()}


def name_of(user: Any) -> str:
    """The person's name alone (a greeting, a list already grouped by unit)."""
    if user is None or isinstance(user, str):
        return user or ""
    if _registration is not None and _registration.name is not None:
        return _registration.name(user)
    return name_and_unit(user)[0]


def name_and_unit(user: Any) -> tuple[str, str]:
    if user is None:
        return "", ""
    if isinstance(user, str):  # a name already (a frozen document keeps names, not accounts)
        return user, ""
    if _registration is not None:
        return _registration.describe(user)
    return user.get_full_name() or user.get_username(), ""


def person(user: Any) -> str:
    """张三（市公安局） in Chinese, 张三 (市公安局) in English; "" for no user."""
    return label(*name_and_unit(user))


def related(prefix: str = "") -> list[str]:
    """The select_related paths :func:`person` reads, from ``prefix`` (a path to a user, e.g.
    ``"actor"``), for a queryset of rows that name a user; then :func:`load` those users."""
    if _registration is None:
        return []
    return [f"{prefix}__{path}" if prefix else path for path in _registration.select_related]


def load(users: Iterable[Any]) -> None:
    """Load what :func:`person` reads for many users at once (a fixed number of queries; none
    for what is loaded already, e.g. through :func:`related`)."""
    from django.db.models import prefetch_related_objects

    users = list({id(user): user for user in users if user is not None}.values())
    if not users or _registration is None:
        return
    prefetch_related_objects(users, *_registration.select_related)
    if _registration.load is not None:
        _registration.load(users)


def load_for(objects: Iterable[Any], *attributes: str) -> None:
    """:func:`load` the users that ``objects`` name in ``attributes`` (``"requested_by"``,
    ``"talk.author"``), for a page that shows them with ``|person``."""
    users = []
    for obj in objects:
        for attribute in attributes:
            value = obj
            for part in attribute.split("."):
                value = getattr(value, part, None) if value is not None else None
            if hasattr(value, "all") and callable(value.all):
                users.extend(value.all())
            elif value is not None:
                users.append(value)
    load(users)


def users_by_id(ids: Iterable[int]) -> dict[int, Any]:
    """The users of ``ids`` with what :func:`person` reads (a fixed number of queries)."""
    from django.contrib.auth import get_user_model

    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    users = list(get_user_model().objects.filter(pk__in=ids).select_related(*related()))
    load(users)  # select_related done: only the registration's own loading is left
    return {user.pk: user for user in users}
