"""Reminder sweep: agreed follow-ups that are due and not resolved (the notifications app runs it
daily; it imports none of the domain apps, this module registers with it).

Who hears about a due follow-up, obeying talk confidentiality (joint/permissions.py): for a
standard talk, the liaisons of the person's department, the talk's author and the owner's account;
for a private talk, its author only. Center administrators are not notified of every item (the
center page lists overdue follow-ups). The texts name the person, never the talk's notes or the
follow-up's wording.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import Due, register_kind, register_sweep
from staff.models import User
from staff.reminders import Recipients

from .models import Confidentiality, FollowUp
from .selectors import follow_ups_due

FOLLOW_UP_DUE = register_kind(
    key="joint.follow_up_due",
    label=_("Follow-up of a talk due"),
    title=_("A follow-up agreed with %(name)s is due on %(date)s"),
    body=_(
        "A follow-up agreed in the heart-to-heart talk with %(name)s (%(department)s) on "
        "%(talk_date)s, owner %(owner)s, is due on %(date)s and is not resolved yet. Please "
        "record its progress."
    ),
)

TALK_REQUESTED = register_kind(
    key="joint.talk_requested",
    label=_("Talk requested"),
    title=_("%(name)s asked for a heart-to-heart talk"),
    body=_(
        "%(name)s (%(department)s) asked for a heart-to-heart talk on %(date)s. The request is on "
        "your department's list of suggested talks until a talk is recorded."
    ),
)


def department_liaisons(department_id: int) -> list[int]:
    """Active liaisons of one department (for notifications sent at once)."""
    return list(
        User.objects.filter(is_active=True, role="liaison", departments=department_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def recipients_for(follow_up: FollowUp, liaisons: Recipients, active: set[int]) -> list[int]:
    talk = follow_up.talk
    if talk.level == Confidentiality.PRIVATE:
        ids = [talk.author_id]
    else:
        ids = [
            *liaisons.liaisons.get(talk.staff.department_id, ()),
            talk.author_id,
            follow_up.owner_user_id,
        ]
    return list(dict.fromkeys(pk for pk in ids if pk is not None and pk in active))


@register_sweep("joint.follow_ups")
def follow_ups_sweep(today: date) -> Iterator[Due]:
    """Unresolved follow-ups due from ``CATCH_UP_DAYS`` ago to today, one reminder per
    (recipient, follow-up, due date): moving the due date reminds again, a rerun does not."""
    since = today - timedelta(days=settings.NOTIFICATIONS["CATCH_UP_DAYS"])
    liaisons = Recipients()
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    for follow_up in follow_ups_due(today, since=since).iterator(chunk_size=2000):
        person = follow_up.talk.staff
        yield Due(
            kind=FOLLOW_UP_DUE.key,
            subject=(FollowUp, follow_up.pk),
            period=f"due-{follow_up.due_date.isoformat()}",
            recipients=recipients_for(follow_up, liaisons, active),
            params={
                "name": person.name,
                "department": person.department.name,
                "talk_date": follow_up.talk.date,
                "owner": follow_up.owner,
                "date": follow_up.due_date,
            },
            link=reverse("joint:talk_detail", args=[follow_up.talk_id]),
        )
