from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = _("Joint management")

    def ready(self) -> None:
        # audit: registers the models with the audit trail; reminders: the due follow-up sweep
        from core import derived

        from . import audit, figures, panels, reminders, report, selectors, triggers  # noqa: F401

        derived.watch(*report.BASE_DEPENDS, *selectors.VISIT_DEPENDS)
        # Cached list counts (core.derived.cached_count) count only over watched tables.
        derived.watch("joint.Talk", "joint.FollowUp", "staff.Staff")

        triggers.register_builtin_triggers()
        panels.register()
        figures.register()
