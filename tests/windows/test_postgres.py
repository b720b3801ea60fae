"""PostgreSQL-only guarantees: no overlapping stationings, and exactly one of two concurrent
approvals or edits wins with nothing half-applied."""

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from windows import services
from windows.models import Stationing, TransferKind, TransferRequest, TransferState
from windows.services.transfers import TransferConflict

from ..factories import DepartmentFactory, StaffFactory, UserFactory
from .factories import StationingFactory, WindowFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db
def test_database_refuses_overlapping_stationings():
    person = StaffFactory()
    first = WindowFactory(department=person.department)
    second = WindowFactory(department=person.department)
    StationingFactory(
        staff=person, window=first, start_date=date(2024, 1, 1), end_date=date(2025, 1, 1)
    )
    # touching periods are fine: [2024-01-01, 2025-01-01) then [2025-01-01, …)
    StationingFactory(
        staff=person, window=second, start_date=date(2025, 1, 1), end_date=date(2025, 6, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StationingFactory(
            staff=person, window=first, start_date=date(2024, 6, 1), end_date=date(2024, 7, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StationingFactory(staff=person, window=first, start_date=date(2025, 5, 1))  # open-ended
    # another person may of course be there at the same time
    StationingFactory(
        staff=StaffFactory(department=person.department), window=first, start_date=date(2024, 6, 1)
    )
    assert Stationing.objects.count() == 3


def _run_concurrently(*calls):
    """Run each call in its own thread (own connection), released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def rotation(db):
    from staff.models import Role

    department = DepartmentFactory()
    admins = [UserFactory(role=Role.CENTER_ADMIN) for _ in range(2)]
    liaison = UserFactory(role=Role.LIAISON, departments=[department])
    window, other = WindowFactory(department=department), WindowFactory(department=department)
    person = StaffFactory(department=department)
    StationingFactory(
        staff=person, window=window, start_date=timezone.localdate() - timedelta(days=900)
    )
    transfer = services.transfer_create(
        actor=liaison,
        kind=TransferKind.ROTATE,
        window=window,
        to_window=other,
        outgoing=person,
        reason="轮岗",
        effective_date=timezone.localdate(),
    )
    services.transfer_submit(actor=liaison, transfer=transfer)
    return transfer, admins, liaison, person


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_exactly_one_wins(rotation):
    transfer, admins, _, person = rotation
    results = _run_concurrently(
        *[
            lambda a=a: services.transfer_approve(actor=a, transfer=TransferRequest(pk=transfer.pk))
            for a in admins
        ]
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, TransferConflict)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.EFFECTIVE  # dated today: applied once
    assert Stationing.objects.filter(staff=person).count() == 2
    assert Stationing.objects.filter(staff=person, end_date__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_edit_and_withdraw_do_not_half_apply(rotation):
    transfer, admins, liaison, _ = rotation
    # back to a draft the liaison can edit
    TransferRequest.objects.filter(pk=transfer.pk).update(state=TransferState.DRAFT)
    version = TransferRequest.objects.get(pk=transfer.pk).version
    results = _run_concurrently(
        lambda: services.transfer_update(
            actor=liaison,
            transfer=TransferRequest(pk=transfer.pk),
            expected_version=version,
            reason="改一",
        ),
        lambda: services.transfer_update(
            actor=liaison,
            transfer=TransferRequest(pk=transfer.pk),
            expected_version=version,
            reason="改二",
        ),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    transfer.refresh_from_db()
    assert transfer.reason in ("改一", "改二") and transfer.version == version + 1
