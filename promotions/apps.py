from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = _("Promotions")

    def ready(self) -> None:
        # audit: the audit trail; reminders: notification kinds and the reference-request sweep
        from . import audit, panels, reminders  # noqa: F401
        from .evidence import exports  # noqa: F401  (registers its job kind with core.jobs)

        panels.register()
