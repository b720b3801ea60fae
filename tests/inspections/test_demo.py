"""The demo center gets A/B pairs for most windows and four weeks of inspection rounds."""

import pytest
from django.core.management import call_command

from inspections.models import Finding, FindingStatus, Round, RoundStatus
from staff.models import User
from windows import selectors
from windows.models import StandIn

pytestmark = pytest.mark.django_db


def test_demo_has_stand_ins_and_rounds():
    call_command("seed_demo", staff=120, seed=7, verbosity=0)
    admin = User.objects.get(username="admin")
    board = selectors.stand_in_board(admin)
    assert StandIn.objects.count() > board["missing"] >= 1  # most windows paired, some not
    rounds = Round.objects.all()
    assert rounds.count() >= 15
    assert all(r.leader_id for r in rounds.filter(kind="weekly"))
    closed = rounds.filter(status=RoundStatus.CLOSED)
    assert closed.exists()
    # a closed round left no rule finding undecided: each became a deduction or was withdrawn
    assert not Finding.objects.filter(
        round__in=closed, status=FindingStatus.RECORDED, rule__isnull=False
    ).exists()
    for finding in Finding.objects.filter(status=FindingStatus.ENTERED):
        assert finding.entry.rule_id == finding.rule_id
        assert finding.entry.evidence.count() == finding.photos.count()
