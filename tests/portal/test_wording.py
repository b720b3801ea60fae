"""Wording of issue #20: the period board's card titles, tense-neutral due dates in notices (they
are stored rendered and read after the date), window names not followed by a second 窗口."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def msgstrs() -> list[str]:
    text = CATALOG.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r'^msgstr ((?:".*"\n?)+)', text, re.M):
        found.append("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    return found


def test_period_board_card_titles():
    with translation.override("zh-hans"):
        assert translation.pgettext("period board card", "Windows") == "窗口"
        assert translation.pgettext("period board card", "People") == "人员"
        # the sidebar group and the column of head counts keep theirs
        assert translation.pgettext("sidebar group", "Windows") == "窗口管理"


def test_no_window_name_is_followed_by_another_window_word():
    doubled = [s for s in msgstrs() if re.search(r"%\(window\)s\s*窗口|窗口\s*%\(window\)s", s)]
    assert not doubled, doubled


def test_due_dates_are_worded_for_any_day_they_are_read():
    future = [s for s in msgstrs() if "将于" in s]
    assert not future, future


def test_tenure_notice_reads_once_window(settings):
    from notifications.registry import get_kind

    kind = get_kind("tenure.approaching")
    with translation.override("zh-hans"):
        title = str(kind.title) % {
            "name": "王芳",
            "months": 24,
            "window": "市场监管局综合窗口5",
            "date": "2026年12月3日",
        }
    assert title == "王芳在市场监管局综合窗口5任职满24个月的日期：2026年12月3日"
