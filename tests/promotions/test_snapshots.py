"""Frozen evidence: numbered per year, hashed, and immutable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from promotions.evidence.snapshots import content_hash, freeze, next_number, verify
from promotions.models import EvidenceSnapshot

pytestmark = pytest.mark.django_db


def test_numbers_run_per_year_and_prefix():
    assert next_number(year=2026) == "TJ-2026-00001"
    assert next_number(year=2026) == "TJ-2026-00002"
    assert next_number(year=2027) == "TJ-2027-00001"
    assert next_number(prefix="CK", year=2026) == "CK-2026-00001"


def test_freeze_stores_exactly_what_it_hashes(person_a, admin_user):
    content = {"score": Decimal("98.50"), "day": date(2026, 3, 1), "名字": "张三"}
    snapshot = freeze(
        staff=person_a,
        period_start=date(2025, 1, 1),
        period_end=date(2026, 10, 31),
        content=content,
        actor=admin_user,
    )
    snapshot.refresh_from_db()
    assert snapshot.number.startswith("TJ-")
    assert snapshot.content == {"score": "98.50", "day": "2026-03-01", "名字": "张三"}
    assert snapshot.content_hash == content_hash(snapshot.content)
    assert verify(snapshot)


def test_a_snapshot_cannot_be_changed_or_deleted(person_a, admin_user):
    snapshot = freeze(
        staff=person_a,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        content={"a": 1},
        actor=admin_user,
    )
    snapshot.content = {"a": 2}
    with pytest.raises(TypeError):
        snapshot.save()
    with pytest.raises(TypeError):
        EvidenceSnapshot.objects.filter(pk=snapshot.pk).update(content={"a": 3})
    with pytest.raises(TypeError):
        snapshot.delete()
    assert EvidenceSnapshot.objects.get(pk=snapshot.pk).content == {"a": 1}
