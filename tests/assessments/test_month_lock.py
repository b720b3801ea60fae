"""Issue #16: the month is locked while entries are recorded. Two connections on PostgreSQL, in
a fixed order (events, not timing races): an entry being recorded holds the month's row
FOR SHARE from its first read, so a close waits for it and counts it; an entry recorded while
the month is being closed waits for the close and is refused before anything is written."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from assessments.models import Entry, Score
from assessments.services import entries as entry_services
from assessments.services import evidence as evidence_service
from assessments.services.scores import period_close, period_for_date

from .helpers import png

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
WAIT = 1.5  # seconds a blocked connection is given to (wrongly) get through


def _in_thread(fn, results, key):
    def run():
        try:
            results[key] = fn()
        except Exception as exc:  # reported to the test thread
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _record(world):
    return entry_services.entry_record(
        actor=world["admin"],
        staff=world["me"],
        rule=world["rules"]["Q01"],
        date=date(2026, 3, 10),
        window=world["window_a"],
        files=[png()],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_of_the_month", [True, False])
def test_a_close_waits_for_an_entry_being_recorded_and_counts_it(
    world, fixed_today, monkeypatch, first_of_the_month
):
    fixed_today(date(2026, 3, 20))
    march = period_for_date(date(2026, 3, 1))
    if not first_of_the_month:  # the month has scores: the entry shares the lock
        entry_services.entry_record(
            actor=world["admin"],
            staff=world["person_a"],
            rule=world["rules"]["D01"],
            date=date(2026, 3, 2),
        )
    reached, release = threading.Event(), threading.Event()
    attach = evidence_service.attach

    def paused_attach(**kwargs):  # the entry is half-written: its row saved, evidence next
        reached.set()
        release.wait(10)
        return attach(**kwargs)

    monkeypatch.setattr(evidence_service, "attach", paused_attach)
    results: dict = {}
    recorder = _in_thread(lambda: _record(world), results, "entry")
    assert reached.wait(10)
    closer = _in_thread(lambda: period_close(actor=world["admin"], period=march), results, "close")
    closer.join(WAIT)
    assert closer.is_alive(), "the close went ahead while an entry of its month was being written"
    release.set()
    recorder.join(10)
    closer.join(10)
    assert isinstance(results["entry"], Entry), results["entry"]
    assert not isinstance(results["close"], Exception), results["close"]
    march.refresh_from_db()
    assert march.is_closed
    # the closed month counts the entry: −15 for the person
    assert Score.objects.get(period=march, staff=world["me"]).total == D("85")


@pytest.mark.django_db(transaction=True)
def test_an_entry_recorded_while_its_month_closes_is_refused_before_anything_is_written(
    world, fixed_today, monkeypatch
):
    fixed_today(date(2026, 3, 20))
    march = period_for_date(date(2026, 3, 1))
    entry_services.entry_record(
        actor=world["admin"],
        staff=world["person_a"],
        rule=world["rules"]["D01"],
        date=date(2026, 3, 2),
    )
    closing, release = threading.Event(), threading.Event()
    attached = []
    attach = evidence_service.attach
    monkeypatch.setattr(
        evidence_service, "attach", lambda **kw: attached.append(kw) or attach(**kw)
    )

    def close_and_hold():
        with transaction.atomic():
            period_close(actor=world["admin"], period=march)
            closing.set()
            release.wait(10)  # closed, not committed yet: the row stays locked FOR UPDATE

    results: dict = {}
    closer = _in_thread(close_and_hold, results, "close")
    assert closing.wait(10)
    recorder = _in_thread(lambda: _record(world), results, "entry")
    recorder.join(WAIT)
    assert recorder.is_alive(), "the entry did not wait for the month being closed"
    release.set()
    closer.join(10)
    recorder.join(10)
    refused = results["entry"]
    assert isinstance(refused, ValidationError), refused
    assert "date" in refused.error_dict  # the month check itself, not a later re-check
    assert attached == []  # nothing of the entry was written before the refusal
    assert not Entry.objects.filter(staff=world["me"]).exists()
