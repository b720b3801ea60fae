from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm


class WorkloadUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Workload export (.xlsx or .csv)"),
        help_text=_(
            "Columns: staff number, window code, date, kind (办件, 叫号, 咨询 or 帮办代办),"
            " count; optional service item code."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CENTER["WORKLOAD"]["IMPORT_MAX_BYTES"]:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class WeightForm(StyledForm):
    weight = forms.DecimalField(
        label=_("difficulty weight"), min_value=0.01, max_value=9999.99, decimal_places=2
    )
    effective_from = forms.DateField(
        label=_("applies from the month of"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Workload of that month and later is re-priced; earlier months keep their points."
            " Empty: the current month."
        ),
    )
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)
