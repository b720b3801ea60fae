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

from staff.models import Role, Staff
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
        # The person's department as ``staff_id IN (SELECT …)``, not a join: the ``OR`` then reads
        # only the talk's columns, so PostgreSQL filters talks as it reads them (in date order for
        # a list) instead of joining every talk of the center to its person first.
        people = Staff.objects.filter(department_id__in=department_ids(user)).values("pk")
        return queryset.filter((standard & Q(**{f"{p}staff_id__in": people})) | mine)
    if role == Role.STAFF:
        return queryset.filter(**{f"{p}staff__user": user})
    return queryset.none()


def department_visibility(user: Any, department_id: int, *, talk: str = "") -> Q | None:
    """Which talks about people of ``department_id`` ``user`` may know about, as a condition on
    the talk's own columns (``None``: none of them). For rows already limited to that department,
    e.g. a per-person subquery; :func:`department_talk_scope` adds the department itself."""
    p = f"{talk}__" if talk else ""
    role = role_of(user)
    if role is None:
        return None
    if is_center_leadership(user):
        return Q()
    mine = Q(**{f"{p}author": user})
    standard = Q(**{f"{p}level": Confidentiality.STANDARD})
    if role == Role.CENTER_ADMIN:
        return standard | mine
    if role == Role.LIAISON:
        return (standard | mine) if department_id in department_ids(user) else mine
    if role == Role.STAFF:
        return Q(**{f"{p}staff__user": user})
    return None


def department_talk_scope(
    queryset: QuerySet, user: Any, department_id: int, *, talk: str = ""
) -> QuerySet:
    """The rows of ``talk_scope(queryset, user, talk=talk)`` about people of ``department_id``.

    Same rows, in a shape the database can index: the department is one condition on the
    person, and the confidentiality choice (standard, or written by ``user``) is an ``OR`` on
    the talk's own columns, instead of an ``OR`` spanning the talk and the person's department
    (which made PostgreSQL join every talk of the center to its person).
    ``tests/joint/test_scope_shapes.py`` checks it against :func:`talk_scope` for every viewer."""
    visible = department_visibility(user, department_id, talk=talk)
    if visible is None:
        return queryset.none()
    p = f"{talk}__" if talk else ""
    # ``staff_id IN (SELECT …)`` rather than a join: the planner reads the department's people
    # first, then their talks through talk_staff_date_idx.
    people = Staff.objects.filter(department_id=department_id).values("pk")
    return queryset.filter(visible, **{f"{p}staff_id__in": people})


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
