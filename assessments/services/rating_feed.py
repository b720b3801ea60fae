"""The rating platform's push (``POST /api/v1/feeds/ratings/``), keyed by the case number (the
service event, ``Rating.event_ref``).

Per row: ``created``, ``duplicate`` (the same content is stored: resending is safe), ``updated``
(the platform changed it: the one row is updated, never a second one) or ``error`` with the
reasons. Each row is all or nothing; one bad row never stops the others.

New rows of a batch are written together (a constant number of queries for the batch); should
that fail (a concurrent sender stored one of them first), each row is written on its own.
Changed rows are written one by one, each locked.

An update that makes a rating bad opens its case (or reopens the one an earlier change voided)
and alerts at once. An update that makes a bad rating not bad while its case is still pending
review closes the case as invalid, with a line in its log; a case already confirmed or further
along keeps its state (the center decides it) and gets a log line only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import log_bulk
from core.feeds import parse_moment
from core.models import SystemClient
from core.system_clients import client_audited

from ..models import (
    BAD_LEVELS,
    Rating,
    Rectification,
    RectificationLog,
    RectificationStatus,
)
from . import rating_months
from .ratings import (
    CHANNEL_WORDS,
    LEVEL_WORDS,
    RatingChecker,
    _open_case,
    cases_opened,
    clean_reasons,
)

SCOPE = "ratings.push"
COMPARED = (
    "window_id",
    "staff_id",
    "service_item_id",
    "level",
    "channel",
    "reasons",
    "comment",
    "served_at",
    "defaulted",
)


@dataclass
class FeedOutcome:
    index: int
    case_number: str
    result: str  # "created", "updated", "duplicate", "error"
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check(item: dict[str, Any], checker: RatingChecker, now: datetime) -> tuple[dict, list[str]]:
    """The row's values (model field names) and its errors, in the user's language."""
    errors: list[str] = []
    ref = _text(item.get("case_number"))
    if not ref or len(ref) > 60:
        errors.append(_("A case number of 1 to 60 characters is required."))
    window = checker.windows.get(_text(item.get("window")))
    if window is None:
        errors.append(_("Unknown window %(code)s.") % {"code": _text(item.get("window")) or "—"})
    staff = None
    if _text(item.get("staff_number")):
        staff = checker.staff.get(_text(item.get("staff_number")))
        if staff is None:
            errors.append(_("Unknown staff number %(n)s.") % {"n": _text(item.get("staff_number"))})
    service_item = None
    if _text(item.get("service_item")):
        service_item = checker.items.get(_text(item.get("service_item")))
        if service_item is None:
            errors.append(
                _("Unknown service item %(code)s.") % {"code": _text(item.get("service_item"))}
            )
    level = LEVEL_WORDS.get(_text(item.get("level")))  # "1".."5", "", or the import's words
    if level is None:
        errors.append(_("The level is 1 to 5, or empty for unrated."))
        level = ""
    channel = CHANNEL_WORDS.get(_text(item.get("channel")))
    if channel is None:
        errors.append(_("Unknown channel %(value)s.") % {"value": _text(item.get("channel"))})
    reasons, reason_errors = clean_reasons(item.get("reasons"))
    errors.extend(reason_errors)
    comment = item.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > 2000:
        errors.append(_("The comment is a text of at most 2000 characters."))
    served_at = parse_moment(item.get("served_at"))
    if served_at is None:
        errors.append(_("The service time is missing or not a date."))
    elif served_at > now + timedelta(minutes=5):
        errors.append(_("The service time is in the future."))
    received_at = now
    if item.get("received_at"):
        received_at = parse_moment(item.get("received_at"))
        if received_at is None:
            errors.append(_("The time received is not a date."))
        elif received_at > now + timedelta(minutes=5):
            errors.append(_("The time received is in the future."))
    if not errors:
        errors.extend(
            checker.check(
                window=window,
                staff=staff,
                item=service_item,
                served_on=timezone.localtime(served_at).date(),
            )
        )
    values = {
        "event_ref": ref,
        "window": window,
        "staff": staff,
        "service_item": service_item,
        "level": level,
        "channel": channel,
        "reasons": reasons,
        "comment": comment if isinstance(comment, str) else "",
        "served_at": served_at,
        "received_at": received_at,
        "defaulted": bool(item.get("defaulted")) and level != "",
    }
    return values, errors


def _same(rating: Rating, values: dict[str, Any]) -> bool:
    new = {
        "window_id": values["window"].pk,
        "staff_id": values["staff"].pk if values["staff"] else None,
        "service_item_id": values["service_item"].pk if values["service_item"] else None,
        **{k: values[k] for k in ("level", "channel", "reasons", "comment", "served_at")},
        "defaulted": values["defaulted"],
    }
    return all(getattr(rating, name) == new[name] for name in COMPARED)


def ratings_push(*, client: SystemClient, items: list[dict[str, Any]]) -> list[FeedOutcome]:
    """Store the platform's batch (see the module docstring); returns one outcome per row."""
    from django.core.exceptions import PermissionDenied

    if not client.has_scope(SCOPE):
        raise PermissionDenied(_("This client may not push ratings."))
    now = timezone.now()
    checker = RatingChecker()
    checker.preload(
        windows={_text(i.get("window")) for i in items},
        staff={_text(i.get("staff_number")) for i in items} - {""},
        items={_text(i.get("service_item")) for i in items} - {""},
    )
    refs = {_text(i.get("case_number")) for i in items} - {""}
    stored = {r.event_ref: r for r in Rating.objects.filter(event_ref__in=refs)}
    outcomes: list[FeedOutcome] = []
    new: list[tuple[FeedOutcome, dict]] = []
    changed: list[tuple[FeedOutcome, dict]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        values, errors = _check(item, checker, now)
        ref = values["event_ref"]
        outcome = FeedOutcome(index, ref, "error", errors)
        outcomes.append(outcome)
        if errors:
            continue
        if ref in seen:  # twice in one batch: after the first, like a resend
            changed.append((outcome, values))
        elif ref in stored:
            if _same(stored[ref], values):
                outcome.result = "duplicate"
            else:
                changed.append((outcome, values))
        else:
            new.append((outcome, values))
        seen.add(ref)
    if new:
        try:
            _create_all(client, new)
        except IntegrityError:  # a concurrent sender stored one first: row by row
            changed = new + changed
    for outcome, values in changed:
        _one(client, outcome, values)
    return outcomes


def _rating(client: SystemClient, values: dict[str, Any]) -> Rating:
    return Rating(
        event_ref=values["event_ref"],
        window=values["window"],
        department_id=values["window"].department_id,
        staff=values["staff"],
        service_item=values["service_item"],
        level=values["level"],
        channel=values["channel"],
        reasons=values["reasons"],
        comment=values["comment"],
        served_at=values["served_at"],
        received_at=values["received_at"],
        defaulted=values["defaulted"],
    )


def _opened_log(case: Rectification) -> RectificationLog:
    return RectificationLog(
        case=case, to_status=RectificationStatus.PENDING, note=_("Opened by a bad rating.")
    )


@transaction.atomic
def _create_all(client: SystemClient, new: list[tuple[FeedOutcome, dict]]) -> None:
    """Insert every new row of the batch at once (a constant number of queries)."""
    reason = _("Ratings from the rating platform")
    with client_audited(client, reason=reason):
        ratings = Rating.objects.bulk_create([_rating(client, v) for _o, v in new])
        if any(r.pk is None for r in ratings):  # backends without RETURNING
            ids = dict(
                Rating.objects.filter(event_ref__in=[r.event_ref for r in ratings]).values_list(
                    "event_ref", "id"
                )
            )
            for r in ratings:
                r.pk = r.id = ids[r.event_ref]
        deadlines: dict = {}
        cases = Rectification.objects.bulk_create(
            [_open_case(r, None, deadlines) for r in ratings if r.level in BAD_LEVELS]
        )
        if any(c.pk is None for c in cases):
            ids = dict(
                Rectification.objects.filter(rating__in=[c.rating_id for c in cases]).values_list(
                    "rating_id", "id"
                )
            )
            for c in cases:
                c.pk = c.id = ids[c.rating_id]
        RectificationLog.objects.bulk_create([_opened_log(c) for c in cases])
        by_rating = {c.rating_id: c for c in cases}
        rating_months.apply(after=[rating_months.snapshot(r, by_rating.get(r.pk)) for r in ratings])
        log_bulk(actor=None, model=Rating, action="push", count=len(ratings), reason=reason)
        if cases:
            log_bulk(
                actor=None, model=Rectification, action="push", count=len(cases), reason=reason
            )
            cases_opened(cases)
            events.emit(events.STAFF_EVENT, staff_ids={c.staff_id for c in cases})
    for outcome, _v in new:
        outcome.result = "created"


def _one(client: SystemClient, outcome: FeedOutcome, values: dict[str, Any]) -> None:
    """Create or update one row in its own transaction, the stored rating locked."""
    try:
        with transaction.atomic():
            reason = _("Rating changed by the rating platform")
            with client_audited(client, reason=reason):
                outcome.result = _write_one(client, values)
    except IntegrityError:
        outcome.result = "error"
        outcome.errors = [_("The row could not be stored; send it again.")]


def _write_one(client: SystemClient, values: dict[str, Any]) -> str:
    rating = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("window", "staff")
        .filter(event_ref=values["event_ref"])
        .first()
    )
    if rating is None:
        rating = _rating(client, values)
        rating.save()
        case = None
        if rating.is_bad:
            case = _open_case(rating, None)
            case.save()
            _opened_log(case).save()
            cases_opened([case])
        rating_months.apply(after=[rating_months.snapshot(rating, case)])
        return "created"
    if _same(rating, values):
        return "duplicate"
    case = Rectification.objects.select_for_update().filter(rating=rating).first()
    before = rating_months.snapshot(rating, case)
    was_bad = rating.is_bad
    for name in ("window", "staff", "service_item", "level", "channel", "reasons", "comment"):
        setattr(rating, name, values[name])
    rating.department_id = values["window"].department_id
    rating.served_at = values["served_at"]
    rating.received_at = values["received_at"]
    rating.defaulted = values["defaulted"]
    rating.save()
    alert = None
    if rating.is_bad and case is None:
        case = _open_case(rating, None)
        case.save()
        _opened_log(case).save()
        alert = case
    elif case is not None:
        alert = _follow(rating, case, was_bad)
    rating_months.apply(before=[before], after=[rating_months.snapshot(rating, case)])
    if alert is not None:
        alert.rating = rating
        cases_opened([alert])
    if case is not None:
        events.emit(events.STAFF_EVENT, staff_ids=[case.staff_id])
    return "updated"


def _follow(rating: Rating, case: Rectification, was_bad: bool) -> Rectification | None:
    """Bring an existing case along with its changed rating; returns it when it (re)opens."""
    level = rating.get_level_display() if rating.level else _("unrated")
    if rating.is_bad and case.status == RectificationStatus.INVALID and not case.appeal_reason:
        # voided by an earlier change (not by an appeal): open again, counted from now
        fresh = _open_case(rating, None)
        case.window_id, case.department_id, case.staff_id = (
            fresh.window_id,
            fresh.department_id,
            fresh.staff_id,
        )
        case.opened_on, case.deadline = fresh.opened_on, fresh.deadline
        case.status, case.closed_at = RectificationStatus.PENDING, None
        case.save()
        RectificationLog.objects.create(
            case=case,
            from_status=RectificationStatus.INVALID,
            to_status=RectificationStatus.PENDING,
            note=_("Reopened: the rating platform changed the rating to %(level)s.")
            % {"level": level},
        )
        return case
    if was_bad and not rating.is_bad and case.status == RectificationStatus.PENDING:
        case.status = RectificationStatus.INVALID
        case.closed_at = timezone.now()
        case.save()
        RectificationLog.objects.create(
            case=case,
            from_status=RectificationStatus.PENDING,
            to_status=RectificationStatus.INVALID,
            note=_("Closed: the rating platform changed the rating to %(level)s.")
            % {"level": level},
        )
        return None
    if case.status == RectificationStatus.PENDING:
        case.window_id = rating.window_id
        case.department_id = rating.department_id
        case.staff_id = rating.staff_id
        case.save()
    RectificationLog.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        note=_("The rating platform changed the rating (now %(level)s).") % {"level": level},
    )
    return None
