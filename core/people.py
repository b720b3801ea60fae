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


_registration: Registration | None = None


def register(
    describe: Callable[[Any], tuple[str, str]],
    *,
    select_related: Iterable[str] = (),
    load: Callable[[list], None] | None = None,
) -> None:
    global _registration
    _registration = Registration(describe, tuple(select_related), load)


def name_and_unit(user: Any) -> tuple[str, str]:
    if user is None:
        return "", ""
    if _registration is not None:
        return _registration.describe(user)
    return user.get_full_name() or user.get_username(), ""


def person(user: Any) -> str:
    """张三（市公安局） in Chinese, 张三 (市公安局) in English; "" for no user."""
    name, unit = name_and_unit(user)
    if not unit or unit == name:
        return name
    return _("%(name)s (%(unit)s)") % {"name": name, "unit": unit}


def related(prefix: str = "") -> list[str]:
    """The select_related paths :func:`person` reads, from ``prefix`` (a path to a user, e.g.
    ``"actor"``), for a queryset of rows that name a user; then :func:`load` those users."""
    if _registration is None:
        return []
    return [f"{prefix}__{path}" if prefix else path for path in _registration.select_related]


def load(users: Iterable[Any]) -> None:
    """Load what :func:`person` reads beyond :func:`related` for many users at once (a fixed
    number of queries, none when nothing is missing)."""
    users = [user for user in users if user is not None]
    if users and _registration is not None and _registration.load is not None:
        _registration.load(users)


def users_by_id(ids: Iterable[int]) -> dict[int, Any]:
    """The users of ``ids`` with what :func:`person` reads (a fixed number of queries)."""
    from django.contrib.auth import get_user_model

    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    users = list(get_user_model().objects.filter(pk__in=ids).select_related(*related()))
    load(users)
    return {user.pk: user for user in users}
