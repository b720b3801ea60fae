from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from staff.panels import register_staff_panel
        from staff.permissions import Perm

        from . import (
            assessment_gaps,  # noqa: F401  (registers the "assessments" gap source)
            audit,  # noqa: F401  (registers models with the audit trail)
            reminders,  # noqa: F401  (registers kinds and sweeps with notifications)
        )
        from .panels import staff_training_panel

        register_staff_panel(
            key="training",
            order=40,
            template="training/_staff_panel.html",
            context=staff_training_panel,
            perm=Perm.TRAINING_MENU,
        )
