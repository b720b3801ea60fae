"""Who covers a window while one of its people is away (AB岗 / 替岗).

A person is *away* now when approved leave covers this half-day or they are registered as
stepped out and not back. The rules read here:

* stepping out needs someone on duty at the window: the other person of the person's A/B pair
  (``windows.stand_in_reads.stand_in_pair_for``) when there is a pair, otherwise a colleague
  stationed at the same window;
* the stand-in named for a leave is not away on those days (their own pending or approved leave),
  and a person named as somebody's stand-in cannot take leave on the days they stand in.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.models import Staff
from windows.models import Stationing
from windows.stand_in_reads import stand_in_pair_for

from ..conf import conf
from ..models import Half, LeaveRequest, LeaveStatus, StepOut

WAITING_OR_APPROVED = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


def current_half(now: datetime) -> str:
    split = time.fromisoformat(conf("HALF_DAY_SPLIT"))
    return Half.AM if timezone.localtime(now).time() < split else Half.PM


def leave_now(people: Q, now: datetime) -> dict[int, str]:
    """The people (``people`` filters LeaveRequest by staff) whose approved leave covers the
    half-day of ``now``, each with the name of the stand-in the leave names. One query."""
    today, half = timezone.localtime(now).date(), current_half(now)
    found: dict[int, str] = {}
    rows = LeaveRequest.objects.filter(
        people,
        status=LeaveStatus.APPROVED,
        start_date__lte=today,
        end_date__gte=today,
    ).values_list("staff_id", "start_date", "start_half", "end_date", "end_half", "stand_in__name")
    for staff_id, start, start_half, end, end_half, stand_in in rows:
        if start == today and start_half == Half.PM and half == Half.AM:
            continue
        if end == today and end_half == Half.AM and half == Half.PM:
            continue
        found[staff_id] = stand_in or ""
    return found


def on_leave_now(people: Q, now: datetime) -> set[int]:
    """Ids of the people whose approved leave covers the half-day of ``now``. One query."""
    return set(leave_now(people, now))


def away_now(staff_ids: set[int], now: datetime) -> set[int]:
    """Of ``staff_ids``, those on leave this half-day or stepped out and not back. Two queries."""
    if not staff_ids:
        return set()
    out = set(
        StepOut.objects.filter(staff_id__in=staff_ids, back_at__isnull=True).values_list(
            "staff_id", flat=True
        )
    )
    return out | on_leave_now(Q(staff_id__in=staff_ids), now)


def check_cover_for_step_out(staff: Staff, now: datetime) -> None:
    """Refuse stepping out when it would leave the person's window with nobody on duty."""
    today = timezone.localtime(now).date()
    window_id = (
        Stationing.objects.current_on(today)
        .filter(staff=staff)
        .values_list("window_id", flat=True)
        .first()
    )
    if window_id is None:
        return  # not stationed at a window today: nothing to cover
    pair = stand_in_pair_for(staff, today)
    if pair is not None:
        partner = pair.b if pair.a_id == staff.pk else pair.a
        if partner.pk in away_now({partner.pk}, now):
            raise ValidationError(
                _(
                    "Your stand-in %(name)s is away (on leave or out) now: the window would be "
                    "left with nobody. Wait until they are back, or ask the chief representative."
                )
                % {"name": partner.name}
            )
        return
    colleagues = set(
        Stationing.objects.current_on(today)
        .filter(window_id=window_id)
        .exclude(staff=staff)
        .values_list("staff_id", flat=True)
    )
    if not colleagues or colleagues <= away_now(colleagues, now):
        raise ValidationError(
            _(
                "Nobody else is on duty at your window now and no stand-in is named for you: "
                "the window would be left with nobody. Ask the chief representative."
            )
        )


def _dates(leave: LeaveRequest) -> str:
    start = date_format(leave.start_date, "SHORT_DATE_FORMAT")
    if leave.start_date == leave.end_date:
        return start
    return f"{start}–{date_format(leave.end_date, 'SHORT_DATE_FORMAT')}"


def check_stand_in_available(
    staff: Staff, stand_in: Staff | None, start: date, end: date, *, statuses=WAITING_OR_APPROVED
) -> None:
    """The stand-in of a leave from ``start`` to ``end`` is not away on any of those days."""
    if stand_in is None:
        return
    theirs = (
        LeaveRequest.objects.filter(
            staff=stand_in, status__in=statuses, start_date__lte=end, end_date__gte=start
        )
        .order_by("start_date")
        .first()
    )
    if theirs is not None:
        raise ValidationError(
            {
                "stand_in": [
                    _(
                        "%(name)s is on leave on some of these days (%(dates)s): name another stand-in."
                    )
                    % {"name": stand_in.name, "dates": _dates(theirs)}
                ]
            }
        )


def check_not_standing_in(staff: Staff, start: date, end: date) -> None:
    """A person named as a colleague's stand-in cannot take leave on the days they stand in."""
    covering = (
        LeaveRequest.objects.filter(
            stand_in=staff,
            status__in=WAITING_OR_APPROVED,
            start_date__lte=end,
            end_date__gte=start,
        )
        .select_related("staff")
        .order_by("start_date")
        .first()
    )
    if covering is not None:
        raise ValidationError(
            {
                "start_date": [
                    _(
                        "You stand in for %(name)s on some of these days (%(dates)s): ask them "
                        "to name another stand-in first."
                    )
                    % {"name": covering.staff.name, "dates": _dates(covering)}
                ]
            }
        )
