"""The live evidence pack (screen and API) is cached until a write to anything it reads; the
identity, with the ID number as the viewer may see it, is built for each viewer and never cached."""

from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services.entries import entry_record
from core import derived
from promotions import evidence
from promotions.evidence import PACK_DEPENDS, build_pack, live_pack

pytestmark = pytest.mark.django_db

START, END = date(2021, 11, 21), date(2026, 11, 20)


def _comparable(pack):
    return {key: value for key, value in pack.items() if key != "generated_at"}


def test_pack_depends_names_every_table_build_pack_reads(grow, record_world, hr_user):
    grow(2)
    with CaptureQueriesContext(connection) as queries:
        build_pack(record_world["person"], start=START, end=END, viewer=hr_user)
    tables = {m._meta.db_table: m._meta.label for m in apps.get_models()}
    read = {
        label
        for query in queries.captured_queries
        for table, label in tables.items()
        if f'"{table}"' in query["sql"]
    }
    assert read <= set(PACK_DEPENDS), read - set(PACK_DEPENDS)


def test_live_pack_equals_a_fresh_pack_for_each_viewer_and_masks_per_viewer(
    grow, record_world, hr_user, liaison_a, admin_user
):
    grow(2)
    person = record_world["person"]
    for viewer in (hr_user, liaison_a, admin_user, liaison_a):  # cached after the first
        live = live_pack(person, start=START, end=END, viewer=viewer)
        fresh = build_pack(person, start=START, end=END, viewer=viewer)
        assert _comparable(live) == _comparable(fresh)
        assert list(live) == list(fresh)  # same parts in the same order
    liaison_view = live_pack(person, start=START, end=END, viewer=liaison_a)
    assert liaison_view["identity"]["id_masked"] and "*" in liaison_view["identity"]["id_number"]
    hr_view = live_pack(person, start=START, end=END, viewer=hr_user)
    assert hr_view["identity"]["id_number"] == person.id_number


def test_no_id_number_is_cached(grow, record_world, hr_user, monkeypatch):
    grow(1)
    stored = []
    real_cached = derived.cached

    def spy(name, parts, build, **kwargs):
        def keep():
            value = build()
            stored.append(value)
            return value

        return real_cached(name, parts, keep, **kwargs)

    monkeypatch.setattr(evidence.derived, "cached", spy)
    person = record_world["person"]
    live_pack(person, start=START, end=END, viewer=hr_user)
    assert stored and all(person.id_number not in repr(value) for value in stored)


def test_a_write_shows_at_once(grow, record_world, hr_user, as_user):
    grow(1)
    person = record_world["person"]
    api = as_user(hr_user)
    url = f"/api/v1/staff/{person.pk}/evidence/"
    before = api.get(url).json()["deductions"]
    assert api.get(url).json()["deductions"] == before  # the cached path
    entry_record(
        actor=record_world["admin"],
        staff=person,
        rule=record_world["rules"]["D02"],
        date=date(2026, 11, 3),
    )
    after = api.get(url).json()["deductions"]
    assert len(after) == len(before) + 1
    assert live_pack(person, start=START, end=END, viewer=hr_user)["deductions"] == after
