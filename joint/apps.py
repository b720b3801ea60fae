from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = _("Joint management")

    def ready(self) -> None:
        # audit: registers the models with the audit trail; reminders: the due follow-up sweep
        from core import events

        from . import audit, builtin_triggers, panels, reminders, suggestions  # noqa: F401

        builtin_triggers.register_builtin_triggers()
        panels.register()
        # The lower apps' services announce the events the triggers read (core/events.py): the
        # suggested-talk rows of the people concerned are refreshed in the writer's transaction.
        events.subscribe(events.STAFF_EVENT, suggestions.on_staff_event)
