from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm
from staff.models import Staff
from windows.models import Window

from .models import Confidentiality, FollowUpState, TalkerKind, TalkKind

DATE = DateInput()


class VisitForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DATE)
    visitors = forms.CharField(
        label=_("visitors"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and titles of the leaders and liaisons who came."),
    )
    windows = forms.ModelMultipleChoiceField(
        label=_("windows visited"),
        queryset=Window.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every window is accepted here so that the service, not the form, refuses another
        # department's window with its own message; the choices shown are the department's.
        self.fields["windows"].queryset = Window.objects.all()
        self.department_windows = (
            Window.objects.filter(department=department, active=True) if department else []
        )


class TalkForm(forms.Form):
    staff_number = forms.CharField(label=_("staff number"), max_length=20)
    date = forms.DateField(label=_("date"), widget=DATE)
    talker_kind = forms.ChoiceField(label=_("talked with"), choices=TalkerKind.choices)
    talker_names = forms.CharField(label=_("names and titles"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=TalkKind.choices)
    topics = forms.CharField(
        label=_("topics"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    concerns = forms.CharField(
        label=_("the person's concerns"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    level = forms.ChoiceField(
        label=_("confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.STANDARD,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else Staff.objects.none()

    def clean_staff_number(self) -> Staff:
        number = self.cleaned_data["staff_number"].strip()
        person = self.people.filter(staff_number=number).first()
        if person is None:
            raise forms.ValidationError(_("No person with this staff number in your departments."))
        return person


class FollowUpForm(StyledForm):
    description = forms.CharField(
        label=_("agreed action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("owner"), max_length=100)
    due_date = forms.DateField(label=_("due date"), widget=DATE)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=FollowUpState.choices)
    note = forms.CharField(required=False, max_length=2000)


class TalkRequestForm(forms.Form):
    message = forms.CharField(
        label=_("what would you like to talk about"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
