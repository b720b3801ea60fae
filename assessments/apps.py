from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from staff.panels import register_staff_panel
        from staff.permissions import Perm

        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            reminders,  # noqa: F401  (registers its reminder sweeps)
        )
        from .selectors import staff_panel_context

        register_staff_panel(
            key="assessments",
            order=30,
            template="assessments/_staff_panel.html",
            context=staff_panel_context,
            perm=Perm.ASSESSMENT_VIEW,
        )

        # --- issue #18: the scopes of the hall's systems pushing to assessments ---
        from core.scopes import register_scope

        register_scope("ratings.push", _("Push citizen ratings (rating platform)"))
        register_scope("cases.push", _("Push cases and their completion (case system)"))
