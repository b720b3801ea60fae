from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Registers models with the audit trail, and this app's reminder sweeps.
        from . import audit, people, reminders, roster_exports  # noqa: F401  (its job kind: core.jobs)
