"""Training reminders (DESIGN.md §5): upcoming sessions for the enrolled, policy-update training
due soon or overdue, onboarding overdue, and (from ``TRAINING_BEHIND_FROM_MONTH``, October) people
behind the pro-rata annual hours target, once a month. Registered with the notifications app from
``TrainingConfig.ready()``; each sweep derives what is due from the data over a date window, so a
missed day is caught up, and the notifications app's unique key sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind, register_sweep
from staff.models import Department, Staff, StaffStatus
from staff.reminders import Recipients

from .models import Enrollment, EnrollmentStatus
from .selectors import (
    annual_target,
    onboarding_overdue_stationings,
    pace_target,
    policy_pending_pairs,
    with_hours,
)

SESSION_UPCOMING = register_kind(
    key="training.session_upcoming",
    label=_("Training session coming up"),
    title=_("Training “%(course)s” on %(starts)s"),
    body=_(
        "You are on the roll of “%(course)s” on %(starts)s at %(place)s. It takes place outside "
        "working hours and counts %(hours)s hours towards your annual target."
    ),
)
POLICY_DUE = register_kind(
    key="training.policy_due",
    label=_("Policy-update training due"),
    title=_("%(name)s: training on “%(update)s” due by %(deadline)s"),
    body=_(
        "The policy update “%(update)s” touches the services of %(name)s's window. The course "
        "“%(course)s” must be taken by %(deadline)s; see the training menu for sessions."
    ),
)
POLICY_OVERDUE = register_kind(
    key="training.policy_overdue",
    label=_("Policy-update training overdue"),
    title=_("%(name)s: training on “%(update)s” is overdue"),
    body=_(
        "%(name)s (%(department)s) has not taken “%(course)s”, required by the policy update "
        "“%(update)s” by %(deadline)s."
    ),
)
ONBOARDING_OVERDUE = register_kind(
    key="training.onboarding_overdue",
    label=_("Onboarding training overdue"),
    title=_("%(name)s has not taken onboarding training"),
    body=_(
        "%(name)s (%(department)s) started at window %(window)s on %(start)s; onboarding training "
        "was due within %(days)s days, by %(due)s."
    ),
)
BEHIND_TARGET = register_kind(
    key="training.behind_target",
    label=_("Behind the annual training target"),
    title=_("%(name)s: %(hours)s training hours so far this year, %(pace)s expected by now"),
    body=_(
        "%(name)s (%(department)s) has %(hours)s credited training hours in %(year)s. To reach "
        "the annual target of %(target)s hours, %(pace)s hours were expected by %(date)s. "
        "Please enrol in upcoming sessions (see the training menu)."
    ),
)

BEHIND_TARGET_DIGEST = register_kind(
    key="training.behind_target_digest",
    label=_("Department's people behind the training target (monthly digest)"),
    title=_("%(department)s: %(count)s people behind the annual training target"),
    body=_(
        "%(count)s people of %(department)s have fewer credited training hours in %(year)s than "
        "the %(pace)s expected by %(date)s (annual target %(target)s hours), among them: "
        "%(names)s. The training hours page lists them all."
    ),
)
DIGEST_NAMES = 10  # names quoted in a department's digest


def conf(key: str):
    return settings.NOTIFICATIONS[key]


@register_sweep("training.sessions")
def session_sweep(today: date) -> Iterator[Due]:
    """Each person enrolled or invited in a session starting within the next
    ``TRAINING_UPCOMING_DAYS`` days (2)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tzinfo=zone)
    enrollments = (
        Enrollment.objects.filter(
            status__in=(EnrollmentStatus.INVITED, EnrollmentStatus.ENROLLED),
            session__cancelled=False,
            session__starts_at__gte=max(start, timezone.now()),
            session__starts_at__lt=start + timedelta(days=conf("TRAINING_UPCOMING_DAYS") + 1),
            staff__user__isnull=False,
            staff__user__is_active=True,
        )
        .select_related("session__course", "staff")
        .order_by("session__starts_at", "id")
    )
    for enrollment in enrollments.iterator(chunk_size=1000):
        session = enrollment.session
        yield Due(
            kind=SESSION_UPCOMING.key,
            subject=(Enrollment, enrollment.pk),
            period=f"{timezone.localdate(session.starts_at):%Y-%m-%d}",
            recipients=[enrollment.staff.user_id],
            params={
                "course": session.course.title,
                "starts": session.starts_at,  # rendered in each recipient's language
                "place": session.place if not session.online else _("online"),
                "hours": session.course.hours,
            },
            link=reverse("training:session_detail", args=[session.pk]),
        )


@register_sweep("training.policy_updates")
def policy_sweep(today: date) -> Iterator[Due]:
    """Due within ``TRAINING_POLICY_NOTICE_DAYS`` (a week): the person. Overdue (for the catch-up window after the deadline): the
    person, the department's liaisons and the center."""
    recipients = Recipients()
    people = Staff.objects.exclude(status=StaffStatus.LEFT)
    catch_up = settings.NOTIFICATIONS["CATCH_UP_DAYS"]
    soon = policy_pending_pairs(
        people,
        deadline_from=today,
        deadline_before=today + timedelta(days=conf("TRAINING_POLICY_NOTICE_DAYS")),
    )
    for row in soon:
        if row["user_id"] is None:
            continue
        yield _policy_due(POLICY_DUE.key, row, [row["user_id"]], "due")
    late = policy_pending_pairs(
        people, deadline_from=today - timedelta(days=catch_up), deadline_before=today
    )
    for row in late:
        who = recipients.for_department(row["department_id"], row["user_id"])
        yield _policy_due(POLICY_OVERDUE.key, row, who, "overdue")


def _policy_due(kind: str, row: dict, recipients: list[int], stage: str) -> Due:
    update = row["update"]
    return Due(
        kind=kind,
        subject=(Staff, row["staff_id"]),
        period=f"policy-{update.pk}-{stage}",
        recipients=recipients,
        params={
            "name": row["name"],
            "department": row["department"],
            "update": update.title,
            "course": update.course.title,
            "deadline": update.deadline,
        },
        link=reverse("training:person", args=[row["staff_id"]]),
    )


@register_sweep("training.onboarding")
def onboarding_sweep(today: date) -> Iterator[Due]:
    """Open stationings whose onboarding fell due within the catch-up window, untrained."""
    recipients = Recipients()
    catch_up = settings.NOTIFICATIONS["CATCH_UP_DAYS"]
    days = settings.CENTER["TRAINING_ONBOARDING_DAYS"]
    for stationing in onboarding_overdue_stationings(
        Staff.objects.exclude(status=StaffStatus.LEFT),
        started_from=today - timedelta(days=days + catch_up),
        started_before=today - timedelta(days=days),
    ):
        person = stationing.staff
        yield Due(
            kind=ONBOARDING_OVERDUE.key,
            subject=(Staff, person.pk),
            period=f"onboarding-{stationing.pk}",
            recipients=recipients.for_department(person.department_id, person.user_id),
            params={
                "name": person.name,
                "department": person.department.name,
                "window": stationing.window.code,
                "start": stationing.start_date,
                "days": days,
                "due": stationing.start_date + timedelta(days=days),
            },
            link=reverse("training:person", args=[person.pk]),
        )


@register_sweep("training.behind_target")
def behind_target_sweep(today: date) -> Iterator[Due]:
    """From ``TRAINING_BEHIND_FROM_MONTH`` (October) to the end of the year: everyone at the center
    whose hours credited this year are below the annual target times the elapsed fraction of the
    year (``selectors.pace_target``). The person hears once per month (a person who falls behind
    later in the month hears that day); the department's liaisons get one digest per department
    per month — at province scale a notice per person would bury them."""
    if today.month < conf("TRAINING_BEHIND_FROM_MONTH"):
        return
    recipients = Recipients()
    pace = pace_target(today)
    target = annual_target()
    common = {
        "pace": f"{pace.normalize():f}",
        "target": f"{target.normalize():f}",
        "year": today.year,
        "date": today,
    }
    people = (
        with_hours(Staff.objects.exclude(status=StaffStatus.LEFT), today.year)
        .filter(hours_total__lt=pace)
        .select_related("department")
        .only("id", "name", "user_id", "department__id", "department__name")
        .order_by("department_id", "id")
    )
    departments: dict[int, dict] = {}
    for person in people.iterator(chunk_size=2000):
        digest = departments.setdefault(
            person.department_id, {"department": person.department.name, "names": [], "count": 0}
        )
        digest["count"] += 1
        if len(digest["names"]) < DIGEST_NAMES:
            digest["names"].append(person.name)
        if not person.user_id:
            continue
        yield Due(
            kind=BEHIND_TARGET.key,
            subject=(Staff, person.pk),
            period=f"behind-{today:%Y-%m}",
            recipients=[person.user_id],
            params={
                "name": person.name,
                "department": person.department.name,
                "hours": f"{person.hours_total.normalize():f}",
                **common,
            },
            link=reverse("training:person", args=[person.pk]),
        )
    link = reverse("training:hours") + "?behind=1"
    for department_id, digest in departments.items():
        liaisons = recipients.liaisons.get(department_id, ())
        if not liaisons:
            continue
        names = "、".join(digest["names"])
        if digest["count"] > len(digest["names"]):
            names += "……"
        yield Due(
            kind=BEHIND_TARGET_DIGEST.key,
            subject=(Department, department_id),
            period=f"behind-{today:%Y-%m}",
            recipients=list(liaisons),
            params={
                "department": digest["department"],
                "count": digest["count"],
                "names": names,
                **common,
            },
            link=link,
        )
