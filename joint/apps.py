from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = _("Joint management")

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            panels,
            triggers,
        )

        triggers.register_builtin_triggers()
        panels.register()
