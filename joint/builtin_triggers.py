"""The built-in suggested-talk triggers (see ``joint.triggers`` for the contract each keeps):
12 months without a talk, a transfer in the last 30 days, a person's own request; from the
assessments app's records: repeated deductions, a bad-rating streak, an appeal upheld against the
person; from the hall's figures (issue #18): a window last in its group two months running. See
each function for its precise rule. ``register_builtin_triggers`` registers them (joint's
``AppConfig.ready``)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateField, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from windows.models import Stationing

from .models import Talk, TalkKind, TalkRequest, TalkRequestState
from .triggers import Suggestion, of_people, people, register_trigger

TALK_INTERVAL_DAYS = 365
TRANSFER_WINDOW_DAYS = 30


def twelve_months_without_talk(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """People with an open stationing whose last talk (or, never talked with, their stationing
    start) is 12 months ago or more. ``since`` is that date; every stationed person gets a row,
    ``due`` 12 months after it, so the suggestion appears on its day without a write."""
    open_start = Stationing.objects.filter(staff_id=OuterRef("pk"), end_date__isnull=True).values(
        "start_date"
    )[:1]
    last_talk = (
        Talk.objects.filter(staff_id=OuterRef("pk"))
        .values("staff_id")
        .annotate(last=Max("date"))
        .values("last")[:1]
    )
    rows = (
        people(staff_ids)
        .annotate(
            open_start=Subquery(open_start, output_field=DateField()),
            last_talk=Subquery(last_talk, output_field=DateField()),
        )
        .filter(open_start__isnull=False)
        .annotate(since=Coalesce(F("last_talk"), F("open_start"), output_field=DateField()))
        .values_list("id", "since")
    )
    interval = timedelta(days=TALK_INTERVAL_DAYS)
    return [
        Suggestion(staff_id=pk, reason="no_talk_12_months", since=s, due=s + interval)
        for pk, s in rows
    ]


def recent_transfer(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """A stationing that started or ended in the last 30 days, with no talk since: an
    after-transfer talk (started) or a before/after-transfer talk (ended). Shown until 30 days
    after the latest such day."""
    start = today - timedelta(days=TRANSFER_WINDOW_DAYS)
    qs = of_people(
        Stationing.objects.filter(
            Q(start_date__gte=start, start_date__lte=today)
            | Q(end_date__gte=start, end_date__lte=today)
        ),
        staff_ids,
    )
    latest: dict[int, Suggestion] = {}
    rows = qs.values_list("staff_id", "start_date", "end_date")
    events = []
    for staff_id, started, ended in rows:
        if ended is not None and start <= ended <= today:
            events.append((staff_id, ended, TalkKind.AFTER_TRANSFER))
        if start <= started <= today:
            events.append((staff_id, started, TalkKind.AFTER_TRANSFER))
    if not events:
        return []
    talked = dict(
        Talk.objects.filter(staff_id__in={e[0] for e in events}, date__gte=start)
        .values_list("staff_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    for staff_id, when, kind in events:
        if talked.get(staff_id) is not None and talked[staff_id] >= when:
            continue
        current = latest.get(staff_id)
        if current is None or when > current.since:
            latest[staff_id] = Suggestion(
                staff_id=staff_id,
                reason="transfer",
                since=when,
                kind=kind,
                until=when + timedelta(days=TRANSFER_WINDOW_DAYS),
            )
    return list(latest.values())


def requested_by_person(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """Open requests the people made from their own record page."""
    qs = of_people(TalkRequest.objects.filter(state=TalkRequestState.OPEN), staff_ids)
    rows = qs.annotate(day=TruncDate("created_at")).values_list("staff_id", "day")
    return [
        Suggestion(staff_id=pk, reason="requested", since=day, kind=TalkKind.ON_REQUEST)
        for pk, day in rows
    ]


# --- from the assessments app's records ---

DEDUCTION_WINDOW_DAYS = 90
APPEAL_WINDOW_DAYS = 30


def _not_talked_since(candidates: list[Suggestion]) -> list[Suggestion]:
    """Drop the candidates who had a talk dated on or after their ``since``. One query."""
    if not candidates:
        return []
    last = dict(
        Talk.objects.filter(
            staff_id__in={c.staff_id for c in candidates},
            date__gte=min(c.since for c in candidates),
        )
        .values_list("staff_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    return [c for c in candidates if last.get(c.staff_id) is None or last[c.staff_id] < c.since]


def repeated_deductions(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """At least ``CENTER["JOINT_TALK_AFTER_DEDUCTIONS"]`` (default 3) deductions that still count
    (not cancelled on appeal) dated in the last 90 days. ``since`` is the latest of them: a talk on
    or after it settles the suggestion, a new deduction raises it again. Shown until the oldest
    of the latest ``threshold`` leaves the 90 days. Three queries."""
    from assessments.models import Entry, EntryStatus, RuleKind

    threshold = settings.CENTER.get("JOINT_TALK_AFTER_DEDUCTIONS", 3)
    counted = of_people(
        Entry.objects.filter(
            kind=RuleKind.DEDUCTION,
            status=EntryStatus.ACTIVE,
            date__gt=today - timedelta(days=DEDUCTION_WINDOW_DAYS),
            date__lte=today,
        ),
        staff_ids,
    )
    candidates = list(
        counted.values("staff_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by()
        .values_list("staff_id", flat=True)
    )
    if not candidates:
        return []
    dates: dict[int, list[date]] = {}
    for staff_id, day in counted.filter(staff_id__in=candidates).values_list("staff_id", "date"):
        dates.setdefault(staff_id, []).append(day)
    found = []
    for staff_id, days in dates.items():
        days.sort(reverse=True)
        found.append(
            Suggestion(
                staff_id=staff_id,
                reason="repeated_deductions",
                since=days[0],
                kind=TalkKind.AFTER_DEDUCTION,
                until=days[threshold - 1] + timedelta(days=DEDUCTION_WINDOW_DAYS - 1),
            )
        )
    return _not_talked_since(found)


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def bad_rating_streak(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """Citizen ratings "dissatisfied" or worse, not invalidated on appeal, in two consecutive
    calendar months, the later being this month or the last. (Assessments stores people's ranks
    but not windows' — window rankings are computed on the fly — so the streak is read from the
    ratings themselves.) ``since`` is the day of the first bad rating of the later month; shown
    until the end of the month after it. Two queries."""
    from assessments.models import BAD_LEVELS, Rating, RectificationStatus

    tz = timezone.get_current_timezone()
    start = datetime.combine(_month_start(today, 2), time.min, tzinfo=tz)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        of_people(
            Rating.objects.filter(
                level__in=BAD_LEVELS, served_at__gte=start, served_at__lt=end
            ).exclude(rectification__status=RectificationStatus.INVALID),
            staff_ids,
        )
        .annotate(month=TruncMonth("served_at", tzinfo=tz))
        .values("staff_id", "month")
        .annotate(first=Min("served_at"))
        .order_by()
        .values_list("staff_id", "month", "first")
    )
    months: dict[int, dict[date, date]] = {}
    for staff_id, month, first in rows:
        if isinstance(month, datetime):
            month = (
                timezone.localtime(month, tz).date() if timezone.is_aware(month) else month.date()
            )
        months.setdefault(staff_id, {})[month] = timezone.localtime(first, tz).date()
    this, last, before = (_month_start(today, n) for n in (0, 1, 2))
    candidates = []
    for staff_id, seen in months.items():
        for later, earlier in ((this, last), (last, before)):
            if later in seen and earlier in seen:
                after = _month_start(later, -1)
                candidates.append(
                    Suggestion(
                        staff_id=staff_id,
                        reason="bad_ratings",
                        since=seen[later],
                        until=after.replace(day=calendar.monthrange(after.year, after.month)[1]),
                    )
                )
                break
    return _not_talked_since(candidates)


def appeal_upheld(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """An appeal decided in the last 30 days to uphold the deduction: explain the decision.
    ``since`` is the (latest) decision day; shown for 30 days from it. Two queries."""
    from assessments.models import Appeal, AppealStatus

    tz = timezone.get_current_timezone()
    rows = (
        of_people(
            Appeal.objects.filter(
                status=AppealStatus.UPHELD,
                decided_at__gte=datetime.combine(
                    today - timedelta(days=APPEAL_WINDOW_DAYS - 1), time.min, tzinfo=tz
                ),
                decided_at__lt=datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz),
            ),
            staff_ids,
        )
        .values("staff_id")
        .annotate(latest=Max("decided_at"))
        .order_by()
        .values_list("staff_id", "latest")
    )
    return _not_talked_since(
        [
            Suggestion(
                staff_id=pk,
                reason="appeal_upheld",
                since=day,
                kind=TalkKind.AFTER_APPEAL,
                until=day + timedelta(days=APPEAL_WINDOW_DAYS - 1),
            )
            for pk, day in ((pk, timezone.localtime(latest, tz).date()) for pk, latest in rows)
        ]
    )


# --- issue #18: from the hall's figures ---


def last_in_group(staff_ids: frozenset[int] | None, today: date) -> list[Suggestion]:
    """A window last in its group (``Window.hall_area``, by the red-flag formula) two months
    running, the later being this month or the last (``assessments.WindowGroupPlace`` rows, kept
    at a month's close and by the daily sweep): a warning talk (约谈) with the window's chief
    representative stationed now, or, without one, with everyone stationed there now. ``since``
    is the later month's first day; shown until the end of the month after it. Three queries."""
    from assessments.models import WindowGroupPlace
    from assessments.services.group_last import chiefs_or_stationed

    this, last, before = (_month_start(today, n) for n in (0, 1, 2))
    months: dict[int, set[date]] = {}
    for window_id, month in WindowGroupPlace.objects.filter(
        month__in=[this, last, before]
    ).values_list("window_id", "month"):
        months.setdefault(window_id, set()).add(month)
    later_of: dict[int, date] = {}
    for window_id, seen in months.items():
        for later, earlier in ((this, last), (last, before)):
            if later in seen and earlier in seen:
                later_of[window_id] = later
                break
    if not later_of:
        return []
    candidates = []
    for window_id, ids in chiefs_or_stationed(later_of, staff_ids).items():
        later = later_of[window_id]
        after = _month_start(later, -1)
        for staff_id in ids:
            candidates.append(
                Suggestion(
                    staff_id=staff_id,
                    reason="last_in_group",
                    since=later,
                    kind=TalkKind.WARNING,
                    until=after.replace(day=calendar.monthrange(after.year, after.month)[1]),
                )
            )
    return _not_talked_since(candidates)


def register_builtin_triggers() -> None:
    register_trigger("no_talk_12_months", _("No talk for 12 months"), twelve_months_without_talk)
    register_trigger("transfer", _("Transferred in the last 30 days"), recent_transfer)
    register_trigger("requested", _("Requested by the person"), requested_by_person)
    register_trigger("repeated_deductions", _("Repeated deductions"), repeated_deductions)
    register_trigger("bad_ratings", _("Bad citizen ratings two months in a row"), bad_rating_streak)
    register_trigger("appeal_upheld", _("Appeal upheld against them"), appeal_upheld)
    register_trigger(
        "last_in_group", _("Window last in its group two months running"), last_in_group
    )
