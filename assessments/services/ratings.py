"""Citizen ratings (好差评): recording one, importing many (all or nothing), and the
rectification workflow a bad rating opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core import events
from core.audit import audited, log_bulk
from core.workdays import add_working_days
from staff.models import Staff
from staff.permissions import Perm
from windows.models import ServiceItem, Stationing, Window

from .. import notify
from ..conf import conf
from ..models import (
    BAD_LEVELS,
    Rating,
    RatingChannel,
    RatingLevel,
    Rectification,
    RectificationLog,
    RectificationStatus,
)
from ..workflow import check_rectification
from . import rating_months
from .common import require

LEVEL_WORDS = {
    "非常满意": "5",
    "满意": "4",
    "基本满意": "3",
    "不满意": "2",
    "非常不满意": "1",
    "未评价": "",
    "": "",
    **{value: value for value in RatingLevel.values},
}
CHANNEL_WORDS = {
    "现场": RatingChannel.ONSITE,
    "评价器": RatingChannel.ONSITE,
    "窗口评价器": RatingChannel.ONSITE,
    "二维码": RatingChannel.QR_CODE,
    "扫码": RatingChannel.QR_CODE,
    "短信": RatingChannel.SMS,
    "网上": RatingChannel.ONLINE,
    "网站": RatingChannel.ONLINE,
    "网页": RatingChannel.ONLINE,
    "移动端": RatingChannel.MOBILE,
    "APP": RatingChannel.MOBILE,
    "app": RatingChannel.MOBILE,
    "12345": RatingChannel.HOTLINE,
    "12345热线": RatingChannel.HOTLINE,
    "热线": RatingChannel.HOTLINE,
    "意见箱": RatingChannel.SUGGESTION_BOX,
    "意见簿": RatingChannel.SUGGESTION_BOX,
    # the feed's English words
    "evaluator": RatingChannel.ONSITE,
    "qr": RatingChannel.QR_CODE,
    "web": RatingChannel.ONLINE,
    "suggestion_box": RatingChannel.SUGGESTION_BOX,
    "": RatingChannel.ONSITE,
    **{value: value for value in RatingChannel.values},
}
REASONS_MAX = 10  # reason strings per rating
REASON_MAX_LENGTH = 100
COLUMNS = {
    "event_ref": "服务事件编号",
    "window": "窗口编号",
    "staff": "工号",
    "service_item": "事项编码",
    "level": "评价等级",
    "channel": "评价渠道",
    "served_at": "办理时间",
    "comment": "评价内容",
    "rater_name": "评价人",
    "rater_phone": "评价人电话",
    # optional (issue #18)
    "reasons": "评价原因",
    "received_at": "接收时间",
}


def clean_reasons(raw: Any) -> tuple[list[str], list[str]]:
    """The reasons as a list of short strings (a list, or one text separated by 、 ; ，),
    with the errors; shared by the form, the import and the feed."""
    if raw is None or raw == "":
        return [], []
    if isinstance(raw, str):
        for sep in ("；", ";", "，", ","):
            raw = raw.replace(sep, "、")
        raw = raw.split("、")
    if not isinstance(raw, list | tuple) or not all(isinstance(r, str) for r in raw):
        return [], [_("The reasons are a list of texts.")]
    reasons = [r.strip() for r in raw if r.strip()]
    errors = []
    if len(reasons) > REASONS_MAX:
        errors.append(_("At most %(n)d reasons.") % {"n": REASONS_MAX})
    if any(len(r) > REASON_MAX_LENGTH for r in reasons):
        errors.append(_("A reason is at most %(n)d characters.") % {"n": REASON_MAX_LENGTH})
    return reasons, errors


class RatingChecker:
    """Validates rating rows against the windows, people and items; caches its lookups so a
    file of 50 000 rows is a few queries."""

    def __init__(self) -> None:
        self.windows: dict[str, Window] = {}
        self.staff: dict[str, Staff] = {}
        self.items: dict[str, ServiceItem] = {}
        self.window_items: set[tuple[int, int]] = set()
        self.stationed: dict[tuple[int, int], list[tuple[date, date | None]]] = {}

    def preload(self, *, windows: set[str], staff: set[str], items: set[str]) -> None:
        self.windows = {w.code: w for w in Window.objects.filter(code__in=windows)}
        self.staff = {s.staff_number: s for s in Staff.objects.filter(staff_number__in=staff)}
        self.items = {i.code: i for i in ServiceItem.objects.filter(code__in=items)}
        through = Window.service_items.through.objects.filter(window__code__in=windows)
        self.window_items = set(through.values_list("window_id", "serviceitem_id"))
        for staff_id, window_id, start, end in Stationing.objects.filter(
            window__code__in=windows
        ).values_list("staff_id", "window_id", "start_date", "end_date"):
            self.stationed.setdefault((staff_id, window_id), []).append((start, end))

    def check(
        self, *, window: Window, staff: Staff | None, item: ServiceItem | None, served_on: date
    ) -> list[str]:
        errors = []
        if item is not None and (window.pk, item.pk) not in self.window_items:
            errors.append(_("The service item is not handled at this window."))
        if staff is not None:
            spans = self.stationed.get((staff.pk, window.pk), [])
            if not any(s <= served_on and (e is None or e >= served_on) for s, e in spans):
                errors.append(_("This person was not stationed at this window on that day."))
        return errors


def _open_case(
    rating: Rating, actor: Any, deadlines: dict[date, date] | None = None
) -> Rectification:
    """The case of a bad rating, counted from when the rating reached the system
    (``deadlines``: a cache by day received, for a batch)."""
    opened = timezone.localtime(rating.received_at).date()
    deadlines = {} if deadlines is None else deadlines
    if opened not in deadlines:
        deadlines[opened] = add_working_days(opened, conf("RECTIFICATION_WORKING_DAYS"))
    return Rectification(
        rating=rating,
        window_id=rating.window_id,
        department_id=rating.department_id,
        staff_id=rating.staff_id,
        opened_on=opened,
        deadline=deadlines[opened],
    )


@transaction.atomic
def rating_record(
    *,
    actor: Any,
    event_ref: str,
    window: Window,
    served_at: datetime,
    level: str = "",
    staff: Staff | None = None,
    service_item: ServiceItem | None = None,
    channel: str = RatingChannel.ONSITE,
    comment: str = "",
    rater_name: str = "",
    rater_phone: str = "",
    reasons: Any = None,
    received_at: datetime | None = None,
    defaulted: bool = False,
) -> Rating:
    """Record one rating; a bad one (不满意 or worse) opens a rectification case with a deadline in
    working days from ``received_at`` (now by default) and alerts the window's chief and the
    center. Raises ValidationError on an inconsistent rating or a duplicate event."""
    require(actor, Perm.RATING_IMPORT)
    event_ref = (event_ref or "").strip()
    if Rating.objects.filter(event_ref=event_ref).exists():
        raise ValidationError({"event_ref": [_("This service event has already been rated.")]})
    if timezone.is_naive(served_at):
        served_at = timezone.make_aware(served_at)
    received_at = received_at or timezone.now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    reasons, reason_errors = clean_reasons(reasons)
    if reason_errors:
        raise ValidationError({"reasons": reason_errors})
    checker = RatingChecker()
    checker.preload(
        windows={window.code},
        staff={staff.staff_number} if staff else set(),
        items={service_item.code} if service_item else set(),
    )
    problems = checker.check(
        window=window,
        staff=staff,
        item=service_item,
        served_on=timezone.localtime(served_at).date(),
    )
    if problems:
        raise ValidationError(problems)
    rating = Rating(
        event_ref=event_ref,
        window=window,
        department_id=window.department_id,
        staff=staff,
        service_item=service_item,
        level=level,
        channel=channel,
        served_at=served_at,
        received_at=received_at,
        reasons=reasons,
        defaulted=bool(defaulted),
        comment=comment,
        rater_name=rater_name,
        rater_phone=rater_phone,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    rating.full_clean()
    with audited(actor=actor, reason=_("Citizen rating")):
        rating.save()
        case = None
        if rating.level in BAD_LEVELS:
            case = _open_case(rating, actor)
            case.save()
            RectificationLog.objects.create(
                case=case,
                actor=None,
                from_status="",
                to_status=case.status,
                note=_("Opened by a bad rating."),
            )
        rating_months.apply(after=[rating_months.snapshot(rating, case)])
        if case is not None:
            cases_opened([case])
            events.emit(events.STAFF_EVENT, staff_ids=[rating.staff_id])
    return rating


def cases_opened(cases: list[Rectification]) -> None:
    """Every notice of newly opened cases (``case.rating`` loaded): the rated person and the
    liaisons, and the alert to the window's chief representatives and the center."""
    notify.cases_opened(cases)


# --- import ------------------------------------------------------------------------------------


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


# --- rectification ------------------------------------------------------------------------------


@transaction.atomic
def rectification_step(
    *, actor: Any, case: Rectification, action: str, note: str = "", satisfaction_after: str = ""
) -> Rectification:
    """Move a case one step (see ``workflow.RECTIFICATION_ACTIONS``), log it and notify.

    "appeal" records the rated side's reason (the center then confirms or invalidates), "start"
    needs the reply to the citizen, "respond" the home department's measures (a liaison of the
    case's department, or the center), "finish" the citizen's satisfaction after rectification.
    """
    locked = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("staff", "rating__staff", "rating__window")
        .get(pk=case.pk)
    )
    before = rating_months.snapshot(locked.rating, locked)
    person = (
        getattr(actor, "staff_profile", None) if getattr(actor, "is_authenticated", False) else None
    )
    from staff.models import Role
    from staff.permissions import can_use_department, role_of

    if role_of(actor) == Role.STAFF and (person is None or person.pk != locked.staff_id):
        raise PermissionDenied(_("Only the rated person may take this step."))
    if role_of(actor) == Role.LIAISON and not can_use_department(actor, locked.department_id):
        raise PermissionDenied(_("Only the rated window's home department may take this step."))
    target = check_rectification(actor, locked.status, action)
    note = (note or "").strip()
    if action in ("appeal", "invalidate", "cannot_fix") and not note:
        raise ValidationError({"note": [_("Please give a reason.")]})
    if action == "appeal" and locked.appeal_reason:
        raise ValidationError(_("This rating has already been appealed."))
    if action == "invalidate" and not locked.appeal_reason:
        raise ValidationError(_("A rating is invalidated only on an appeal."))
    if action == "start" and not note:
        raise ValidationError({"note": [_("Write the reply to the citizen.")]})
    if action == "respond" and not note:
        raise ValidationError({"note": [_("Describe the measures the department took.")]})
    if action == "finish":
        if satisfaction_after not in RatingLevel.values:
            raise ValidationError(
                {
                    "satisfaction_after": [
                        _("Record the citizen's satisfaction after rectification.")
                    ]
                }
            )
        locked.satisfaction_after = satisfaction_after
    now = timezone.now()
    if action == "appeal":
        locked.appeal_reason = note
    if action == "start":
        locked.reply = note
        locked.replied_at = now
    if action == "respond":
        locked.department_response = note
        locked.department_responded_at = now
        locked.department_responded_by = actor if getattr(actor, "pk", None) else None
    if target in (
        RectificationStatus.DONE,
        RectificationStatus.CANNOT_FIX,
        RectificationStatus.INVALID,
    ):
        locked.closed_at = now
    previous = locked.status
    locked.status = target
    with audited(actor=actor, reason=note):
        locked.save()
        log = RectificationLog.objects.create(
            case=locked,
            actor=actor if getattr(actor, "pk", None) else None,
            from_status=previous,
            to_status=target,
            note=note,
        )
        rating_months.apply(before=[before], after=[rating_months.snapshot(locked.rating, locked)])
    events.emit(events.STAFF_EVENT, staff_ids=[locked.staff_id])
    notify.rectification_changed(locked, log, action, actor)
    return locked


@transaction.atomic
def rectification_note(*, actor: Any, case: Rectification, note: str) -> RectificationLog:
    """Add a follow-up note to an open case without changing its state."""
    require(actor, Perm.RECTIFICATION_ACT)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("The note is empty.")]})
    locked = Rectification.objects.select_for_update().get(pk=case.pk)
    with audited(actor=actor, reason=note):
        return RectificationLog.objects.create(
            case=locked, actor=actor, from_status=locked.status, to_status=locked.status, note=note
        )


def overdue_q(today: date) -> Q:
    from ..models import OPEN_RECTIFICATION

    return Q(status__in=OPEN_RECTIFICATION, deadline__lt=today)
