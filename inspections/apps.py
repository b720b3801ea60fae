from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspection rounds")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers models with the audit trail)
