"""Who may read which talk, and whose notes. Actions (may this role list talks at all?) are the
``joint.*`` strings in ``staff/permissions.py``; this module decides the rows.

=============================  ==========================  ==========================
viewer                         standard talk               private talk
=============================  ==========================  ==========================
center leadership              notes                       notes
other center administrator     notes                       — (404)
liaison of the person's dept.  notes                       — (404)
liaison of another department  — (404)                     — (404)
HR / organization department   — (no permission, 403)      — (403)
the person themselves          took place + follow-ups     took place + follow-ups
other window staff             — (404)                     — (404)
the talk's author              notes                       notes
=============================  ==========================  ==========================

"Center leadership" is ``staff.permissions.is_center_leadership`` (superusers and center
administrators in the ``center_leadership`` group). "Notes" are a talk's topics, concerns and
notes; the person is never shown them (they were there; the notes are the talker's record), but
sees the date, the kind, who talked and the follow-ups agreed, so they can hold the department to
them. Follow-ups are visible wherever their talk is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from staff.models import Role
from staff.permissions import department_ids, is_center_leadership, role_of

from .models import Confidentiality


def talk_scope(queryset: QuerySet, user: Any, *, talk: str = "") -> QuerySet:
    """Filter ``queryset`` (of talks, or of rows reaching a talk through ``talk``) to the talks
    ``user`` may know about. Runs no query of its own beyond the cached role lookups."""
    p = f"{talk}__" if talk else ""
    role = role_of(user)
    if role is None:
        return queryset.none()
    if is_center_leadership(user):
        return queryset
    mine = Q(**{f"{p}author": user})
    standard = Q(**{f"{p}level": Confidentiality.STANDARD})
    if role == Role.CENTER_ADMIN:
        return queryset.filter(standard | mine)
    if role == Role.LIAISON:
        ids = department_ids(user)
        return queryset.filter((standard & Q(**{f"{p}staff__department__in": ids})) | mine)
    if role == Role.STAFF:
        return queryset.filter(**{f"{p}staff__user": user})
    return queryset.none()


def notes_visible(user: Any, talk: Any) -> bool:
    """May ``user`` read this talk's topics, concerns and notes? No query (needs ``talk.staff``)."""
    role = role_of(user)
    if role is None:
        return False
    if talk.author_id == user.pk or is_center_leadership(user):
        return True
    if talk.level != Confidentiality.STANDARD:
        return False
    if role == Role.CENTER_ADMIN:
        return True
    if role == Role.LIAISON:
        return talk.staff.department_id in department_ids(user)
    return False
