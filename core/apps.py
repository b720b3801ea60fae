from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_on_login

        user_logged_in.connect(stamp_on_login, dispatch_uid="core.sessions.stamp_on_login")

        from .models import SystemClient, WorkdayOverride

        auditlog.register(WorkdayOverride)
        auditlog.register(SystemClient, exclude_fields=["token_hash", "last_used_at"])
