from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DateInput
from windows.models import Post, Window

from .models import Addressee, RecommendationKind

DATE = DateInput()


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (radio buttons keep their own markup)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs = {**widget.attrs, "class": css}


class RecommendationForm(StyledForm):
    staff_number = forms.CharField(label=_("staff number"), max_length=20)
    kind = forms.ChoiceField(label=_("recommended for"), choices=RecommendationKind.choices)
    addressed_to = forms.ChoiceField(label=_("addressed to"), choices=Addressee.choices)
    rationale = forms.CharField(label=_("rationale"), widget=forms.Textarea(attrs={"rows": 6}))
    period_start = forms.DateField(label=_("evidence from"), widget=DATE)
    period_end = forms.DateField(label=_("evidence to"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the person of a draft does not change
            del self.fields["staff_number"]


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("recommendation", "outcome"),
        choices=[
            ("adopt", pgettext_lazy("recommendation state", "Adopted")),
            ("decline", pgettext_lazy("recommendation state", "Not adopted")),
        ],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("receiver's feedback"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HomeAnswerForm(StyledForm):
    """The home department's answer (issue #16); the post may come now or later."""

    answer = forms.ChoiceField(
        label=pgettext_lazy("home department answer", "answer"),
        choices=[
            ("accepted", pgettext_lazy("home department answer", "Accepted")),
            ("not_taken_up", pgettext_lazy("home department answer", "Not taken up")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason or remarks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the recommendation was not taken up."),
    )
    post = forms.CharField(label=_("post given"), max_length=200, required=False)
    post_from = forms.DateField(label=_("in the post from"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HomeOutcomeForm(StyledForm):
    """What followed an accepted recommendation: the post and its first day."""

    post = forms.CharField(label=_("post given"), max_length=200)
    post_from = forms.DateField(label=_("in the post from"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReferenceRequestForm(StyledForm):
    staff_number = forms.CharField(label=_("staff number"), max_length=20)
    purpose = forms.CharField(label=_("post or purpose considered"), max_length=200)
    message = forms.CharField(
        label=_("message"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    period_start = forms.DateField(label=_("evidence from"), widget=DATE)
    period_end = forms.DateField(label=_("evidence to"), widget=DATE)
    due_date = forms.DateField(label=_("answer due by"), widget=DATE)


class AnswerForm(StyledForm):
    appraisal = forms.CharField(
        label=_("the center's appraisal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Political quality, business ability, work attitude and integrity as seen at the "
            "window; the evidence pack is attached automatically."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RotationPlanForm(StyledForm):
    window = forms.ModelChoiceField(
        label=_("planned window"), queryset=Window.objects.none(), required=False
    )
    planned_start = forms.DateField(label=_("planned start"), widget=DATE)
    minimum_months = forms.IntegerField(label=_("minimum months at the window"), min_value=1)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Window.objects.filter(active=True).order_by("code")


class RotationProposeForm(StyledForm):
    """The home department's proposal (issue #16): one of the person's department's windows."""

    window = forms.ModelChoiceField(label=_("planned window"), queryset=Window.objects.none())
    post = forms.ChoiceField(label=_("planned post"), choices=Post.choices, initial=Post.STAFF)
    planned_start = forms.DateField(label=_("planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("planned end"), widget=DATE)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, department_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Window.objects.filter(
            department_id=department_id, active=True
        ).order_by("code")


class RotationStartForm(StyledForm):
    early_justification = forms.CharField(
        label=_("justification for an early transfer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Needed when the person leaves their current window before the minimum tenure."
        ),
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)
