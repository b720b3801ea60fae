"""Citizen ratings (好差评): the checks of a rating and recording one (a bad one opens its
rectification case). Importing many: :mod:`.rating_import`; the case's workflow:
:mod:`.rectification`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.audit import audited
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
)
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
