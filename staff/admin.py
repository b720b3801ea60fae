from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from .models import Certificate, Department, Staff, User
from .resources import StaffResource


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ("role", "departments")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Role and scope"), {"fields": ("role",)}),)
    list_display = ("username", "first_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    filter_horizontal = ("departments", "groups", "user_permissions")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "short_name")


class CertificateAdminForm(forms.ModelForm):
    """The admin checks a certificate as ``staff.services.certificate_add`` does: never for a
    temporary hire."""

    class Meta:
        model = Certificate
        fields = ["staff", "number", "issued_on", "expires_on"]

    def clean(self):
        from .services import certificate_refusal

        cleaned = super().clean()
        holder = cleaned.get("staff") or getattr(self.instance, "staff", None)
        refusal = certificate_refusal(holder) if holder is not None else ""
        if refusal:
            raise forms.ValidationError(refusal)
        return cleaned


class CertificateInline(admin.TabularInline):
    model = Certificate
    form = CertificateAdminForm
    extra = 0


@admin.register(Staff)
class StaffAdmin(ImportExportModelAdmin):
    resource_classes = [StaffResource]
    list_display = (
        "staff_number",
        "name",
        "department",
        "employment_type",
        "center_role",
        "status",
    )
    list_filter = ("employment_type", "center_role", "status", "political_status", "gender")
    search_fields = ("staff_number", "name")
    list_select_related = ("department",)
    autocomplete_fields = ("department", "user")
    inlines = [CertificateInline]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user, "reason": str(_("Admin import"))}


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    form = CertificateAdminForm
    list_display = ("number", "staff", "issued_on", "expires_on")
    search_fields = ("number", "staff__name", "staff__staff_number")
    list_select_related = ("staff",)
    autocomplete_fields = ("staff",)
