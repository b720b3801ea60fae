from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "joint"
    verbose_name = _("Joint management")

    def ready(self) -> None:
        # audit: registers the models with the audit trail; reminders: the due follow-up sweep
        from core import derived

        from . import audit, figures, panels, reminders, report, selectors, triggers  # noqa: F401

        # report.VIEWER_DEPENDS also lets list counts over talks be cached (cached_count counts
        # only over watched tables).
        derived.watch(
            *report.BASE_DEPENDS,
            *report.VIEWER_DEPENDS,
            *selectors.VISIT_DEPENDS,
            *selectors.STAFF_CARD_DEPENDS,
            *selectors.TALK_ROWS_DEPENDS,
        )

        triggers.register_builtin_triggers()
        panels.register()
        figures.register()
