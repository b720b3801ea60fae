"""The period of an evidence pack, read from ``?start=&end=`` (pages, API and batch exports)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .pack import default_period

DATE = DateInput(attrs={"class": "form-control"})


class EvidencePeriodForm(forms.Form):
    start = forms.DateField(label=_("Evidence from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Evidence to"), required=False, widget=DATE)

    def clean(self):
        cleaned = super().clean()
        default_start, default_end = default_period()
        start = cleaned.get("start") or default_start
        end = cleaned.get("end") or default_end
        if end < start:
            raise forms.ValidationError(
                _("The end of the evidence period cannot be before its start.")
            )
        if start < date(1990, 1, 1):
            raise forms.ValidationError(_("The evidence period cannot start before 1990."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def period_from(data) -> tuple[EvidencePeriodForm, tuple[date, date] | None]:
    """The bound form and (start, end), or None when the query is invalid."""
    form = EvidencePeriodForm(data)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None


class ExportRequestForm(EvidencePeriodForm):
    """The batch export form: the people ticked, or everyone in the current filter."""

    SELECTED, ALL = "selected", "all"
    scope = forms.ChoiceField(choices=[(SELECTED, SELECTED), (ALL, ALL)], initial=SELECTED)
    staff = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Which ids are allowed is the service's question (scope, maximum); here only numbers.
        self.fields["staff"].valid_value = lambda value: str(value).isdigit()
