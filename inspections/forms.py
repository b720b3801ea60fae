from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import MultipleFileField, MultipleFileInput
from assessments.models import AssessmentRule, RuleKind
from core.forms import DateTimeInput, style
from staff.models import Role, Staff, User
from windows.models import Stationing, Window

from .models import ChecklistTemplate, Round, RoundKind


def _rules():
    return AssessmentRule.objects.filter(active=True, kind=RuleKind.DEDUCTION).order_by("code")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def center_users():
    return User.objects.filter(is_active=True, role=Role.CENTER_ADMIN).order_by("username", "id")


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(
        label=_("for rounds of kind"),
        choices=[("", _("any kind"))] + list(RoundKind.choices),
        required=False,
    )
    active = forms.BooleanField(label=_("active"), required=False, initial=True)
    items = forms.CharField(
        label=_("items"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One item a line. To cite a deduction rule, end the line with | and the rule's "
            "code, e.g. “Staff member absent from the post | D04”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_items(self) -> list[tuple[str, AssessmentRule | None]]:
        rules = {rule.code: rule for rule in _rules()}
        parsed, errors = [], []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            text, _bar, code = line.partition("|")
            code = code.strip()
            if code and code not in rules:
                errors.append(
                    _("Line %(n)d: %(code)s is not a deduction rule in force.")
                    % {"n": number, "code": code}
                )
            parsed.append((text.strip(), rules.get(code)))
        if errors:
            raise forms.ValidationError(errors)
        return parsed

    @staticmethod
    def initial_for(template: ChecklistTemplate) -> dict:
        lines = [
            f"{item.text} | {item.rule.code}" if item.rule else item.text
            for item in template.items.all()
            if item.active
        ]
        return {
            "name": template.name,
            "kind": template.kind,
            "active": template.active,
            "items": "\n".join(lines),
        }


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RoundKind.choices)
    checklist = forms.ModelChoiceField(
        label=_("checklist"), queryset=ChecklistTemplate.objects.none()
    )
    leader = UserChoiceField(label=_("led by"), queryset=User.objects.none(), required=False)
    inspectors = UsersChoiceField(label=_("inspectors"), queryset=User.objects.none())
    all_windows = forms.BooleanField(label=_("every active window"), required=False)
    hall_area = forms.ChoiceField(label=_("or a hall area"), required=False)
    windows = forms.ModelMultipleChoiceField(
        label=_("or these windows"),
        queryset=Window.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    started_at = forms.DateTimeField(
        label=_("started at"),
        widget=DateTimeInput(),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = center_users()
        self.fields["checklist"].queryset = ChecklistTemplate.objects.filter(active=True)
        self.fields["leader"].queryset = users
        self.fields["inspectors"].queryset = users
        active = Window.objects.filter(active=True).order_by("code", "id")
        self.fields["windows"].queryset = active
        areas = sorted({a for a in active.values_list("hall_area", flat=True) if a})
        self.fields["hall_area"].choices = [("", "—")] + [(a, a) for a in areas]
        style(self)

    def chosen_windows(self) -> list[Window]:
        data = self.cleaned_data
        active = Window.objects.filter(active=True).order_by("code", "id")
        if data.get("all_windows"):
            return list(active)
        if data.get("hall_area"):
            return list(active.filter(hall_area=data["hall_area"]))
        return list(data.get("windows") or [])


def _stationed_today(windows):
    today = timezone.localdate()
    return Stationing.objects.filter(window__in=windows, start_date__lte=today).exclude(
        end_date__lte=today
    )


def people_at(window: Window | None):
    """Who is stationed at ``window`` today, by name (none without a window)."""
    if window is None:
        return Staff.objects.none()
    return Staff.objects.filter(pk__in=_stationed_today([window]).values("staff_id")).order_by(
        "name", "id"
    )


class FindingForm(forms.Form):
    window = forms.ModelChoiceField(label=_("window"), queryset=Window.objects.none())
    item = forms.ModelChoiceField(label=_("checklist item"), queryset=None, required=False)
    staff = forms.ModelChoiceField(
        label=_("staff member"), queryset=Staff.objects.none(), required=False
    )
    rule = forms.ModelChoiceField(
        label=_("rule"),
        queryset=AssessmentRule.objects.none(),
        required=False,
        help_text=_("Leave empty to use the checklist item's rule."),
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleFileField(
        label=_("photos"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        windows = round.windows.order_by("code", "id")
        self.fields["window"].queryset = windows
        self.fields["item"].queryset = round.checklist.items.filter(active=True).order_by(
            "position", "id"
        )
        # Validated against everyone stationed at the round's windows; only the chosen window's
        # people are rendered (the window select refills them through htmx: a hall is large).
        self.fields["staff"].queryset = Staff.objects.filter(
            pk__in=_stationed_today(windows).values("staff_id")
        ).order_by("name", "id")
        chosen = self.data.get("window") if self.is_bound else self.initial.get("window")
        window = windows.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        self.fields["staff"].widget.choices = [("", "---------")] + [
            (person.pk, person.name) for person in people_at(window)
        ]
        self.fields["window"].widget.attrs.update(
            {
                "hx-get": reverse("inspections:finding_people", args=[round.pk]),
                "hx-target": "#id_staff",
                "hx-trigger": "change",
            }
        )
        self.fields["rule"].queryset = _rules()
        style(self)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
