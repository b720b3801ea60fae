"""``{{ code|evidence_label:"grade" }}`` and ``{{ row|evidence_period }}`` for evidence packs."""

from django import template

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
