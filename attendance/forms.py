from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledForm

from .models import Half, LeaveCategory


class LeaveForm(StyledForm):
    category = forms.ChoiceField(label=_("category"), choices=LeaveCategory.choices)
    start_date = forms.DateField(label=_("from"), widget=DateInput)
    start_half = forms.ChoiceField(label=_("from (half day)"), choices=Half.choices)
    end_date = forms.DateField(label=_("to"), widget=DateInput)
    end_half = forms.ChoiceField(label=_("to (half day)"), choices=Half.choices, initial=Half.PM)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    stand_in = forms.CharField(
        label=_("stand-in (staff number)"),
        required=False,
        max_length=20,
        help_text=_("Required before the leave can be approved."),
    )


class StepOutForm(StyledForm):
    reason = forms.CharField(label=_("reason"), max_length=200)
    destination = forms.CharField(label=_("destination"), max_length=200)


class MakeupForm(StyledForm):
    at = forms.DateTimeField(label=_("punch time"), widget=DateTimeInput())
    reason = forms.CharField(label=_("reason"), max_length=500)


class PunchUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Punch export (.xlsx or .csv)"),
        help_text=_("Columns: staff number, punch time; optional device, method, record id."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CENTER["ATTENDANCE"]["IMPORT_MAX_BYTES"]:
            raise forms.ValidationError(_("The file is too large."))
        return upload
