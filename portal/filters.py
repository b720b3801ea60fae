"""The audit trail's filters: who acted (name, unit's person or login), what kind of record, and
a range of local dates."""

from __future__ import annotations

import datetime as dt

import django_filters
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, css_class


def record_types() -> list[tuple[str, str]]:
    """Every model the audit trail records, as ``app_label.model`` and its name."""
    models = sorted(auditlog.get_models(), key=lambda m: (m._meta.app_label, m._meta.model_name))
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in models]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        label=_("Changed by (name or login)"), method="filter_person"
    )
    model = django_filters.ChoiceFilter(
        label=_("Record type"), choices=record_types, empty_label=_("All"), method="filter_model"
    )
    since = django_filters.DateFilter(label=_("From"), method="filter_since", widget=DateInput())
    until = django_filters.DateFilter(label=_("To"), method="filter_until", widget=DateInput())

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = css_class(field.widget)
            if css:
                field.widget.attrs.setdefault("class", css)
        return form

    def filter_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__username__iexact=value)
            | Q(actor__first_name__icontains=value)
            | Q(actor__last_name__icontains=value)
            | Q(actor__staff_profile__name__icontains=value)
        )

    def filter_model(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        return queryset.filter(content_type=content_type)

    def filter_since(self, queryset, name, value):
        return queryset.filter(timestamp__gte=_local_midnight(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(timestamp__lt=_local_midnight(value + dt.timedelta(days=1)))

    def clean_range(self) -> None:
        data = self.form.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.form.add_error("until", _("The end date is before the start date."))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid:
            self.clean_range()
        return valid and not self.form.errors
