"""Workload where it is shown: the staff page's panel, the evidence pack, the department's
monthly report, the rankings; the token command."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import SystemClient
from joint import report as joint_report
from promotions.evidence.pack import build_pack
from tests.conftest import client_for
from workload.services.records import Row, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(hall, today):
    write_rows(
        [
            Row(hall["me"].pk, hall["a01"].pk, None, today, "cases", 12),
            Row(hall["me"].pk, hall["a01"].pk, hall["item_a"].pk, today, "assisted", 3),
            Row(hall["person_b"].pk, hall["b01"].pk, None, today, "tickets", 40),
        ],
        client=None,
    )
    return hall


def test_staff_page_panel(recorded, staff_user, liaison_b):
    page = client_for(staff_user).get(reverse("staff:detail", args=[recorded["me"].pk]))
    assert page.status_code == 200
    panel = next(p for p in page.context["panels"] if p["key"] == "workload")
    (month,) = panel["context"]["months"]
    assert (month.cases, month.assisted, month.points) == (12, 3, Decimal("15.00"))
    assert "工作量" in page.content.decode()


def test_evidence_pack_has_the_years(recorded, hr_user, today):
    pack = build_pack(
        recorded["me"], start=today.replace(month=1, day=1), end=today, viewer=hr_user
    )
    assert pack["workload"] == [
        {
            "year": today.year,
            "cases": 12,
            "tickets": 0,
            "enquiries": 0,
            "assisted": 3,
            "points": "15.00",
        }
    ]


def test_monthly_report_figures(recorded, liaison_a, dept_a, today):
    report = joint_report.monthly_report(
        user=liaison_a, department=dept_a, first=today.replace(day=1), today=today
    )
    figures = dict(report.figures)
    assert figures["本月办件量"] == 12 and figures["本月帮办代办量"] == 3
    assert figures["本月工作量积分"] == "15.00"


def test_token_command(hall, capsys):
    call_command("workload_client", "--name", "叫号")
    out = capsys.readouterr().out
    assert out.startswith("TOKEN=sc_")
    client = SystemClient.objects.get(name="叫号")
    assert client.scopes == ["workload.push"] and client.kind == "queue"
