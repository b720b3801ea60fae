from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that compose the domain apps: home pages per role, the dashboard, navigation.
    It sits on top: it may import every app, and none imports it."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # the departments' monthly report: figures on joint's report and the monthly sweep
        from . import reminders

        reminders.register_figures()
