from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.ScheduleException,
            models.LeaveRequest,
            models.LeaveApproval,
            models.StepOut,
            models.MakeupRequest,
            models.MonthDeduction,
        ):
            auditlog.register(model)

        from assessments import vetoes

        from . import reminders  # noqa: F401 (registers the monthly sheet's sweep)
        from .services.month import period_vetoes

        vetoes.register("service_star", period_vetoes)

        from core.scopes import register_scope

        register_scope("attendance.punch", _("Record attendance punches (terminal)"))
        register_scope("hall.screen", _("Show the hall screen"))
