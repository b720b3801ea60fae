"""The staff list's filters, shared by the browser page, the export and the API."""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    PARTY_STATUSES,
    PRESENT_STATUSES,
    CenterRole,
    Department,
    EmploymentType,
    Gender,
    PoliticalStatus,
    Staff,
    StaffStatus,
)
from .permissions import department_ids

#: Group choices of two filters, matching the dashboard's headcounts (staff.selectors.composition).
PRESENT = "present"
PARTY = "party"


def _departments(request):
    qs = Department.objects.order_by("code", "id")
    if request is None:
        return qs.none()
    ids = department_ids(request.user)
    return qs if ids is None else qs.filter(id__in=ids)


def _with_descending(labels: dict) -> dict:
    """Labels for both directions, translated when shown. django-filter's own descending label
    is formatted once at import, freezing whatever language was active then."""
    descending = {
        f"-{key}": format_lazy(_("{field} (descending)"), field=label)
        for key, label in labels.items()
    }
    return {**labels, **descending}


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    department = django_filters.ModelChoiceFilter(
        label=_("home department"), queryset=_departments, empty_label=_("All departments")
    )
    employment_type = django_filters.ChoiceFilter(
        label=_("employment type"), choices=EmploymentType.choices, empty_label=_("All")
    )
    political_status = django_filters.ChoiceFilter(
        label=_("political status"),
        choices=[(PARTY, _("Party members (incl. probationary)")), *PoliticalStatus.choices],
        empty_label=_("All"),
        method="filter_political_status",
    )
    gender = django_filters.ChoiceFilter(
        label=_("gender"), choices=Gender.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("duty status"),
        choices=[(PRESENT, _("At the center (incl. second line)")), *StaffStatus.choices],
        empty_label=_("All"),
        method="filter_status",
    )
    center_role = django_filters.ChoiceFilter(
        label=_("center role"), choices=CenterRole.choices, empty_label=_("All")
    )
    is_reserve_cadre = django_filters.BooleanFilter(
        label=_("reserve cadre"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Default"),
        fields=(
            ("staff_number", "staff_number"),
            ("name", "name"),
            ("department__code", "department"),
            ("date_of_birth", "date_of_birth"),
            ("updated_at", "updated_at"),
        ),
        field_labels=_with_descending(
            {
                "staff_number": _("staff number"),
                "name": _("full name"),
                "department": _("home department"),
                "date_of_birth": _("date of birth"),
                "updated_at": _("updated at"),
            }
        ),
    )

    class Meta:
        model = Staff
        fields = [
            "q",
            "department",
            "employment_type",
            "political_status",
            "gender",
            "status",
            "center_role",
            "is_reserve_cadre",
        ]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        if value == PRESENT:  # the dashboard's headcounts
            return queryset.filter(status__in=PRESENT_STATUSES)
        return queryset.filter(status=value)

    def filter_political_status(self, queryset, name, value):
        if value == PARTY:
            return queryset.filter(political_status__in=PARTY_STATUSES)
        return queryset.filter(political_status=value)

    @property
    def qs(self):
        qs = super().qs
        # A stable order for pagination: the chosen field, then id unless the field is unique
        # (ordering by staff number and id made PostgreSQL re-sort every row up to the page).
        ordering = list(qs.query.order_by) or ["staff_number"]
        if not {"id", "-id"} & set(ordering) and not _unique(ordering[0]):
            ordering.append("id")
        return qs.order_by(*ordering)


def _unique(name) -> bool:
    try:
        return isinstance(name, str) and Staff._meta.get_field(name.lstrip("-")).unique
    except FieldDoesNotExist:  # a lookup across a relation (department__code)
        return False
