from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = _("Joint management")

    def ready(self) -> None:
        # audit: registers the models with the audit trail; reminders: the due follow-up sweep
        from . import audit, figures, panels, reminders, triggers  # noqa: F401

        triggers.register_builtin_triggers()
        panels.register()
        figures.register()
