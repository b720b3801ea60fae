"""Admin for reference data. Stationings, appointments and transfer requests change only through
the workflow services, so their admin pages are read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ChiefAppointment, ServiceItem, Stationing, TransferRequest, Window


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "is_licensing", "promised_working_days", "active")
    list_filter = ("is_licensing", "active", "department")
    search_fields = ("code", "name")


class WindowAdminForm(forms.ModelForm):
    """The quota cannot be set below the people stationed at the window now: the transfer
    services enforce it (or record the center's override) for every new stationing."""

    class Meta:
        model = Window
        fields = [
            "code",
            "name",
            "hall_area",
            "floor",
            "department",
            "service_items",
            "headcount_quota",
            "active",
        ]

    def clean_headcount_quota(self):
        quota = self.cleaned_data["headcount_quota"]
        if self.instance.pk:
            stationed = self.instance.stationings.filter(end_date__isnull=True).count()
            if quota < stationed:
                raise forms.ValidationError(
                    _("%(count)d people are stationed at this window; the quota cannot be lower.")
                    % {"count": stationed}
                )
        return quota


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    form = WindowAdminForm
    list_display = ("code", "name", "department", "hall_area", "floor", "headcount_quota", "active")
    list_filter = ("active", "department", "floor")
    search_fields = ("code", "name")
    filter_horizontal = ("service_items",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stationing)
class StationingAdmin(ReadOnlyAdmin):
    list_display = ("staff", "window", "post", "start_date", "end_date", "is_early_end")
    list_filter = ("post", "is_early_end")
    search_fields = ("staff__name", "staff__staff_number", "window__code")
    list_select_related = ("staff", "window")


@admin.register(ChiefAppointment)
class ChiefAppointmentAdmin(ReadOnlyAdmin):
    list_display = ("appointment_number", "stationing", "valid_from", "valid_until")
    list_select_related = ("stationing__staff", "stationing__window")


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "state", "department", "window", "effective_date", "is_early")
    list_filter = ("state", "kind", "is_early", "raised_by")
    list_select_related = ("department", "window")
