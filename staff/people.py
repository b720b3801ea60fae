"""A user in words for core.people: the person's name and unit.

Window staff (and anyone with a staff record): their name and home department. Otherwise the
account's full name and: a liaison's departments, the center for its administrators, the role
for HR."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from core import people

from .models import Role


def describe(user: Any) -> tuple[str, str]:
    try:
        profile = user.staff_profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None:
        return profile.name, profile.department.name if profile.department_id else ""
    name = user.get_full_name() or user.get_username()
    role = Role.CENTER_ADMIN if user.is_superuser else user.role
    if role == Role.LIAISON:
        unit = "、".join(d.short_name or d.name for d in user.departments.all())
    elif role == Role.CENTER_ADMIN:
        unit = settings.CENTER["NAME"]
    elif role == Role.HR:
        unit = str(Role(role).label)
    else:
        unit = ""
    return name, unit


def load(users: list) -> None:
    """A liaison without a staff record is named with their departments: fetched once for all."""
    from django.db.models import prefetch_related_objects

    liaisons = [u for u in users if u.role == Role.LIAISON and not _has_profile(u)]
    prefetch_related_objects(liaisons, "departments")


def _has_profile(user: Any) -> bool:
    try:
        return user.staff_profile is not None
    except ObjectDoesNotExist:
        return False


def name(user: Any) -> str:
    try:
        profile = user.staff_profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None:
        return profile.name
    return user.get_full_name() or user.get_username()


def known(obj: Any) -> dict[int, tuple[str, str]]:
    """A staff record (with its department loaded) names its own account."""
    from .models import Staff

    if isinstance(obj, Staff) and obj.user_id and Staff.department.is_cached(obj):
        return {obj.user_id: (obj.name, obj.department.name if obj.department else "")}
    return {}


people.register(
    describe,
    select_related=("staff_profile__department",),
    load=load,
    name=name,
    known=known,
)
