"""What can be notified (kinds) and the sweeps that find what is due. Domain apps fill this.

A domain app registers from its ``AppConfig.ready()`` (the notifications app imports none of
them)::

    # windows/reminders.py
    register_kind(key="tenure.approaching", label=_("Tenure milestone approaching"),
                  title=_("%(name)s reaches %(months)s months at %(window)s on %(date)s"),
                  body=_("..."))

    @register_sweep("windows.tenure")
    def tenure_sweep(today: date) -> Iterator[Due]:
        for stationing in ...:          # a bounded, select_related iteration
            yield Due(kind=..., subject=(Stationing, stationing.pk), period="24m",
                      recipients=[...user ids...], params={...}, link=reverse(...))

A kind whose e-mail carries files registers an attachment builder, called by the relay at send
time with the notification row (so rows stay small and the file reflects what the recipient may
see)::

    @register_attachments("report.monthly")
    def report_files(row) -> Iterable[tuple[str, bytes, str]]:   # (filename, content, mimetype)
        ...

``params`` are the placeholders of the kind's texts. They are stored with the row as JSON
(``Notification.params``) and the texts are rendered from the kind when shown — on the page, in
the API, in the e-mail — in the recipient's language (``User.language``), whoever triggered the
notice and whatever language they used. So a parameter is one of:

* data, shown as given: ``str``, ``int``, ``float``, ``Decimal``, ``bool``, ``None`` — names,
  codes, numbers, notes, a rule's description (data stays data, it is not translated);
* a ``date`` or an aware ``datetime``: in the recipient's ``DATE_FORMAT`` / ``DATETIME_FORMAT``
  (local time); ``Month(day)`` for the month of ``day`` (``YEAR_MONTH_FORMAT``);
* a translatable text, passed **lazy** so that its msgid is stored and translated when shown: a
  choice's label (``TransferState(transfer.state).label``), a module-level ``gettext_lazy`` /
  ``pgettext_lazy`` constant; ``Text(_("... %(x)s ..."), x=...)`` for a sentence with
  placeholders of its own (the same rules apply to them);
* a list of the above: the parts shown one after the other, separated by a space, empty parts
  left out (a warning followed by a decision note).

Never pass ``str(label)``, ``gettext(...)`` or ``obj.get_FOO_display()``: that is a text already
translated into the language of whoever triggered the notice, and it is stored as data. A
callable is refused (``TypeError``): it cannot be stored. The row's ``title`` and ``body`` keep the
texts rendered in the recipient's language when it was written: the fallback for rows written
before parameters were stored and for what reads the columns directly (the admin).

A sweep must derive what is due from the data with a date window (never ``== today``), so a day
the worker was down is caught up the next day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DAILY = "daily"
MONTHLY_REPORT = "monthly_report"
SCHEDULES = (DAILY, MONTHLY_REPORT)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    title: Promise
    body: Promise
    email_default: bool = True


@dataclass(frozen=True)
class Month:
    """A notification parameter: the month of ``day``, in the recipient's ``YEAR_MONTH_FORMAT``."""

    day: date


class Text:
    """A notification parameter: a lazy translatable sentence with placeholders of its own,
    translated and filled in the recipient's language when shown."""

    __slots__ = ("message", "params")

    def __init__(self, message: Promise, /, **params: Any) -> None:
        self.message = message
        self.params = params

    def __repr__(self) -> str:
        return f"Text({self.message!r}, **{self.params!r})"


@dataclass(frozen=True)
class Due:
    """One thing that is due: the same text to several recipients about one subject."""

    kind: str
    subject: tuple[type[Model], int]
    period: str
    recipients: Iterable[int]
    params: dict[str, Any] = field(default_factory=dict)
    link: str = ""


@dataclass(frozen=True)
class Sweep:
    name: str
    func: Callable[[date], Iterable[Due]]
    schedule: str = DAILY


# (filename, content, mimetype) of one file attached to an e-mail
Attachment = tuple[str, bytes, str]
AttachmentBuilder = Callable[[Any], Iterable[Attachment]]

_KINDS: dict[str, Kind] = {}
_SWEEPS: dict[str, Sweep] = {}
_ATTACHMENTS: dict[str, AttachmentBuilder] = {}


def register_kind(
    *, key: str, label: Promise, title: Promise, body: Promise, email_default: bool = True
) -> Kind:
    kind = Kind(key=key, label=label, title=title, body=body, email_default=email_default)
    _KINDS[key] = kind
    return kind


def register_sweep(name: str, *, schedule: str = DAILY) -> Callable:
    """Decorator: ``func(today) -> Iterable[Due]`` runs on ``schedule`` (daily at 08:00, or in the
    monthly report slot, daily at 08:30; a report sweep gates itself on its first day)."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}")

    def decorator(func: Callable[[date], Iterable[Due]]) -> Callable[[date], Iterable[Due]]:
        _SWEEPS[name] = Sweep(name=name, func=func, schedule=schedule)
        # Its audit entries (reason "<name> <date>", bulk action "sweep <name>") read as words.
        from core.history import register_reason

        register_reason(name, _("reminder sweep"))
        return func

    return decorator


def get_kind(key: str) -> Kind:
    return _KINDS[key]


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def sweeps(schedule: str | None = None) -> list[Sweep]:
    return sorted(
        (s for s in _SWEEPS.values() if schedule is None or s.schedule == schedule),
        key=lambda s: s.name,
    )


def get_sweep(name: str) -> Sweep:
    return _SWEEPS[name]


def register_attachments(kind_key: str) -> Callable[[AttachmentBuilder], AttachmentBuilder]:
    """Decorator: ``func(notification_row) -> [(filename, bytes, mimetype), ...]`` builds the files
    attached to the e-mail of each row of ``kind_key``, in the recipient's language, at send
    time. An exception fails that send (retried by later relays like any SMTP error)."""

    def decorator(func: AttachmentBuilder) -> AttachmentBuilder:
        _ATTACHMENTS[kind_key] = func
        return func

    return decorator


def attachment_builder(kind_key: str) -> AttachmentBuilder | None:
    return _ATTACHMENTS.get(kind_key)
