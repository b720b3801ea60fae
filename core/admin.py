from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import system_clients
from .models import SystemClient, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


# --- system clients (core.system_clients): the token is shown once, when issued ------------


class SystemClientAdminForm(forms.ModelForm):
    """Scopes only from the registry (``core.scopes``), in the admin too."""

    class Meta:
        model = SystemClient
        fields = ["name", "kind", "scopes"]

    def clean_scopes(self):
        scopes = self.cleaned_data.get("scopes")
        try:
            return system_clients.clean_scopes(scopes)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["scopes"]) from error


@admin.register(SystemClient)
class SystemClientAdmin(admin.ModelAdmin):
    form = SystemClientAdminForm
    list_display = ("name", "kind", "scopes", "is_active", "token_prefix", "last_used_at")
    list_filter = ("kind", "is_active")
    fields = ("name", "kind", "scopes")
    readonly_fields = ("token_prefix", "created_by", "created_at", "revoked_at", "last_used_at")
    actions = ["revoke", "rotate"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else (*self.fields, *self.readonly_fields, "is_active")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*self.readonly_fields, "is_active")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, raw = system_clients.client_create(
            actor=request.user, name=obj.name, kind=obj.kind, scopes=obj.scopes
        )
        obj.pk = client.pk
        obj.token_hash = client.token_hash
        messages.warning(
            request,
            _("Token of %(name)s (shown only now, copy it to the device): %(token)s")
            % {"name": client.name, "token": raw},
        )

    @admin.action(description=gettext_lazy("Revoke the selected clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            system_clients.client_revoke(actor=request.user, client=client)
        messages.success(request, _("The selected clients are revoked."))

    @admin.action(description=gettext_lazy("Issue a new token (the old one stops working)"))
    def rotate(self, request, queryset):
        for client in queryset:
            raw = system_clients.client_rotate(actor=request.user, client=client)
            messages.warning(
                request,
                _("Token of %(name)s (shown only now, copy it to the device): %(token)s")
                % {"name": client.name, "token": raw},
            )
