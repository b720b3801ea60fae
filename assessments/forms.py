from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledForm, StyledModelForm
from staff.selectors import staff_list_for_user
from windows.models import Window

from .models import AppealStatus, AssessmentRule, AwardKind, Grade, RatingLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class EntryForm(forms.Form):
    staff = forms.CharField(
        label=_("Person (staff number)"),
        help_text=_("Type a name or staff number and pick the person."),
    )
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=AssessmentRule.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0.5, max_digits=6, initial=1)
    window = forms.ModelChoiceField(
        label=_("Window"), queryset=Window.objects.none(), required=False
    )
    joint_liability = forms.BooleanField(
        label=_("Pass a share to the window's chief representative"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    files = MultipleFileField(label=_("Evidence"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["rule"].queryset = AssessmentRule.objects.filter(active=True).order_by("code")
        self.fields["window"].queryset = Window.objects.filter(active=True).order_by("code")
        for name, field in self.fields.items():
            if name != "joint_liability":
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["rule"].widget.attrs["class"] = "form-select"
        self.fields["window"].widget.attrs["class"] = "form-select"
        self.fields["staff"].widget.attrs.update({"list": "staff-options", "autocomplete": "off"})

    def clean_staff(self):
        value = self.cleaned_data["staff"].strip().split(" ")[0]
        person = staff_list_for_user(self.user).filter(staff_number=value).first()
        if person is None:
            raise forms.ValidationError(_("No person has this staff number."))
        return person


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )
    files = MultipleFileField(label=_("Attachments"), required=False)


class AppealDecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (v, AppealStatus(v).label)
            for v in (AppealStatus.UPHELD, AppealStatus.REDUCED, AppealStatus.CANCELLED)
        ],
        widget=forms.RadioSelect,
    )
    points_after = forms.DecimalField(
        label=_("Reduced points"), required=False, max_digits=7, decimal_places=2
    )
    note = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class RectificationStepForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    satisfaction_after = forms.ChoiceField(
        label=_("Citizen's satisfaction after rectification"),
        choices=[("", "—"), *RatingLevel.choices],
        required=False,
    )


class RatingUploadForm(forms.Form):
    file = forms.FileField(label=_("Ratings file (.xlsx or .csv)"))


class AwardSelectForm(forms.Form):
    kind = forms.ChoiceField(choices=AwardKind.choices)
    quota = forms.IntegerField(min_value=0, max_value=100, required=False)


# --- scoring inputs (assessments.inputs) ---------------------------------------------------------


class ReviewForm(StyledForm):
    value = forms.DecimalField(
        label=_("year-end review"), min_value=0, max_value=100, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class GradeForm(StyledForm):
    grade = forms.ChoiceField(
        label=_("grade decided by the department"),
        choices=[("", "—"), *Grade.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class WindowInputForm(StyledForm):
    window = forms.IntegerField(widget=forms.HiddenInput)
    efficiency = forms.DecimalField(
        label=_("window efficiency (0-100)"), min_value=0, max_value=100, decimal_places=2
    )
    duty_votes = forms.IntegerField(label=_("duty-staff votes"), min_value=0)
    public_votes = forms.IntegerField(label=_("public votes"), min_value=0)
    efficiency_override = forms.BooleanField(
        label=_("typed efficiency overrides workload"), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RuleForm(StyledModelForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Required for a change; kept in the audit trail."),
    )

    class Meta:
        model = AssessmentRule
        fields = [
            "code",
            "category",
            "description",
            "points",
            "unit",
            "kind",
            "evidence_required",
            "joint_liability",
            "active",
        ]


# --- ratings feed (issue #18) ---


class ExtensionRequestForm(StyledForm):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallBackForm(StyledForm):
    called_at = forms.DateTimeField(label=_("Called at"), widget=DateTimeInput)
    reached = forms.TypedChoiceField(
        label=_("Citizen reached"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
    )
    confirms_rating = forms.TypedChoiceField(
        label=_("Citizen confirms the rating"),
        choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    satisfaction_after = forms.ChoiceField(
        label=_("Satisfaction after"), choices=[("", "—"), *RatingLevel.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
