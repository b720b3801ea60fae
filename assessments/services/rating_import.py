"""Citizen ratings imported from a file (好差评): every row checked as one rating would be
(:class:`.ratings.RatingChecker`), all or nothing, with the rows' numbers; the template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core import events
from core.audit import log_bulk
from staff.permissions import Perm

from ..conf import conf
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
    COLUMNS,
    LEVEL_WORDS,
    RatingChecker,
    _open_case,
    cases_opened,
    clean_reasons,
)


@dataclass
class RatingRow:
    number: int
    event_ref: str
    errors: list[str] = field(default_factory=list)
    rating: Rating | None = None


@dataclass
class RatingImportResult:
    rows: list[RatingRow]
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[RatingRow]:
        return [r for r in self.rows if r.errors]

    @property
    def bad_count(self) -> int:
        return sum(1 for r in self.rows if r.rating is not None and r.rating.level in BAD_LEVELS)


def _served_at(raw: Any) -> datetime | None:
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, time(9))
    else:
        text = str(raw or "").strip().replace("/", "-")
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = datetime.combine(day, time(9)) if day else None
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def rating_import(*, actor: Any, content: bytes, filename: str, commit: bool) -> RatingImportResult:
    """Check every row (row numbers as the spreadsheet shows them, header = row 1); with
    ``commit`` and no bad row, write them all in one transaction. Raises PermissionDenied,
    staff.roster.RosterFileError for an unreadable file."""
    from staff.roster import RosterFileError, read_dataset

    if not has_import(actor):
        raise PermissionDenied(_("You are not allowed to import ratings."))
    dataset = read_dataset(content, filename)
    headers = set(dataset.headers or [])
    missing = [
        label
        for key, label in COLUMNS.items()
        if key in ("event_ref", "window", "served_at", "level") and label not in headers
    ]
    if missing:
        raise RosterFileError(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    records = [{key: row.get(label) for key, label in COLUMNS.items()} for row in dataset.dict]
    text = lambda v: "" if v is None else str(v).strip()  # noqa: E731
    if len(records) > conf("RATING_IMPORT_MAX_ROWS"):
        raise RosterFileError(
            _("The file has more than %(limit)d rows.") % {"limit": conf("RATING_IMPORT_MAX_ROWS")}
        )
    checker = RatingChecker()
    checker.preload(
        windows={text(r["window"]) for r in records},
        staff={text(r["staff"]) for r in records if text(r["staff"])},
        items={text(r["service_item"]) for r in records if text(r["service_item"])},
    )
    refs = [text(r["event_ref"]) for r in records]
    existing = set()
    for start in range(0, len(refs), 500):
        existing |= set(
            Rating.objects.filter(event_ref__in=refs[start : start + 500]).values_list(
                "event_ref", flat=True
            )
        )
    seen: set[str] = set()
    rows: list[RatingRow] = []
    for index, record in enumerate(records, start=2):
        ref = text(record["event_ref"])
        row = RatingRow(number=index, event_ref=ref)
        rows.append(row)
        if not ref:
            row.errors.append(_("The service event number is missing."))
        elif ref in existing:
            row.errors.append(_("This service event has already been rated."))
        elif ref in seen:
            row.errors.append(_("This service event appears twice in the file."))
        seen.add(ref)
        window = checker.windows.get(text(record["window"]))
        if window is None:
            row.errors.append(
                _("Unknown window %(code)s.") % {"code": text(record["window"]) or "—"}
            )
        staff = None
        if text(record["staff"]):
            staff = checker.staff.get(text(record["staff"]))
            if staff is None:
                row.errors.append(_("Unknown staff number %(n)s.") % {"n": text(record["staff"])})
        item = None
        if text(record["service_item"]):
            item = checker.items.get(text(record["service_item"]))
            if item is None:
                row.errors.append(
                    _("Unknown service item %(code)s.") % {"code": text(record["service_item"])}
                )
        level = LEVEL_WORDS.get(text(record["level"]))
        if level is None:
            row.errors.append(
                _(
                    "Unknown rating %(value)s; use 非常满意, 满意, 基本满意, 不满意, "
                    "非常不满意 or 未评价."
                )
                % {"value": text(record["level"])}
            )
        channel = CHANNEL_WORDS.get(text(record["channel"]))
        if channel is None:
            row.errors.append(_("Unknown channel %(value)s.") % {"value": text(record["channel"])})
        served_at = _served_at(record["served_at"])
        if served_at is None:
            row.errors.append(_("The service time is missing or not a date."))
        elif served_at > timezone.now():
            row.errors.append(_("The service time is in the future."))
        received_at = timezone.now()
        if text(record["received_at"]):
            received_at = _served_at(record["received_at"])
            if received_at is None:
                row.errors.append(_("The time received is not a date."))
        reasons, reason_errors = clean_reasons(text(record["reasons"]))
        row.errors.extend(reason_errors)
        if window is not None and served_at is not None and not row.errors:
            row.errors.extend(
                checker.check(
                    window=window,
                    staff=staff,
                    item=item,
                    served_on=timezone.localtime(served_at).date(),
                )
            )
        if not row.errors:
            row.rating = Rating(
                event_ref=ref,
                window=window,
                department_id=window.department_id,
                staff=staff,
                service_item=item,
                level=level,
                channel=channel,
                served_at=served_at,
                received_at=received_at,
                reasons=reasons,
                comment=text(record["comment"])[:2000],
                rater_name=text(record["rater_name"])[:50],
                rater_phone=text(record["rater_phone"])[:20],
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    result = RatingImportResult(rows=rows)
    if not commit or not result.ok:
        return result
    with transaction.atomic():
        ratings = Rating.objects.bulk_create([r.rating for r in rows], batch_size=2000)
        if any(r.pk is None for r in ratings):  # backends without RETURNING: read the ids back
            ids = dict(
                Rating.objects.filter(event_ref__in=[r.event_ref for r in ratings]).values_list(
                    "event_ref", "id"
                )
            )
            for r in ratings:
                r.pk = r.id = ids[r.event_ref]
        deadlines: dict[date, date] = {}
        cases = [_open_case(r, actor, deadlines) for r in ratings if r.level in BAD_LEVELS]
        Rectification.objects.bulk_create(cases, batch_size=2000)
        case_ids = dict(
            Rectification.objects.filter(rating__in=[c.rating_id for c in cases]).values_list(
                "rating_id", "id"
            )
        )
        for case in cases:  # backends without RETURNING
            case.pk = case.id = case_ids[case.rating_id]
        by_rating = {case.rating_id: case for case in cases}
        rating_months.apply(after=[rating_months.snapshot(r, by_rating.get(r.pk)) for r in ratings])
        RectificationLog.objects.bulk_create(
            [
                RectificationLog(
                    case_id=pk,
                    to_status=RectificationStatus.PENDING,
                    note=_("Opened by a bad rating."),
                )
                for pk in case_ids.values()
            ],
            batch_size=2000,
        )
        reason = _("Rating import from %(file)s") % {"file": filename}
        log_bulk(actor=actor, model=Rating, action="import", count=len(ratings), reason=reason)
        log_bulk(actor=actor, model=Rectification, action="import", count=len(cases), reason=reason)
        cases_opened(cases)
        events.emit(events.STAFF_EVENT, staff_ids={c.staff_id for c in cases})
    result.committed = True
    return result


def has_import(actor: Any) -> bool:
    from staff.permissions import has_perm

    return has_perm(actor, Perm.RATING_IMPORT)


def rating_template() -> bytes:
    from core import spreadsheets

    example = [
        "SX20260301-0001",
        "A01",
        "ZW000123",
        "",
        "满意",
        "现场",
        "2026-03-02 10:15",
        "",
        "",
        "",
        "",
        "",
    ]
    return spreadsheets.xlsx_bytes([("好差评", list(COLUMNS.values()), [example])])
