"""Date inputs render ISO values in every language (issue #20: the entry form lost its default date
in Chinese, where Django's DateInput rendered ``2026/12/03``, which ``<input type=date>`` drops)."""

from __future__ import annotations

import importlib
import re
from datetime import date, datetime, time

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from core.forms import DateInput, DateTimeInput, TimeInput

PROJECT_APPS = [
    config.name
    for config in apps.get_app_configs()
    if (settings.BASE_DIR / config.name.split(".")[0]).is_dir()
]
MACHINE = {"date": "2026-12-03", "datetime-local": "2026-12-03T09:05", "time": "09:05"}
VALUE = {
    "date": date(2026, 12, 3),
    "datetime-local": datetime(2026, 12, 3, 9, 5),
    "time": time(9, 5),
}


def project_forms() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        for module in ("forms", "evidence_forms", "filters"):
            try:
                importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.{module}":
                    raise
    found, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def html_type(widget: forms.Widget) -> str:
    return widget.attrs.get("type") or getattr(widget, "input_type", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_of_the_project_renders_iso(language):
    checked = []
    with translation.override(language):
        for form in project_forms():
            for name, field in form.base_fields.items():
                kind = html_type(field.widget)
                if kind not in MACHINE:
                    continue
                rendered = field.widget.render(name, VALUE[kind])
                value = re.search(r'value="([^"]*)"', rendered)
                assert value and value.group(1) == MACHINE[kind], (form, name, rendered)
                checked.append((form.__name__, name))
    assert len(checked) >= 15, checked  # the walk finds the project's forms


@pytest.mark.parametrize("widget", [DateInput, DateTimeInput, TimeInput])
def test_widgets_ignore_a_localized_format(widget):
    with translation.override("zh-hans"):
        rendered = widget(format="%Y/%m/%d").render("x", VALUE[widget.input_type])
    assert f'value="{MACHINE[widget.input_type]}"' in rendered


@pytest.mark.django_db
def test_entry_form_keeps_its_default_date_in_chinese(client, django_user_model):
    from django.urls import reverse
    from django.utils import timezone

    from staff.models import Role

    user = django_user_model.objects.create_user("center", password="x", role=Role.CENTER_ADMIN)
    client.force_login(user)
    response = client.get(reverse("assessments:entry_create"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="date" value="{today}"', html), html[:0]
