"""A kind's texts rendered from stored parameters, in the language of whoever reads them.

A notification row keeps its kind's key and its parameters as JSON (``Notification.params``);
its title and text are rendered from the registered kind when shown (the notification center,
the API, the e-mail) under the recipient's language. :func:`encode` turns the parameters a caller
passes (see the rules in :mod:`notifications.registry`) into JSON once, when the row is written;
:func:`render` turns them back into text, without a query, so a list renders in a constant number
of queries.

The stored JSON: plain values as they are; a list as a list; a tagged object for the rest,
``{"$": "date"|"datetime"|"month", "v": iso}`` and ``{"$": "text", "id": msgid, "ctx": context,
"p": {params}}`` (``ctx`` and ``p`` only when there are some).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from . import registry
from .registry import Month, Text

logger = logging.getLogger(__name__)

TAG = "$"


def _lazy_msgid(value: Promise) -> dict[str, Any]:
    """The msgid (and context) behind a ``gettext_lazy`` / ``pgettext_lazy`` string, read through
    the pickle protocol of Django's lazy proxies."""
    _unpickle, (func, args, kwargs, *_classes) = value.__reduce__()
    if func is translation.gettext and len(args) == 1 and not kwargs:
        return {TAG: "text", "id": args[0]}
    if func is translation.pgettext and len(args) == 2 and not kwargs:
        return {TAG: "text", "ctx": args[0], "id": args[1]}
    raise TypeError(
        f"notification parameter {value!r}: only gettext_lazy and pgettext_lazy strings can be "
        "stored (wrap a sentence with placeholders in notifications.registry.Text)"
    )


def encode(value: Any) -> Any:
    """One parameter (or a dict of them) as JSON. Raises TypeError for what cannot be stored
    (a callable, an already rendered translation cannot be told from data and stays as given)."""
    if isinstance(value, dict):
        return {str(name): encode(item) for name, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Month):
        return {TAG: "month", "v": value.day.isoformat()}
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise TypeError(f"notification parameter {value!r}: a naive datetime")
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {TAG: "date", "v": value.isoformat()}
    if isinstance(value, Text):
        encoded = _lazy_msgid(value.message)
        if value.params:
            encoded["p"] = encode(value.params)
        return encoded
    if isinstance(value, Promise):
        return _lazy_msgid(value)
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    raise TypeError(
        f"notification parameter {value!r} ({type(value).__name__}) cannot be stored: pass data, "
        "a date, a lazy translatable string or a notifications.registry marker"
    )


def _shown(value: Any) -> Any:
    """A stored parameter as text in the active language."""
    if isinstance(value, list):
        return " ".join(part for part in (str(_shown(item)) for item in value) if part)
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag == "date":
        return formats.date_format(date.fromisoformat(value["v"]), "DATE_FORMAT")
    if tag == "month":
        return formats.date_format(date.fromisoformat(value["v"]), "YEAR_MONTH_FORMAT")
    if tag == "datetime":
        moment = timezone.localtime(datetime.fromisoformat(value["v"]))
        return formats.date_format(moment, "DATETIME_FORMAT")
    if tag == "text":
        if "ctx" in value:
            text = translation.pgettext(value["ctx"], value["id"])
        else:
            text = translation.gettext(value["id"])
        if "p" in value:
            text %= {name: _shown(item) for name, item in value["p"].items()}
        return text
    raise ValueError(f"unknown stored parameter {value!r}")


def render(kind_key: str, params: dict[str, Any], language: str) -> tuple[str, str]:
    """The kind's title and text with stored ``params`` (see :func:`encode`), in ``language``.
    Raises KeyError for an unknown kind or a placeholder the parameters lack."""
    kind = registry.get_kind(kind_key)
    with translation.override(language):
        values = {name: _shown(value) for name, value in params.items()}
        return str(kind.title) % values, str(kind.body) % values


def shown(row: Any, language: str) -> tuple[str, str]:
    """What a notification row says in ``language``: rendered from its kind and parameters, or
    its stored title and text when it has no parameters (rows written before they were stored)
    or they no longer fit its kind (a kind removed, or its text given a new placeholder)."""
    if row.params is None:
        return row.title, row.body
    try:
        return render(row.kind, row.params, language)
    except (KeyError, ValueError, TypeError) as exc:
        logger.warning("Notification %s shown as stored: %r", row.pk, exc)
        return row.title, row.body
