"""Reminders of the assessment cycle (DESIGN.md §5):

* ``assessments.scoring_due`` — monthly scoring of the previous month is due by the
  ``SCORING_DUE_DAY`` (default the 5th); the center administrators are reminded from the 1st.
* ``assessments.appeal_deadlines`` — a deduction that can still be appealed, whose appeal
  deadline is at most ``APPEAL_NOTICE_WORKING_DAYS`` working days away: the person concerned.
* ``assessments.rectifications`` — an open rectification case whose deadline is at most
  ``RECTIFICATION_NOTICE_WORKING_DAYS`` working days away, and once it is overdue: the rated
  person's department liaisons and the center administrators. The texts name the window, the
  person and the dates, never the citizen who rated (name, phone) nor their comment.

Working days come from ``core.workdays`` (holidays and adjusted working weekends), the same
calendar that set the deadlines. The departments' monthly report is ``portal/reminders.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.workdays import add_working_days
from notifications.registry import Due, Month, register_kind, register_sweep
from staff.models import StaffStatus, User
from staff.reminders import Recipients

from .models import (
    OPEN_RECTIFICATION,
    Appeal,
    Entry,
    EntryStatus,
    Rectification,
    RectificationStatus,
    RuleKind,
)

SCORING_DUE = register_kind(
    key="assessment.scoring_due",
    label=_("Monthly scoring due"),
    title=_("Monthly scores for %(month)s are due by %(due)s"),
    body=_(
        "Please finish scoring every window and staff member for %(month)s, including deductions "
        "and bonuses, by %(due)s, so that results can be published and reported to the "
        "departments."
    ),
)


@register_sweep("assessments.scoring_due")
def scoring_due_sweep(today: date) -> Iterator[Due]:
    due_day = settings.NOTIFICATIONS["SCORING_DUE_DAY"]
    if today.day > due_day:
        return
    previous = today.replace(day=1) - timedelta(days=1)
    period = f"{previous:%Y-%m}"
    link = reverse("portal:dashboard")
    for user_id in Recipients().admins:
        yield Due(
            kind=SCORING_DUE.key,
            subject=(User, user_id),
            period=period,
            recipients=[user_id],
            params={
                "month": Month(previous),
                "due": today.replace(day=due_day),
            },
            link=link,
        )


APPEAL_DEADLINE = register_kind(
    key="assessment.appeal_deadline",
    label=_("Appeal deadline approaching"),
    title=_("You can appeal the deduction of %(date)s until %(deadline)s"),
    body=_(
        "%(points)s points were deducted on %(date)s under rule %(rule)s (%(rule_name)s). If you "
        "disagree, you can appeal until %(deadline)s; after that the deduction stands."
    ),
)
RECTIFICATION_DUE = register_kind(
    key="assessment.rectification_due",
    label=_("Rectification deadline approaching"),
    title=_("Rectification at window %(window)s is due by %(deadline)s"),
    body=_(
        "The rectification case opened on %(opened)s for a dissatisfied rating of %(served)s at "
        "window %(window)s (%(department)s, %(name)s) is %(status)s and due by %(deadline)s. "
        "Please finish it and reply to the citizen in time."
    ),
)
RECTIFICATION_OVERDUE = register_kind(
    key="assessment.rectification_overdue",
    label=_("Rectification overdue"),
    title=_("Rectification at window %(window)s is overdue"),
    body=_(
        "The rectification case opened on %(opened)s for a dissatisfied rating of %(served)s at "
        "window %(window)s (%(department)s, %(name)s) was due by %(deadline)s and is still "
        "%(status)s."
    ),
)


def conf(key: str):
    return settings.NOTIFICATIONS[key]


@register_sweep("assessments.appeal_deadlines")
def appeal_deadline_sweep(today: date) -> Iterator[Due]:
    """Counting deductions not appealed yet whose deadline is from today to
    ``APPEAL_NOTICE_WORKING_DAYS`` working days ahead (so the reminder goes out on the working day
    before, or on any later day up to the deadline if that one was missed): the person's own
    account. One reminder per entry and deadline."""
    latest = add_working_days(today, conf("APPEAL_NOTICE_WORKING_DAYS"))
    entries = (
        Entry.objects.filter(
            kind=RuleKind.DEDUCTION,
            status=EntryStatus.ACTIVE,
            appeal_deadline__gte=today,
            appeal_deadline__lte=latest,
            staff__user__isnull=False,
            staff__user__is_active=True,
        )
        .exclude(staff__status=StaffStatus.LEFT)
        .filter(~Exists(Appeal.objects.filter(entry=OuterRef("pk"))))
        .select_related("rule", "staff")
        .only(
            "id",
            "date",
            "points",
            "appeal_deadline",
            "rule__code",
            "rule__description",
            "staff__id",
            "staff__user_id",
        )
        .order_by("id")
    )
    for entry in entries.iterator(chunk_size=2000):
        yield Due(
            kind=APPEAL_DEADLINE.key,
            subject=(Entry, entry.pk),
            period=f"appeal-{entry.appeal_deadline.isoformat()}",
            recipients=[entry.staff.user_id],
            params={
                "date": entry.date,
                "deadline": entry.appeal_deadline,
                "points": f"{entry.points.normalize():f}",
                "rule": entry.rule.code,
                "rule_name": entry.rule.description,
            },
            link=reverse("assessments:entry_detail", args=[entry.pk]),
        )


@register_sweep("assessments.rectifications")
def rectification_sweep(today: date) -> Iterator[Due]:
    """Open cases due from today to ``RECTIFICATION_NOTICE_WORKING_DAYS`` working days ahead, and
    cases overdue since at most ``CATCH_UP_DAYS``: the department's liaisons and the center."""
    recipients = Recipients()
    latest = add_working_days(today, conf("RECTIFICATION_NOTICE_WORKING_DAYS"))
    earliest = today - timedelta(days=conf("CATCH_UP_DAYS"))
    cases = (
        Rectification.objects.filter(
            status__in=OPEN_RECTIFICATION, deadline__gte=earliest, deadline__lte=latest
        )
        .select_related("window", "department", "staff", "rating")
        .only(
            "id",
            "status",
            "opened_on",
            "deadline",
            "department_id",
            "window__code",
            "department__name",
            "staff__name",
            "rating__served_at",
        )
        .order_by("deadline", "id")
    )
    for case in cases.iterator(chunk_size=2000):
        overdue = case.deadline < today
        yield Due(
            kind=(RECTIFICATION_OVERDUE if overdue else RECTIFICATION_DUE).key,
            subject=(Rectification, case.pk),
            period=f"{'overdue' if overdue else 'due'}-{case.deadline.isoformat()}",
            recipients=recipients.for_department(case.department_id),
            params={
                "window": case.window.code,
                "department": case.department.name,
                "name": case.staff.name if case.staff else "—",
                "opened": case.opened_on,
                "served": case.rating.served_at.date(),
                "deadline": case.deadline,
                "status": RectificationStatus(case.status).label,
            },
            link=reverse("assessments:rectification_detail", args=[case.pk]),
        )
