"""Reads of the chief representatives' letters (任命书 / 授权书), for the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from staff.permissions import scope

from .models import AuthorizedItem, ChiefAppointment


def appointment_list_for_user(user: Any) -> QuerySet[ChiefAppointment]:
    """Letters of the people the user may see: a liaison those of their departments' people
    (whatever window they are at), the center and HR all. The holder, window, filer and each
    authorized service item are fetched in a constant number of queries."""
    qs = ChiefAppointment.objects.select_related(
        "stationing__staff__department", "stationing__window", "filed_by"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=AuthorizedItem.objects.select_related("service_item").order_by(
                "service_item__code", "id"
            ),
        )
    )
    return scope(
        qs, user, department="stationing__staff__department", person="stationing__staff"
    ).order_by("-valid_from", "id")
