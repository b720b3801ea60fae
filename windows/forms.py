from __future__ import annotations

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, style
from staff.forms import RosterUploadForm
from staff.models import Role, Staff, StaffStatus
from staff.permissions import department_ids, role_of

from .models import Post, Stationing, TransferKind, VettingDecision, Window


def staff_label(person: Staff) -> str:
    return f"{person.name}（{person.staff_number}）"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return staff_label(obj)


class SearchableSelect(forms.Select):
    """A select that renders only a first page of its people, with a search box above it that
    refills the options from ``search_url`` (htmx). At province scale a center administrator's
    choice is among tens of thousands; the field still validates against the whole queryset."""

    template_name = "windows/widgets/searchable_select.html"

    def __init__(self, *, search_url: str = "", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["limit"] = PICKER_LIMIT
        return context


PICKER_LIMIT = 50


def candidates(people, role: str):
    """Active people who can take ``role`` in a transfer: stationed now (outgoing) or stationed
    nowhere (incoming)."""
    stationed = Stationing.objects.filter(end_date__isnull=True).values("staff_id")
    if role == "outgoing":
        return people.filter(pk__in=stationed)
    return people.exclude(pk__in=stationed)


def search_people(people, query: str, limit: int = PICKER_LIMIT):
    return people.search(query).order_by("name", "id").only("pk", "name", "staff_number")[:limit]


def _first_page(field: forms.ModelChoiceField, selected) -> None:
    """Offer the first page of the field's people (and the selected one) instead of all."""
    shown = list(search_people(field.queryset, ""))
    if selected not in (None, "") and all(str(p.pk) != str(selected) for p in shown):
        chosen = field.queryset.filter(pk=selected).only("pk", "name", "staff_number").first()
        if chosen is not None:
            shown.insert(0, chosen)
    field.widget.choices = [("", field.empty_label)] + [(p.pk, staff_label(p)) for p in shown]


class TransferForm(forms.Form):
    """Raise or edit a transfer request. Choices are limited to what the user may touch; the
    service validates the rest (shape, tenure, eligibility)."""

    kind = forms.ChoiceField(label=_("kind"), choices=TransferKind.choices)
    window = forms.ModelChoiceField(label=_("window"), queryset=Window.objects.none())
    to_window = forms.ModelChoiceField(
        label=_("rotate to window"), queryset=Window.objects.none(), required=False
    )
    outgoing = StaffChoiceField(
        label=_("outgoing staff"), queryset=Staff.objects.none(), required=False
    )
    incoming = StaffChoiceField(
        label=_("incoming staff"), queryset=Staff.objects.none(), required=False
    )
    incoming_post = forms.ChoiceField(
        label=_("post of the incoming person"), choices=Post.choices, initial=Post.STAFF
    )
    effective_date = forms.DateField(label=_("proposed effective date"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    early_justification = forms.CharField(
        label=_("justification for an early transfer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("reason for overriding a rule"),
        help_text=_("The center only: station despite the post or quota rule, with the reason."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if role_of(user) != Role.CENTER_ADMIN:  # the center's field only
            del self.fields["override_reason"]
        ids = department_ids(user)
        windows = Window.objects.filter(active=True).select_related("department")
        people = Staff.objects.filter(status=StaffStatus.ACTIVE)
        if ids is not None:
            windows = windows.filter(department_id__in=ids)
            people = people.filter(department_id__in=ids)
        self.fields["window"].queryset = windows.order_by("code", "id")
        self.fields["to_window"].queryset = windows.order_by("code", "id")
        # only people who can be in that role: stationed now / not stationed anywhere
        for role in ("outgoing", "incoming"):
            field = self.fields[role]
            field.queryset = candidates(people, role).order_by("name", "id")
            field.widget = SearchableSelect(
                search_url=reverse("windows:transfer_people", args=[role])
            )
            _first_page(field, self[role].value())
        style(self)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class VettingForm(forms.Form):
    political_ok = forms.TypedChoiceField(
        label=_("political quality"),
        choices=[("1", _("Pass")), ("0", _("Fail"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    political_notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ability_ok = forms.TypedChoiceField(
        label=_("business ability"),
        choices=[("1", _("Pass")), ("0", _("Fail"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    ability_notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fitness_ok = forms.TypedChoiceField(
        label=_("physical fitness"),
        choices=[("1", _("Pass")), ("0", _("Fail"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    fitness_notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.ChoiceField(
        label=_("overall decision"), choices=VettingDecision.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("political_notes", "ability_notes", "fitness_notes"):
            self.fields[name].widget.attrs["class"] = "form-control"


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("attachment"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


class AppointmentForm(forms.Form):
    appointment_number = forms.CharField(label=_("letter of appointment number"), max_length=60)
    authorization_number = forms.CharField(label=_("letter of authorization number"), max_length=60)
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput(), required=False)
    accept_items = forms.MultipleChoiceField(
        label=_("acceptance (受理)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    review_items = forms.MultipleChoiceField(
        label=_("review (审查)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    decide_items = forms.MultipleChoiceField(
        label=_("decision (决定)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    replace_current = forms.BooleanField(
        label=_("Replace the window's current chief representative"),
        help_text=_("They stay at the window as staff; their letters end the day before."),
        required=False,
    )

    def __init__(self, *args, window: Window, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_items = {str(item.pk): item for item in window.service_items.all()}
        choices = [(pk, str(item)) for pk, item in self.service_items.items()]
        for name in ("accept_items", "review_items", "decide_items"):
            self.fields[name].choices = choices
        style(self)

    def items(self) -> list[dict]:
        data = self.cleaned_data
        chosen = set(data["accept_items"]) | set(data["review_items"]) | set(data["decide_items"])
        return [
            {
                "service_item": self.service_items[pk],
                "can_accept": pk in data["accept_items"],
                "can_review": pk in data["review_items"],
                "can_decide": pk in data["decide_items"],
            }
            for pk in sorted(chosen, key=int)
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        help_text=_("What the person's poor performance was; the department must replace them."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    end_date = forms.DateField(label=_("end date"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class GoLiveUploadForm(RosterUploadForm):
    """The go-live workbook: xlsx only (two sheets), as large as a roster."""

    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An .xlsx workbook with the sheets 派驻人员 and/or 执法证 of the template."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = super().clean_file()
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only .xlsx workbooks can be imported here."))
        return upload


# --- stand-ins (AB岗) ----------------------------------------------------------------------------


def stand_in_people(window: Window):
    """Who may be named in a pair of ``window``: people stationed there now and the active staff
    of its department (an exception must then be documented)."""
    here = Stationing.objects.open().filter(window=window).values("staff_id")
    return Staff.objects.filter(
        models.Q(pk__in=here)
        | models.Q(department_id=window.department_id, status=StaffStatus.ACTIVE)
    ).order_by("name", "id")


class StandInForm(forms.Form):
    a = StaffChoiceField(label=_("A post"), queryset=Staff.objects.none())
    b = StaffChoiceField(label=_("B post (stand-in)"), queryset=Staff.objects.none())
    service_item = forms.ModelChoiceField(
        label=_("service item"),
        queryset=None,
        required=False,
        empty_label=_("The whole window"),
    )
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput(), required=False)
    exception_note = forms.CharField(
        label=_("documented exception"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when A or B is not stationed at this window: say why."),
    )

    def __init__(self, *args, window: Window, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = stand_in_people(window)
        self.fields["a"].queryset = people
        self.fields["b"].queryset = people
        self.fields["service_item"].queryset = window.service_items.order_by("code", "id")
        if pair is not None:  # the A and the item of a pair stay; B, dates and note change
            del self.fields["a"]
            del self.fields["service_item"]
        style(self)


class StandInNoticeForm(forms.Form):
    """The absence the printed notice announces."""

    start = forms.DateField(label=_("away from"), widget=DateInput())
    end = forms.DateField(label=_("away until"), widget=DateInput(), required=False)
    size = forms.ChoiceField(label=_("paper"), choices=[("a4", "A4"), ("a5", "A5")], initial="a4")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data
