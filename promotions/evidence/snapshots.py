"""Freezing an evidence pack: a document number per year and a hash of the canonical content.

The content is the JSON form of an evidence pack (``promotions.evidence``); its hash is taken over
``json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` so anyone can
recompute it from what was sent.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from staff.models import Staff

from ..models import DocumentCounter, EvidenceSnapshot


def canonical(content: Any) -> str:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def next_number(*, prefix: str | None = None, year: int | None = None) -> str:
    """The next document number of the year (``TJ-2026-00017``): the counter row is locked, so
    two submissions at once never share a number. Call inside a transaction."""
    prefix = prefix or settings.PROMOTIONS["DOCUMENT_PREFIX"]
    year = year or timezone.localdate().year
    DocumentCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = DocumentCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


@transaction.atomic
def freeze(
    *, staff: Staff, period_start: date, period_end: date, content: dict, actor: Any
) -> EvidenceSnapshot:
    """Store ``content`` (an evidence pack as JSON-ready data) as an immutable snapshot."""
    # Round-trip through JSON so what is stored is exactly what is hashed (dates, Decimals).
    stored = json.loads(canonical(content))
    return EvidenceSnapshot.objects.create(
        number=next_number(),
        staff=staff,
        period_start=period_start,
        period_end=period_end,
        content=stored,
        content_hash=content_hash(stored),
        created_by=actor,
    )


def verify(snapshot: EvidenceSnapshot) -> bool:
    """True when the stored content still matches its hash."""
    return content_hash(snapshot.content) == snapshot.content_hash
