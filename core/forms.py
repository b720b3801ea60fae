"""Form widgets and the form base every app's forms share.

Browsers read the value of ``<input type="date">`` only as ISO 8601 (``2026-12-03``); Django's
``DateInput`` without a format renders the active locale's first input format instead
(``2026/12/03`` in Chinese), which a date input drops, so the field shows empty. Every date, time
and date-time input of the project is one of these widgets: the value is always the machine
format, whatever the language (the page shows the locale's format around it).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ISO_TIME = "%H:%M"


class DateInput(forms.DateInput):
    """``<input type="date">`` with an ISO value in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with an ISO value (local time, minutes)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)


class TimeInput(forms.TimeInput):
    """``<input type="time">`` with an ISO value."""

    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs=attrs, format=ISO_TIME)


def css_class(widget: forms.Widget) -> str | None:
    """The Bootstrap class of a widget, or None for widgets that keep their own markup."""
    if isinstance(widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget of ``form`` (a class the widget already has is kept)."""
    for field in form.fields.values():
        css = css_class(field.widget)
        if css:
            field.widget.attrs.setdefault("class", css)


class StyledMixin:
    """:func:`style` on every form made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class StyledForm(StyledMixin, forms.Form):
    pass


class StyledModelForm(StyledMixin, forms.ModelForm):
    pass


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: each field's messages on that field (or on
    the form when it has no such field), a message without a field on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
