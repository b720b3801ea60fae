from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkloadConfig(AppConfig):
    name = "workload"
    verbose_name = _("Workload")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from staff.panels import register_staff_panel
        from staff.permissions import Perm

        from . import models
        from .selectors import staff_panel_context

        auditlog.register(models.ItemWeight)
        register_staff_panel(
            key="workload",
            order=45,
            template="workload/_staff_panel.html",
            context=staff_panel_context,
            perm=Perm.WORKLOAD_VIEW,
        )

        from core.scopes import register_scope

        register_scope("workload.push", _("Push workload counts (queue system)"))
