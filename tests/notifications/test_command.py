"""`manage.py send_reminders [--dry-run]`."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Notification
from tests.factories import CertificateFactory, StaffFactory

from .factories import StationingFactory

TODAY = date(2026, 3, 3)


@pytest.fixture
def due(dept_a, admin_user, liaison_a, no_broker):
    person = StaffFactory(department=dept_a, name="李明")
    CertificateFactory(staff=person, expires_on=TODAY + timedelta(days=30))
    StationingFactory(
        staff=StaffFactory(department=dept_a, name="张强"), start_date=date(2024, 3, 3)
    )


def call(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_prints_what_it_would_send_and_writes_nothing(due):
    output = call("--dry-run", "--date", TODAY.isoformat())
    assert "staff.certificates: 1 due, 2 new notifications would be sent" in output
    assert "→ liaison_a [certificate.expiring 30d] 李明的执法证有效期至2026年4月2日" in output
    assert "→ admin [tenure.reached 24m] 张强在" in output
    assert "→ admin [assessment.scoring_due 2026-02]" in output
    assert "5 notifications would be sent for 2026-03-03." in output
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_run_writes_and_a_rerun_sends_nothing(due):
    assert "5 notifications sent" in call("--date", TODAY.isoformat())
    assert Notification.objects.count() == 5
    assert "0 notifications sent" in call("--date", TODAY.isoformat())
    assert Notification.objects.count() == 5


@pytest.mark.django_db
def test_single_sweep_and_deliver(due, admin_user):
    admin_user.email = "admin@zwfw.example.cn"
    admin_user.save()
    output = call("--sweep", "staff.certificates", "--date", TODAY.isoformat(), "--deliver")
    assert "windows.tenure" not in output
    assert "E-mail: 1 sent, 1 not e-mailed" in output  # the liaison has no address


@pytest.mark.django_db
@pytest.mark.parametrize("args", [("--date", "2026-02-30"), ("--sweep", "nope")])
def test_bad_arguments(args):
    with pytest.raises(CommandError):
        call(*args)
