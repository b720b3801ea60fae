"""``{{ code|evidence_label:"grade" }}``, ``{{ row|evidence_period }}`` and
``{{ iso|evidence_date }}`` for evidence packs."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

from promotions.evidence import labels

register = template.Library()


@register.filter
def evidence_label(code, kind: str) -> str:
    return labels.label(kind, code)


@register.filter
def evidence_period(row) -> str:
    return labels.period_label(row)


@register.filter
def rating_count(levels, level) -> int:
    return (levels or {}).get(str(level), 0)


@register.simple_tag
def rating_levels():
    """(code, label) of the five citizen-rating levels, best first."""
    from assessments.models import RatingLevel

    return RatingLevel.choices


@register.filter
def evidence_date(value) -> str:
    """A date or date-time of the pack (kept as ISO text, JSON-ready and frozen into snapshots)
    in the reader's format through the locale (2026年12月3日, 3 Dec 2026); anything else as is."""
    text = str(value or "")
    try:
        if len(text) > 10:
            moment = datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "DATETIME_FORMAT")
        return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
    except ValueError:
        return text
