from django.contrib import admin

from .models import LeaveRequest, MakeupRequest, ScheduleException, StepOut


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    """The center edits its working-time exceptions here (extended hours, weekend service)."""

    list_display = ("date", "window", "kind", "schedule", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"
    autocomplete_fields = ()
    raw_id_fields = ("window",)


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ("staff", "category", "start_date", "end_date", "days", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("staff", "stand_in")
    readonly_fields = ("steps", "status", "days", "requested_by")


@admin.register(StepOut)
class StepOutAdmin(admin.ModelAdmin):
    list_display = ("staff", "out_at", "back_at", "destination")
    raw_id_fields = ("staff",)


@admin.register(MakeupRequest)
class MakeupRequestAdmin(admin.ModelAdmin):
    list_display = ("staff", "at", "status")
    list_filter = ("status",)
    raw_id_fields = ("staff",)
