"""Choice labels looked up once per field and language.

Django's ``get_<field>_display()`` rebuilds the field's choices on every call and translates every
label to hash it (about 0.1 ms a call): a 50-row list showing five choice fields spent longer on
that than on its queries. A model that lists many rows mixes in :class:`ChoiceLabels`, and its
``get_<field>_display()`` methods read a dictionary built once per field and language instead.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@lru_cache(maxsize=512)
def _labels(field: Field, language: str | None) -> dict[Any, str]:
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """Mix into a model (before ``models.Model``) for cheap ``get_<field>_display()``: same
    result as Django's, the labels of the active language."""

    def _get_FIELD_display(self, field: Field) -> Any:  # noqa: N802  (Django's name)
        value = getattr(self, field.attname)
        labels = _labels(field, get_language())
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
