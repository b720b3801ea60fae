from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "period", "created_at", "read_at", "email_status")
    list_filter = ("kind", "email_status")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    readonly_fields = ("subject_type", "subject_id", "created_at", "emailed_at", "email_error")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email")
    list_filter = ("kind", "email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
