from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and e-mail. Imports none of the domain apps: they register their
    kinds and sweeps into :mod:`notifications.registry` from their own ``AppConfig.ready()``."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers preferences with the audit trail)
