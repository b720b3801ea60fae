from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from . import idcard
from .models import Certificate, Department, Staff
from .permissions import Perm, department_ids, has_perm
from .services import STAFF_FIELDS


class StaffForm(forms.ModelForm):
    """Edits a person. Users who may not read ID numbers see the stored one masked and leave the
    field blank to keep it."""

    class Meta:
        model = Staff
        fields = [f for f in STAFF_FIELDS if f != "user"]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = department_ids(user)
        departments = Department.objects.active().order_by("code", "id")
        if ids is not None:
            departments = departments.filter(id__in=ids)
        self.fields["department"].queryset = departments
        self.fields["date_of_birth"].help_text = _("Filled from the ID number when left blank.")
        self.can_view_id = has_perm(user, Perm.ID_NUMBER_VIEW)
        from .services import employment_type_refusal

        if self.instance.pk and employment_type_refusal(user):
            self.fields["employment_type"].help_text = employment_type_refusal(user)
        if self.instance.pk and not self.can_view_id:
            field = self.fields["id_number"]
            field.required = False
            field.help_text = _("Stored: %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.masked_id_number
            }
            self.initial["id_number"] = ""
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean_id_number(self):
        value = idcard.normalize(self.cleaned_data.get("id_number", ""))
        if not value and self.instance.pk:
            return self.instance.id_number
        return value

    def _post_clean(self):
        # The service validates the whole person (including cross-field rules); the form shows
        # those errors inline. Skip the ModelForm's own model validation to do it once.
        opts = self._meta
        try:
            self.instance = forms.models.construct_instance(self, self.instance, opts.fields)
        except forms.ValidationError as e:
            self._update_errors(e)


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["number", "issued_on", "expires_on"]
        widgets = {
            "number": forms.TextInput(attrs={"class": "form-control"}),
            "issued_on": DateInput(attrs={"class": "form-control"}),
            "expires_on": DateInput(attrs={"class": "form-control"}),
        }

    def _post_clean(self):
        pass  # validated by the service


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("An .xlsx or .csv file with the template's Chinese column headers."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        limit = settings.CENTER["ROSTER_IMPORT_MAX_BYTES"]
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        return upload
