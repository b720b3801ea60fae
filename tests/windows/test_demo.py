"""The demo center gets windows, history, early transfers, the article's ineligible chief
representatives and open requests in several states — built deterministically."""

import pytest
from django.core.management import call_command

from staff.models import User
from windows import dashboard_reads, selectors
from windows.models import (
    ChiefAppointment,
    ServiceItem,
    Stationing,
    TransferRequest,
    TransferState,
    Window,
)


def _snapshot():
    return (
        list(Window.objects.order_by("code").values_list("code", "department__code")),
        list(
            Stationing.objects.order_by("staff__staff_number", "start_date").values_list(
                "staff__staff_number", "window__code", "start_date", "end_date", "post"
            )
        ),
        sorted(TransferRequest.objects.values_list("kind", "state", "outgoing__staff_number")),
    )


def test_demo_builds_windows_history_and_requests(db):
    call_command("seed_demo", verbosity=0)
    admin = User.objects.get(username="admin")
    assert Window.objects.count() >= 41 and ServiceItem.objects.filter(is_licensing=True).exists()
    assert all(w.service_items.exists() for w in Window.objects.all()[:20])
    assert Stationing.objects.filter(end_date__isnull=False).count() >= 30  # history
    assert Stationing.objects.filter(is_early_end=True).exists()
    assert ChiefAppointment.objects.exists()
    figures = dashboard_reads.compliance(admin)
    assert 1 <= figures["ineligible_chiefs"] <= 15  # a few, as in the article
    assert figures["early_transfers"] >= 1
    states = set(TransferRequest.objects.values_list("state", flat=True))
    assert {
        TransferState.DRAFT,
        TransferState.SUBMITTED,
        TransferState.VETTING,
        TransferState.APPROVED,
    } <= states
    # every request went through the services: each has an audit trail
    from auditlog.models import LogEntry

    for transfer in TransferRequest.objects.all():
        assert LogEntry.objects.get_for_object(transfer).exists()
    liaison = User.objects.get(username="liaison")
    assert selectors.transfer_list_for_user(liaison).filter(selectors.waiting_for(liaison)).exists()


def test_demo_windows_are_deterministic(db):
    from django.db import transaction

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        call_command("seed_demo", "--staff", "120", verbosity=0)
        first = _snapshot()
        raise Rollback
    call_command("seed_demo", "--staff", "120", verbosity=0)
    assert first == _snapshot()
