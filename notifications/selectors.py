"""Reads. Everyone sees only their own notifications, whatever their role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import CharField, QuerySet, Value
from django.shortcuts import get_object_or_404

from . import registry
from .models import Notification, Preference


def notification_list_for_user(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first. Each row carries the user's language
    (``recipient_language``), in which ``display_title`` / ``display_body`` render it."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    language = user.language or settings.LANGUAGE_CODE
    return (
        Notification.objects.filter(recipient=user)
        .annotate(recipient_language=Value(language, output_field=CharField()))
        .order_by("-created_at", "-id")
    )


def notification_get_for_user(user: Any, pk: int) -> Notification:
    """Raises Http404 for anyone else's notification, whether or not it exists."""
    return get_object_or_404(notification_list_for_user(user), pk=pk)


def unread_count(user: Any) -> int:
    """The top bar's badge on every page: one count over the partial index of the user's
    unread notifications (``notification_unread_idx``), never cached."""
    return notification_list_for_user(user).filter(read_at__isnull=True).count()


def preferences_for_user(user: Any) -> list[dict[str, Any]]:
    """Every registered kind with the user's e-mail choice (the kind's default if unset)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return [
        {"kind": kind, "email": chosen.get(kind.key, kind.email_default)}
        for kind in registry.kinds()
    ]
