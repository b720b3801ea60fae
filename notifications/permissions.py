"""Who may open a notification center: everyone with a role (staff.permissions grants ``VIEW`` to
every role). Each person sees only their own notifications (the selectors), so there is no scope
here — and no import of the domain apps: the permission is read through Django's ``has_perm``."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

VIEW = "notifications.view"


class CanReadOwnNotifications(BasePermission):
    """DRF: signed in, with ``VIEW``."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(VIEW))
