"""Dates through Django's localization, defined once (config/formats; issue #20): templates name
a format (SHORT_DATE_FORMAT …), never a pattern, except machine formats inside attributes."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from ..conftest import client_for

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PATTERN = re.compile(r"""\|(date|time):(["'])([^"']*)\2""")
NAMED = re.compile(
    r"^[A-Z_]+$|^[cjUDl]$"
)  # a format name; ISO 8601 ('c'); a bare day number; a weekday name
NOT_YET: set[str] = set()  # templates still writing patterns: none


def in_attribute(line: str, start: int) -> bool:
    """Inside name="…" (an input's value, a link, a data attribute): a machine reads it."""
    before = line[:start]
    opened = before.rfind('="')
    return opened != -1 and before.count('"', opened + 2) == 0


def test_templates_name_formats_instead_of_patterns():
    offending = []
    for path in sorted(TEMPLATES.rglob("*.*")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_YET or path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in PATTERN.finditer(line):
                if NAMED.match(match.group(3)) or in_attribute(line, match.start()):
                    continue
                offending.append(f"{name}:{number}: {match.group(0)}")
    assert not offending, "\n".join(offending)


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("zh-hans", "2026年12月3日", "2026年12月3日 09:05"), ("en", "3 Dec 2026", "3 Dec 2026 09:05")],
)
def test_each_language_has_its_own_format(language, day, moment):
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    aware = timezone.make_aware(datetime(2026, 12, 3, 9, 5))
    with translation.override(language):
        assert template.render(Context({"d": date(2026, 12, 3), "t": aware})) == f"{day}|{moment}"


@pytest.mark.django_db
def test_a_page_shows_the_locale_date(admin_user, person_a):
    person_a.date_of_birth = date(1988, 5, 17)
    person_a.save()
    html = client_for(admin_user).get(reverse("staff:detail", args=[person_a.pk])).content.decode()
    assert "1988年5月17日" in html and "1988-05-17" not in html


def test_notification_datetimes_follow_the_recipients_language():
    from notifications.texts import _shown, encode

    stored = encode(timezone.make_aware(datetime(2026, 12, 3, 19, 30)))
    with translation.override("zh-hans"):
        assert _shown(stored) == "2026年12月3日 19:30"
    with translation.override("en"):
        assert _shown(stored) == "3 December 2026 19:30"
