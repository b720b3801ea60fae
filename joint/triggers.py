"""Suggested talks: a registry of trigger functions, each proposing people a department should
talk with, and why.

A trigger is ``trigger(department_ids, today) -> list[SuggestedTalk]``: ``department_ids`` is a
frozenset of department ids, or ``None`` for every department; it must run a constant number of
queries (whatever the number of people) and propose only people who have had no talk since the
event it reports (``since``), so a suggestion disappears once the talk is recorded.

Built in: 12 months without a talk, a transfer in the last 30 days, a person's own request, and
from the assessments app's records: repeated deductions, a bad-rating streak, an appeal upheld
against the person (see each function for its precise rule). Other apps add theirs with
:func:`register_trigger`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateField, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import derived
from staff.models import Staff, StaffStatus
from windows.models import Stationing

from .models import Talk, TalkKind, TalkRequest, TalkRequestState


@dataclass(frozen=True)
class SuggestedTalk:
    staff_id: int
    reason: str  # the registered trigger's key; its label is shown
    since: date  # the event that calls for the talk (a talk on or after it settles it)
    kind: str = TalkKind.ROUTINE  # the kind of talk to hold, preset in the talk form


Trigger = Callable[[frozenset[int] | None, date], list[SuggestedTalk]]


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    function: Trigger
    depends_on: tuple[str, ...] | None = None


_TRIGGERS: dict[str, _Registered] = {}


def register_trigger(
    key: str,
    label: str | Promise,
    function: Trigger,
    *,
    depends_on: Iterable[str] | None = None,
) -> None:
    """Add (or replace) a trigger. ``label`` is the reason shown on the suggested-talk list.
    ``depends_on`` names every model (``"app_label.Model"``) the trigger reads: the suggestions
    are then cached (``core.derived``) until one of them is written. A trigger without it
    turns the cache off."""
    deps = None if depends_on is None else tuple(depends_on)
    if deps is not None:
        derived.watch(*deps)
    _TRIGGERS[key] = _Registered(key=key, label=label, function=function, depends_on=deps)


def reason_labels() -> dict[str, str]:
    return {key: str(entry.label) for key, entry in _TRIGGERS.items()}


def depends_on() -> frozenset[str] | None:
    """Every model the registered triggers read, or ``None`` when one does not say (then
    nothing derived from the suggestions may be cached)."""
    entries = list(_TRIGGERS.values())
    if any(entry.depends_on is None for entry in entries):
        return None
    return frozenset(model for entry in entries for model in entry.depends_on or ())


def suggested_talks(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """Every registered trigger's suggestions, oldest event first, then by person. Cached until a
    model a trigger reads is written (when every trigger declares what it reads)."""
    entries = list(_TRIGGERS.values())

    def compute() -> list[SuggestedTalk]:
        found: list[SuggestedTalk] = []
        for entry in entries:
            found.extend(entry.function(department_ids, today))
        return sorted(found, key=lambda s: (s.since, s.staff_id, s.reason))

    models = depends_on()
    if models is None:
        return compute()
    parts = (
        None if department_ids is None else tuple(sorted(department_ids)),
        today,
        tuple(entry.key for entry in entries),
    )
    return derived.cached("joint.suggested_talks", parts, compute, depends_on=models)


# --- helpers for trigger authors ---


def people(department_ids: Iterable[int] | None) -> QuerySet[Staff]:
    """Window staff still in service, limited to ``department_ids`` (None: all)."""
    qs = Staff.objects.exclude(status=StaffStatus.LEFT)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return qs


# --- built-in triggers ---

TALK_INTERVAL_DAYS = 365
TRANSFER_WINDOW_DAYS = 30


def twelve_months_without_talk(
    department_ids: frozenset[int] | None, today: date
) -> list[SuggestedTalk]:
    """People with an open stationing whose last talk (or, never talked with, their stationing
    start) is 12 months ago or more. ``since`` is that date."""
    open_start = Stationing.objects.filter(staff_id=OuterRef("pk"), end_date__isnull=True).values(
        "start_date"
    )[:1]
    last_talk = (
        Talk.objects.filter(staff_id=OuterRef("pk"))
        .values("staff_id")
        .annotate(last=Max("date"))
        .values("last")[:1]
    )
    cutoff = today - timedelta(days=TALK_INTERVAL_DAYS)
    rows = (
        people(department_ids)
        .annotate(
            open_start=Subquery(open_start, output_field=DateField()),
            last_talk=Subquery(last_talk, output_field=DateField()),
        )
        .filter(open_start__isnull=False)
        .annotate(since=Coalesce(F("last_talk"), F("open_start"), output_field=DateField()))
        .filter(since__lte=cutoff)
        .values_list("id", "since")
    )
    return [SuggestedTalk(staff_id=pk, reason="no_talk_12_months", since=s) for pk, s in rows]


def recent_transfer(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """A stationing that started or ended in the last 30 days, with no talk since: an
    after-transfer talk (started) or a before/after-transfer talk (ended)."""
    start = today - timedelta(days=TRANSFER_WINDOW_DAYS)
    qs = Stationing.objects.filter(
        Q(start_date__gte=start, start_date__lte=today)
        | Q(end_date__gte=start, end_date__lte=today)
    ).exclude(staff__status=StaffStatus.LEFT)
    if department_ids is not None:
        qs = qs.filter(staff__department_id__in=department_ids)
    latest: dict[int, SuggestedTalk] = {}
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
            latest[staff_id] = SuggestedTalk(
                staff_id=staff_id, reason="transfer", since=when, kind=kind
            )
    return list(latest.values())


def requested_by_person(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """Open requests the people made from their own record page."""
    qs = TalkRequest.objects.filter(state=TalkRequestState.OPEN)
    if department_ids is not None:
        qs = qs.filter(staff__department_id__in=department_ids)
    rows = qs.annotate(day=TruncDate("created_at")).values_list("staff_id", "day")
    return [
        SuggestedTalk(staff_id=pk, reason="requested", since=day, kind=TalkKind.ON_REQUEST)
        for pk, day in rows
    ]


# --- from the assessments app's records ---

DEDUCTION_WINDOW_DAYS = 90
APPEAL_WINDOW_DAYS = 30


def _in_departments(qs: QuerySet, department_ids: frozenset[int] | None) -> QuerySet:
    qs = qs.exclude(staff__status=StaffStatus.LEFT)
    if department_ids is not None:
        qs = qs.filter(staff__department_id__in=department_ids)
    return qs


def _not_talked_since(candidates: list[SuggestedTalk]) -> list[SuggestedTalk]:
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


def repeated_deductions(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """At least ``CENTER["JOINT_TALK_AFTER_DEDUCTIONS"]`` (default 3) deductions that still count
    (not cancelled on appeal) dated in the last 90 days. ``since`` is the latest of them: a talk on
    or after it settles the suggestion, a new deduction raises it again. Two queries."""
    from assessments.models import Entry, EntryStatus, RuleKind

    threshold = settings.CENTER.get("JOINT_TALK_AFTER_DEDUCTIONS", 3)
    rows = (
        _in_departments(
            Entry.objects.filter(
                kind=RuleKind.DEDUCTION,
                status=EntryStatus.ACTIVE,
                date__gt=today - timedelta(days=DEDUCTION_WINDOW_DAYS),
                date__lte=today,
            ),
            department_ids,
        )
        .values("staff_id")
        .annotate(n=Count("id"), latest=Max("date"))
        .filter(n__gte=threshold)
        .order_by()
        .values_list("staff_id", "latest")
    )
    return _not_talked_since(
        [
            SuggestedTalk(
                staff_id=pk,
                reason="repeated_deductions",
                since=latest,
                kind=TalkKind.AFTER_DEDUCTION,
            )
            for pk, latest in rows
        ]
    )


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def bad_rating_streak(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """Citizen ratings "dissatisfied" or worse, not invalidated on appeal, in two consecutive
    calendar months, the later being this month or the last. (Assessments stores people's ranks
    but not windows' — window rankings are computed on the fly — so the streak is read from the
    ratings themselves.) ``since`` is the day of the first bad rating of the later month. Two
    queries."""
    from assessments.models import BAD_LEVELS, Rating, RectificationStatus

    tz = timezone.get_current_timezone()
    start = datetime.combine(_month_start(today, 2), time.min, tzinfo=tz)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        _in_departments(
            Rating.objects.filter(
                level__in=BAD_LEVELS, served_at__gte=start, served_at__lt=end
            ).exclude(rectification__status=RectificationStatus.INVALID),
            department_ids,
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
                candidates.append(
                    SuggestedTalk(staff_id=staff_id, reason="bad_ratings", since=seen[later])
                )
                break
    return _not_talked_since(candidates)


def appeal_upheld(department_ids: frozenset[int] | None, today: date) -> list[SuggestedTalk]:
    """An appeal decided in the last 30 days to uphold the deduction: explain the decision.
    ``since`` is the (latest) decision day. Two queries."""
    from assessments.models import Appeal, AppealStatus

    tz = timezone.get_current_timezone()
    rows = (
        _in_departments(
            Appeal.objects.filter(
                status=AppealStatus.UPHELD,
                decided_at__gte=datetime.combine(
                    today - timedelta(days=APPEAL_WINDOW_DAYS - 1), time.min, tzinfo=tz
                ),
                decided_at__lt=datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz),
            ),
            department_ids,
        )
        .values("staff_id")
        .annotate(latest=Max("decided_at"))
        .order_by()
        .values_list("staff_id", "latest")
    )
    return _not_talked_since(
        [
            SuggestedTalk(
                staff_id=pk,
                reason="appeal_upheld",
                since=timezone.localtime(latest, tz).date(),
                kind=TalkKind.AFTER_APPEAL,
            )
            for pk, latest in rows
        ]
    )


_PEOPLE = ("staff.Staff", "joint.Talk")


def register_builtin_triggers() -> None:
    register_trigger(
        "no_talk_12_months",
        _("No talk for 12 months"),
        twelve_months_without_talk,
        depends_on=(*_PEOPLE, "windows.Stationing"),
    )
    register_trigger(
        "transfer",
        _("Transferred in the last 30 days"),
        recent_transfer,
        depends_on=(*_PEOPLE, "windows.Stationing"),
    )
    register_trigger(
        "requested",
        _("Requested by the person"),
        requested_by_person,
        depends_on=(*_PEOPLE, "joint.TalkRequest"),
    )
    register_trigger(
        "repeated_deductions",
        _("Repeated deductions"),
        repeated_deductions,
        depends_on=(*_PEOPLE, "assessments.Entry"),
    )
    register_trigger(
        "bad_ratings",
        _("Bad citizen ratings two months in a row"),
        bad_rating_streak,
        depends_on=(*_PEOPLE, "assessments.Rating", "assessments.Rectification"),
    )
    register_trigger(
        "appeal_upheld",
        _("Appeal upheld against them"),
        appeal_upheld,
        depends_on=(*_PEOPLE, "assessments.Appeal"),
    )
