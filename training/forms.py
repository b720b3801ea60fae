from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput
from staff.models import Department
from staff.permissions import Perm, department_ids, has_perm
from windows.models import ServiceItem

from .models import Course, OrganizerSide, PolicyUpdate, Skill, SkillSource


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class CourseForm(Styled, forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    title = forms.CharField(label=_("title"), max_length=200)
    category = forms.ChoiceField(
        label=_("category"), choices=Course._meta.get_field("category").choices
    )
    side = forms.ChoiceField(label=_("organizer"), choices=OrganizerSide.choices)
    department = forms.ModelChoiceField(
        label=_("organizing department"), queryset=Department.objects.none(), required=False
    )
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=0.5)
    mandatory = forms.BooleanField(label=_("mandatory"), required=False)
    materials = forms.CharField(
        label=_("materials"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("skills covered"), queryset=Skill.objects.filter(active=True), required=False
    )
    level = forms.IntegerField(label=_("level reached"), min_value=1, max_value=5, initial=3)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = department_ids(user)
        departments = Department.objects.filter(active=True).order_by("code", "id")
        if ids is not None:
            departments = departments.filter(id__in=ids)
        self.fields["department"].queryset = departments
        if not has_perm(user, Perm.TRAINING_MANAGE_CENTER):
            self.fields["side"].choices = [
                (OrganizerSide.DEPARTMENT.value, OrganizerSide.DEPARTMENT.label)
            ]


class SessionForm(Styled, forms.Form):
    course = forms.ModelChoiceField(label=_("course"), queryset=Course.objects.none())
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("online"), required=False)
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, initial=30)
    trainer = forms.CharField(label=_("trainer"), max_length=100, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class EnrollForm(Styled, forms.Form):
    staff_numbers = forms.CharField(
        label=_("staff numbers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more staff numbers, separated by spaces, commas or new lines."),
    )
    invite = forms.BooleanField(label=_("invite only"), required=False)

    def numbers(self) -> list[str]:
        raw = self.cleaned_data["staff_numbers"].replace(",", " ").replace("，", " ")
        return [n for n in raw.split() if n]


class FeedbackForm(Styled, forms.Form):
    feedback = forms.CharField(label=_("feedback"), widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.TypedChoiceField(
        label=_("rating"),
        choices=[("", "—")] + [(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SkillLevelForm(Styled, forms.Form):
    skill = forms.ModelChoiceField(label=_("skill"), queryset=Skill.objects.filter(active=True))
    level = forms.IntegerField(label=_("level"), min_value=0, max_value=5)
    assessed_on = forms.DateField(label=_("assessed on"), widget=DateInput())
    source = forms.ChoiceField(label=_("source"), choices=SkillSource.choices)


class PolicyUpdateForm(Styled, forms.ModelForm):
    deadline = forms.DateField(
        label=_("training deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave blank for the default period after publication."),
    )

    class Meta:
        model = PolicyUpdate
        fields = ["title", "summary", "published_on", "deadline", "course", "service_items"]
        widgets = {"published_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(active=True).order_by("title")
        self.fields["service_items"].queryset = ServiceItem.objects.filter(active=True)
