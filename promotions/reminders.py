"""Promotions notifications: the workflow notices sent at once by the services, and the daily
sweep ``promotions.references`` (performance-reference requests due within
``REFERENCE_NOTICE_DAYS``, and overdue ones, to the center's administrators).

The sweep derives what is due from the data over a date window; the period of each reminder
names the due date, so a rerun sends nothing twice and a moved due date reminds again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind, register_sweep
from staff.models import Role, User

from .models import ReferenceRequest, ReferenceState

RECOMMENDATION_SUBMITTED = register_kind(
    key="promotions.recommendation_submitted",
    label=_("Recommendation received"),
    title=_("The center recommends %(name)s (%(document)s)"),
    body=_(
        "The service center recommends %(name)s (%(department)s) for: %(kind)s. The evidence "
        "pack was frozen as document %(document)s. Please record whether the recommendation was "
        "adopted."
    ),
)
RECOMMENDATION_DECIDED = register_kind(
    key="promotions.recommendation_decided",
    label=_("Recommendation decided"),
    title=_("Recommendation of %(name)s: %(outcome)s"),
    body=_(
        "The recommendation of %(name)s (%(department)s) for %(kind)s, document %(document)s, "
        "was recorded as: %(outcome)s. %(feedback)s"
    ),
)
RECOMMENDATION_ANSWERED = register_kind(
    key="promotions.recommendation_home_answered",
    label=_("Recommendation answered by the home department"),
    title=_("The home department answered the recommendation of %(name)s: %(answer)s"),
    body=_(
        "%(department)s answered the recommendation of %(name)s for %(kind)s, document "
        "%(document)s: %(answer)s. %(reason)s"
    ),
)
RECOMMENDATION_OUTCOME = register_kind(
    key="promotions.recommendation_home_outcome",
    label=_("Post given after a recommendation"),
    title=_("%(name)s was given the post %(post)s"),
    body=_(
        "After the recommendation of %(name)s for %(kind)s (document %(document)s), "
        "%(department)s gave the post %(post)s from %(date)s."
    ),
)
ROTATION_PROPOSED = register_kind(
    key="promotions.rotation_proposed",
    label=_("Reserve-cadre rotation proposed"),
    title=_("%(department)s proposes a rotation for %(name)s"),
    body=_(
        "%(department)s proposes that its reserve cadre %(name)s serve at window %(window)s "
        "from %(start)s to %(end)s. The transfer request follows when the rotation starts."
    ),
)
REFERENCE_REQUESTED = register_kind(
    key="promotions.reference_requested",
    label=_("Performance reference requested"),
    title=_("HR asks for a performance reference on %(name)s by %(date)s"),
    body=_(
        "%(requester)s asks the center for a performance reference on %(name)s "
        "(%(department)s), for: %(purpose)s. Please answer with a written appraisal by %(date)s."
    ),
)
REFERENCE_ANSWERED = register_kind(
    key="promotions.reference_answered",
    label=_("Performance reference answered"),
    title=_("The center answered your reference request on %(name)s"),
    body=_(
        "The center answered your performance-reference request on %(name)s (%(purpose)s) with "
        "a written appraisal and the evidence pack, document %(document)s."
    ),
)
REFERENCE_DUE = register_kind(
    key="promotions.reference_due",
    label=_("Performance reference due"),
    title=_("A performance reference on %(name)s is due on %(date)s"),
    body=_(
        "HR's performance-reference request on %(name)s (%(department)s), for %(purpose)s, is "
        "due on %(date)s and has not been answered yet."
    ),
)
REFERENCE_OVERDUE = register_kind(
    key="promotions.reference_overdue",
    label=_("Performance reference overdue"),
    title=_("The performance reference on %(name)s is overdue"),
    body=_(
        "HR's performance-reference request on %(name)s (%(department)s), for %(purpose)s, was "
        "due on %(date)s and has not been answered. Please answer it now."
    ),
)


def center_admins() -> list[int]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.CENTER_ADMIN) | Q(is_superuser=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def hr_users() -> list[int]:
    return list(
        User.objects.filter(is_active=True, role=Role.HR, is_superuser=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def liaisons_and_center(department_id: int) -> list[int]:
    liaisons = User.objects.filter(
        is_active=True, role=Role.LIAISON, departments=department_id
    ).values_list("pk", flat=True)
    return list(dict.fromkeys([*center_admins(), *liaisons]))


@register_sweep("promotions.references")
def references_sweep(today: date) -> Iterator[Due]:
    """Open requests due within ``REFERENCE_NOTICE_DAYS`` (one "due" reminder) and overdue ones
    (one "overdue" reminder, caught up for ``CATCH_UP_DAYS``), to every center administrator."""
    notice = int(settings.PROMOTIONS["REFERENCE_NOTICE_DAYS"])
    since = today - timedelta(days=settings.NOTIFICATIONS["CATCH_UP_DAYS"])
    recipients = center_admins()
    if not recipients:
        return
    requests = (
        ReferenceRequest.objects.filter(
            state=ReferenceState.OPEN,
            due_date__gte=since,
            due_date__lte=today + timedelta(days=notice),
        )
        .select_related("staff__department")
        .order_by("due_date", "id")
    )
    for request in requests.iterator(chunk_size=2000):
        overdue = request.due_date < today
        yield Due(
            kind=(REFERENCE_OVERDUE if overdue else REFERENCE_DUE).key,
            subject=(ReferenceRequest, request.pk),
            period=f"{'overdue' if overdue else 'due'}-{request.due_date.isoformat()}",
            recipients=recipients,
            params={
                "name": request.staff.name,
                "department": request.staff.department.name,
                "purpose": request.purpose,
                "date": request.due_date,
            },
            link=reverse("promotions:reference_detail", args=[request.pk]),
        )
