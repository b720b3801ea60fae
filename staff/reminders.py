"""Reminders about staff data: law-enforcement certificates expiring and expired (DESIGN.md §5).

Also :class:`Recipients`, the one place that knows who hears about a department's people (center
administrators and the department's liaisons); other apps' reminders use it too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind, register_sweep

from .models import Certificate, Role, StaffStatus, User

CERTIFICATE_EXPIRING = register_kind(
    key="certificate.expiring",
    label=_("Law-enforcement certificate expiring"),
    title=_("Law-enforcement certificate of %(name)s expires on %(expires)s"),
    body=_(
        "Law-enforcement certificate %(number)s of %(name)s (%(department)s) is valid until "
        "%(expires)s, %(days)s days from now. Please arrange its renewal in time."
    ),
)
CERTIFICATE_EXPIRED = register_kind(
    key="certificate.expired",
    label=_("Law-enforcement certificate expired"),
    title=_("Law-enforcement certificate of %(name)s has expired"),
    body=_(
        "Law-enforcement certificate %(number)s of %(name)s (%(department)s) expired on "
        "%(expires)s. Until it is renewed, %(name)s may not hold a post that requires "
        "law-enforcement qualification, such as chief representative."
    ),
)


class Recipients:
    """Active center administrators and, per department, its active liaisons. Loaded once per
    sweep run in two queries, whatever the number of staff."""

    def __init__(self) -> None:
        self.admins: list[int] = list(
            User.objects.filter(is_active=True)
            .filter(Q(role=Role.CENTER_ADMIN) | Q(is_superuser=True))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.liaisons: dict[int, list[int]] = defaultdict(list)
        links = User.departments.through.objects.filter(
            user__is_active=True, user__role=Role.LIAISON, user__is_superuser=False
        ).order_by("user_id")
        for user_id, department_id in links.values_list("user_id", "department_id"):
            self.liaisons[department_id].append(user_id)

    def for_department(self, department_id: int, *extra: int | None) -> list[int]:
        ids = [*self.admins, *self.liaisons.get(department_id, ()), *extra]
        return list(dict.fromkeys(pk for pk in ids if pk is not None))


def certificate_milestone(expires_on: date, today: date) -> tuple[str, str] | None:
    """(kind, period) due for a certificate on ``today``, or None.

    A window, not a day: with notices (60, 30, 7), the 60-day reminder is due from 60 down to 31
    days before expiry, the 30-day one from 30 to 8, the 7-day one from 7 to the expiry day
    (the last valid day), and "expired" for ``CATCH_UP_DAYS`` after it. A missed day is caught up;
    a certificate first seen 20 days before expiry gets only the 30-day reminder.
    """
    conf = settings.NOTIFICATIONS
    days_left = (expires_on - today).days
    if days_left < 0:
        if -days_left <= conf["CATCH_UP_DAYS"]:
            return CERTIFICATE_EXPIRED.key, "expired"
        return None
    notices = sorted(conf["CERTIFICATE_NOTICE_DAYS"])
    for notice in notices:
        if days_left <= notice:
            return CERTIFICATE_EXPIRING.key, f"{notice}d"
    return None


@register_sweep("staff.certificates")
def certificate_sweep(today: date) -> Iterator[Due]:
    """Certificates of people still at the center whose expiry falls in a reminder window,
    skipping any already superseded by a later certificate of the same person."""
    conf = settings.NOTIFICATIONS
    recipients = Recipients()
    renewed = Certificate.objects.filter(
        staff=OuterRef("staff"), expires_on__gt=OuterRef("expires_on")
    )
    certificates = (
        Certificate.objects.filter(
            expires_on__gte=today - timedelta(days=conf["CATCH_UP_DAYS"]),
            expires_on__lte=today + timedelta(days=max(conf["CERTIFICATE_NOTICE_DAYS"])),
        )
        .exclude(staff__status=StaffStatus.LEFT)
        .filter(~Exists(renewed))
        .select_related("staff__department")
        .only(
            "id",
            "number",
            "expires_on",
            "staff__id",
            "staff__name",
            "staff__user_id",
            "staff__department__id",
            "staff__department__name",
        )
        .order_by("id")
    )
    for certificate in certificates.iterator(chunk_size=2000):
        milestone = certificate_milestone(certificate.expires_on, today)
        if milestone is None:
            continue
        kind, period = milestone
        person = certificate.staff
        yield Due(
            kind=kind,
            subject=(Certificate, certificate.pk),
            period=period,
            recipients=recipients.for_department(person.department_id, person.user_id),
            params={
                "name": person.name,
                "number": certificate.number,
                "department": person.department.name,
                "expires": certificate.expires_on,
                "days": (certificate.expires_on - today).days,
            },
            link=reverse("staff:detail", args=[person.pk]),
        )
