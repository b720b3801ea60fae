from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that compose the domain apps: home pages per role, the dashboard, navigation.
    It sits on top: it may import every app, and none imports it."""

    name = "portal"
    verbose_name = _("Portal")
