"""Who hears about what in the assessment cycle, through the notifications app.

Services call the functions below inside their transaction: :func:`notifications.services.notify`
writes one row per recipient with the caller's change (a rollback writes nothing), and e-mail goes
out after the commit from those rows (the relay) — a broker or mail outage only delays it. Texts
are registered kinds, rendered in each recipient's language.

Confidentiality: a text that reaches the rated person never names the citizen who rated
(``Rating.rater_name`` / ``rater_phone``) nor who recorded an entry; the parameters below simply
never carry them (tested).

Long because: it is the table of who hears what in the assessment cycle — each notice kind beside
the function that picks its recipients and parameters — and reads best as one list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind
from notifications.services import notify_all

DEDUCTION_RECORDED = register_kind(
    key="assessment.deduction_recorded",
    label=_("Deduction recorded for you"),
    title=_("Assessment notice: %(points)s points deducted on %(date)s"),
    body=_(
        "%(name)s: on %(date)s %(points)s points were deducted under rule %(rule)s. "
        "Notes: %(notes)s. If you disagree you may appeal in the system until %(deadline)s. "
        "%(joint)s"
    ),
)
BONUS_RECORDED = register_kind(
    key="assessment.bonus_recorded",
    label=_("Bonus recorded for you"),
    title=_("Assessment notice: a bonus of %(points)s points on %(date)s"),
    body=_(
        "%(name)s: on %(date)s you earned a bonus of %(points)s points under rule %(rule)s. "
        "Notes: %(notes)s."
    ),
)
APPEAL_SUBMITTED = register_kind(
    key="assessment.appeal_submitted",
    label=_("Appeal submitted (center)"),
    title=_("New appeal from %(name)s"),
    body=_("%(name)s appealed entry %(rule)s of %(date)s: %(reason)s"),
)
APPEAL_DECIDED = register_kind(
    key="assessment.appeal_decided",
    label=_("Your appeal was decided"),
    title=_("Your appeal was decided: %(outcome)s"),
    body=_("Your appeal against %(rule)s of %(date)s: %(outcome)s. %(note)s"),
)
RECTIFICATION_OPENED = register_kind(
    key="assessment.rectification_opened",
    label=_("Bad citizen rating to rectify"),
    title=_("A bad citizen rating needs rectification (%(ref)s)"),
    body=_(
        "Service event %(ref)s of %(name)s at window %(window)s was rated %(level)s. "
        "Rectify by %(deadline)s."
    ),
)
RECTIFICATION_CHANGED = register_kind(
    key="assessment.rectification_changed",
    label=_("Rectification case changed"),
    title=_("Rectification case %(ref)s: %(state)s"),
    body=_("Service event %(ref)s of %(name)s at window %(window)s is now: %(state)s. %(note)s"),
)
# --- ratings feed (issue #18) ---
BAD_RATING_ALERT = register_kind(
    key="assessment.bad_rating_alert",
    label=_("Bad citizen rating at a window (alert)"),
    title=_("Alert: bad citizen rating at window %(window)s (%(ref)s)"),
    body=_(
        "Service event %(ref)s of %(name)s at window %(window)s, served %(served)s, was rated "
        "%(level)s (received %(received)s). Reasons: %(reasons)s. Rectify by %(deadline)s."
    ),
)
EXTENSION_REQUESTED = register_kind(
    key="assessment.extension_requested",
    label=_("Rectification deadline extension requested (center)"),
    title=_("Extension requested for case %(ref)s"),
    body=_(
        "%(days)s more working days requested for case %(ref)s at window %(window)s "
        "(deadline %(deadline)s): %(reason)s"
    ),
)
EXTENSION_DECIDED = register_kind(
    key="assessment.extension_decided",
    label=_("Rectification deadline extension decided"),
    title=_("Extension for case %(ref)s: %(outcome)s"),
    body=_("Your request for case %(ref)s: %(outcome)s. Deadline: %(deadline)s. %(note)s"),
)
# --- end ratings feed ---

# The home department hears of its own people (joint management: the center reports each
# person's performance to the department; a liaison mutes a kind in their preferences).
HOME_DEDUCTION = register_kind(
    key="assessment.home_deduction",
    label=_("Deduction for one of your department's people"),
    title=_("%(name)s: %(points)s points deducted on %(date)s"),
    body=_(
        "%(name)s of your department, at window %(window)s: on %(date)s %(points)s points were "
        "deducted under rule %(rule)s. Notes: %(notes)s. %(name)s may appeal until %(deadline)s."
    ),
)
HOME_BONUS = register_kind(
    key="assessment.home_bonus",
    label=_("Commendation for one of your department's people"),
    title=_("%(name)s: a bonus of %(points)s points on %(date)s"),
    body=_(
        "%(name)s of your department, at window %(window)s: on %(date)s a bonus of %(points)s "
        "points under rule %(rule)s. Notes: %(notes)s."
    ),
)
HOME_APPEAL = register_kind(
    key="assessment.home_appeal",
    label=_("Appeal by one of your department's people"),
    title=_("%(name)s appealed a deduction"),
    body=_("%(name)s of your department appealed entry %(rule)s of %(date)s: %(reason)s"),
)

JOINT_SHARE = _("This is your share as chief representative of the window (joint liability).")


def _center_admins() -> Q:
    from staff.models import Role

    return Q(role=Role.CENTER_ADMIN) | Q(is_superuser=True)


def center_admin_ids() -> list[int]:
    from staff.models import User

    return sorted(
        User.objects.filter(_center_admins(), is_active=True).values_list("pk", flat=True)
    )


def liaison_ids(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active liaisons of each department, in one query."""
    from staff.models import Role, User

    found: dict[int, list[int]] = {}
    rows = User.objects.filter(
        role=Role.LIAISON, is_active=True, departments__in=set(department_ids)
    ).values_list("departments", "pk")
    for department_id, user_id in rows:
        found.setdefault(department_id, []).append(user_id)
    return found


def _window_codes(ids: set[int | None]) -> dict[int, str]:
    from windows.models import Window

    ids.discard(None)
    return dict(Window.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}


def _without(ids: Iterable[int | None], actor: Any) -> list[int]:
    actor_id = getattr(actor, "pk", None)
    return sorted({i for i in ids if i is not None and i != actor_id})


def entries_recorded(entries: Iterable[Any]) -> int:
    """Tell each person of an entry recorded for them, and their home department's liaisons
    (``staff`` loaded; a constant number of queries)."""
    from .models import Entry, RuleKind

    entries = list(entries)
    link = reverse("assessments:my_record")
    liaisons = liaison_ids({entry.staff.department_id for entry in entries})
    windows = _window_codes({entry.window_id for entry in entries if liaisons})
    dues = []
    for entry in entries:
        deduction = entry.kind == RuleKind.DEDUCTION
        home = liaisons.get(entry.staff.department_id, [])
        if home:
            dues.append(
                Due(
                    kind=(HOME_DEDUCTION if deduction else HOME_BONUS).key,
                    subject=(Entry, entry.pk),
                    period="recorded",
                    recipients=home,
                    params={
                        "name": entry.staff.name,
                        "window": windows.get(entry.window_id, "—"),
                        "date": entry.date,
                        "rule": f"{entry.rule.code} {entry.rule.description}",
                        "points": entry.points,
                        "deadline": entry.appeal_deadline,
                        "notes": entry.notes or "—",
                    },
                    link=reverse("staff:detail", args=[entry.staff_id]),
                )
            )
        if not entry.staff.user_id:
            continue
        dues.append(
            Due(
                kind=(DEDUCTION_RECORDED if deduction else BONUS_RECORDED).key,
                subject=(Entry, entry.pk),
                period="recorded",
                recipients=[entry.staff.user_id],
                params={
                    "name": entry.staff.name,
                    "date": entry.date,
                    "rule": f"{entry.rule.code} {entry.rule.description}",
                    "points": entry.points,
                    "deadline": entry.appeal_deadline,
                    "notes": entry.notes or "—",
                    "joint": JOINT_SHARE if entry.joint_parent_id else "",
                },
                link=link,
            )
        )
    return notify_all(dues)


def appeal_submitted(appeal: Any, entry: Any) -> int:
    """Tell the center's administrators of a new appeal, and the person's home department."""
    from .models import Appeal

    params = {
        "name": entry.staff.name,
        "rule": entry.rule.code,
        "date": entry.date,
        "reason": appeal.reason,
    }
    department = entry.staff.department_id
    return notify_all(
        [
            Due(
                kind=APPEAL_SUBMITTED.key,
                subject=(Appeal, appeal.pk),
                period="submitted",
                recipients=center_admin_ids(),
                params=params,
                link=reverse("assessments:appeal_decide", args=[appeal.pk]),
            ),
            Due(
                kind=HOME_APPEAL.key,
                subject=(Appeal, appeal.pk),
                period="submitted",
                recipients=liaison_ids([department]).get(department, []),
                params=params,
                link=reverse("staff:detail", args=[entry.staff_id]),
            ),
        ]
    )


def appeal_decided(appeal: Any, entry: Any) -> int:
    """Tell the person how their appeal was decided (not who decided it)."""
    from .models import Appeal, AppealStatus

    if not entry.staff.user_id:
        return 0
    return notify_all(
        [
            Due(
                kind=APPEAL_DECIDED.key,
                subject=(Appeal, appeal.pk),
                period="decided",
                recipients=[entry.staff.user_id],
                params={
                    "rule": entry.rule.code,
                    "date": entry.date,
                    "outcome": AppealStatus(appeal.status).label,
                    "note": appeal.decision_note,
                },
                link=reverse("assessments:my_record"),
            )
        ]
    )


def _case_params(case: Any, rating: Any) -> dict[str, Any]:
    # Deliberately not rating.rater_name / rater_phone / comment: the citizen stays anonymous.
    return {
        "ref": rating.event_ref,
        "name": rating.staff.name if rating.staff_id else "—",
        "window": rating.window.code,
    }


def rectifications_opened(cases: Iterable[Any]) -> int:
    return notify_all(rectifications_opened_dues(cases))


def rectifications_opened_dues(cases: Iterable[Any]) -> list[Due]:
    """A bad rating opened a case: tell the rated person and the department's liaisons.
    ``case.rating`` with ``staff`` and ``window`` loaded; a constant number of queries."""
    from .models import RatingLevel, Rectification

    cases = list(cases)
    liaisons = liaison_ids({c.department_id for c in cases})
    dues = []
    for case in cases:
        rating = case.rating
        person = rating.staff.user_id if rating.staff_id else None
        dues.append(
            Due(
                kind=RECTIFICATION_OPENED.key,
                subject=(Rectification, case.pk),
                period="opened",
                recipients=_without([person, *liaisons.get(case.department_id, [])], None),
                params={
                    **_case_params(case, rating),
                    "level": RatingLevel(rating.level).label,
                    "deadline": case.deadline,
                },
                link=reverse("assessments:rectification_detail", args=[case.pk]),
            )
        )
    return dues


def rectification_changed(case: Any, log: Any, action: str, actor: Any) -> int:
    """A case moved: tell the rated person and the department's liaisons; when the rated side
    acted (appealed, started rectifying, the department responded) also the center. Never the
    actor."""
    from .models import Rectification, RectificationStatus

    rating = case.rating
    ids = [case.staff.user_id if case.staff_id else None]
    ids += liaison_ids([case.department_id]).get(case.department_id, [])
    if action in ("appeal", "start", "respond"):
        ids += center_admin_ids()
    return notify_all(
        [
            Due(
                kind=RECTIFICATION_CHANGED.key,
                subject=(Rectification, case.pk),
                period=f"log-{log.pk}",
                recipients=_without(ids, actor),
                params={
                    **_case_params(case, rating),
                    "state": RectificationStatus(case.status).label,
                    "note": log.note,
                },
                link=reverse("assessments:rectification_detail", args=[case.pk]),
            )
        ]
    )


# --- ratings feed (issue #18) ---


def chief_user_ids(pairs: Iterable[tuple[int, Any]]) -> dict[tuple[int, Any], list[int]]:
    """The logins of the chief representatives stationed at each (window, day), in one query."""
    from django.db.models import Q as _Q

    from windows.models import Post, Stationing

    pairs = set(pairs)
    if not pairs:
        return {}
    first = min(day for _w, day in pairs)
    last = max(day for _w, day in pairs)
    spans = Stationing.objects.filter(
        _Q(end_date__isnull=True) | _Q(end_date__gt=first),
        window_id__in={w for w, _d in pairs},
        post=Post.CHIEF_REPRESENTATIVE,
        start_date__lte=last,
        staff__user__isnull=False,
        staff__user__is_active=True,
    ).values_list("window_id", "staff__user_id", "start_date", "end_date")
    found: dict[tuple[int, Any], list[int]] = {pair: [] for pair in pairs}
    for window_id, user_id, start, end in spans:
        for w, day in pairs:
            if w == window_id and start <= day and (end is None or end > day):
                found[(w, day)].append(user_id)
    return found


def bad_ratings_alert(cases: Iterable[Any]) -> int:
    return notify_all(bad_ratings_alert_dues(cases))


def cases_opened(cases: Iterable[Any]) -> int:
    """Both notices of newly opened cases in one write: the rated person and the liaisons
    (``rectification_opened``), the window's chiefs and the center (``bad_rating_alert``)."""
    cases = list(cases)
    return notify_all([*rectifications_opened_dues(cases), *bad_ratings_alert_dues(cases)])


def bad_ratings_alert_dues(cases: Iterable[Any]) -> list[Due]:
    """A rating turned out bad (new, or changed to bad): alert at once the chief
    representative(s) stationed at the window on the day served, and the center. ``case.rating``
    with ``staff`` and ``window`` loaded; a constant number of queries. The e-mail follows the
    commit through the relay, as every notice (and each user's preference for the kind)."""
    from django.utils import timezone

    from .models import RatingLevel, Rectification

    cases = list(cases)
    if not cases:
        return []
    days = {c.pk: timezone.localtime(c.rating.served_at).date() for c in cases}
    chiefs = chief_user_ids((c.rating.window_id, days[c.pk]) for c in cases)
    center = center_admin_ids()
    dues = []
    for case in cases:
        rating = case.rating
        dues.append(
            Due(
                kind=BAD_RATING_ALERT.key,
                subject=(Rectification, case.pk),
                period=f"alert-{int(rating.received_at.timestamp())}",
                recipients=_without([*chiefs[(rating.window_id, days[case.pk])], *center], None),
                params={
                    **_case_params(case, rating),
                    "level": RatingLevel(rating.level).label,
                    "served": rating.served_at,
                    "received": rating.received_at,
                    "reasons": "、".join(rating.reasons or []) or "—",
                    "deadline": case.deadline,
                },
                link=reverse("assessments:rectification_detail", args=[case.pk]),
            )
        )
    return dues


def extension_requested(extension: Any) -> int:
    """Tell the center of a request for more time."""
    from .models import RectificationExtension

    case = extension.case
    return notify_all(
        [
            Due(
                kind=EXTENSION_REQUESTED.key,
                subject=(RectificationExtension, extension.pk),
                period="requested",
                recipients=_without(center_admin_ids(), extension.requested_by),
                params={
                    "ref": case.rating.event_ref,
                    "window": case.rating.window.code,
                    "days": extension.requested_days,
                    "deadline": case.deadline,
                    "reason": extension.reason,
                },
                link=reverse("assessments:rectification_detail", args=[case.pk]),
            )
        ]
    )


def extension_decided(extension: Any) -> int:
    """Tell whoever asked how the center decided (not who decided)."""
    from .models import ExtensionStatus, RectificationExtension

    case = extension.case
    return notify_all(
        [
            Due(
                kind=EXTENSION_DECIDED.key,
                subject=(RectificationExtension, extension.pk),
                period="decided",
                recipients=[extension.requested_by_id],
                params={
                    "ref": case.rating.event_ref,
                    "outcome": ExtensionStatus(extension.status).label,
                    "deadline": case.deadline,
                    "note": extension.decision_note,
                },
                link=reverse("assessments:rectification_detail", args=[case.pk]),
            )
        ]
    )
