"""The window board's cells of people, written in Python: a page of 50 windows at the province
shows about 1,650 people, and the template engine's loop with its conditions and translations
cost more than the page's SQL. The markup is the one the template had."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..models import Post

register = template.Library()


@register.simple_tag
def board_chiefs(people: list[dict[str, Any]]) -> SafeString:
    return format_html_join(
        "",
        '{} <span class="small text-muted">{}</span> ',
        ((p["name"], p["months_label"]) for p in people),
    )


@register.simple_tag
def board_others(people: list[dict[str, Any]], has_chief: bool) -> SafeString:
    if not people:
        if has_chief:
            return SafeString("")
        return format_html('<span class="text-danger small">{}</span>', _("nobody stationed"))
    backup = format_html(' <span class="badge text-bg-light">{}</span>', _("B-post"))
    return format_html_join(
        "",
        '<span class="me-2 text-nowrap">{}{} <span class="small {}">{}</span></span>',
        (
            (
                p["name"],
                backup if p["post"] == Post.BACKUP else "",
                "text-success" if p["reached"] else "text-muted",
                p["months_label"],
            )
            for p in people
        ),
    )
