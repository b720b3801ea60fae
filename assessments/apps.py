from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from core import derived
        from staff.panels import register_staff_panel
        from staff.permissions import Perm

        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            reminders,  # noqa: F401  (registers its reminder sweeps)
        )
        from .selectors import (
            APPEAL_ROWS_DEPENDS,
            ENTRY_DEPENDS,
            RECTIFICATION_ROWS_DEPENDS,
            WINDOW_BOARD_DEPENDS,
            staff_panel_context,
        )

        derived.watch(
            *WINDOW_BOARD_DEPENDS, *ENTRY_DEPENDS, *APPEAL_ROWS_DEPENDS, *RECTIFICATION_ROWS_DEPENDS
        )

        register_staff_panel(
            key="assessments",
            order=30,
            template="assessments/_staff_panel.html",
            context=staff_panel_context,
            perm=Perm.ASSESSMENT_VIEW,
        )
