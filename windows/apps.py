from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowsConfig(AppConfig):
    name = "windows"
    verbose_name = _("Windows")

    def ready(self) -> None:
        from staff.panels import register_staff_panel
        from staff.permissions import Perm

        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            reminders,  # noqa: F401  (registers its reminder sweeps)
        )
        from .selectors import stationing_panel_context

        register_staff_panel(
            key="stationings",
            order=20,
            template="windows/_staff_panel.html",
            context=stationing_panel_context,
            perm=Perm.STAFF_VIEW,
        )
