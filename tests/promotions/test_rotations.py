"""Reserve-cadre rotations planned by the home department (issue #16): its liaison proposes that
a reserve cadre of theirs serve at one of its windows, at a post, for a period; the center sees
the plan; when it starts it becomes a transfer request through the windows workflow (submitted,
for the center's vetting and approval), never a stationing written directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from promotions import services
from promotions.models import RotationPlan
from tests.assessments.factories import StationingFactory, WindowFactory
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.queries import assert_constant_queries
from windows import services as window_services
from windows.models import Post, Side, Stationing, TransferKind, TransferRequest, TransferState

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(admin_user, dept_a, dept_b):
    today = timezone.localdate()
    here = WindowFactory(department=dept_a, code="A-01")
    there = WindowFactory(department=dept_a, code="A-02")
    elsewhere = WindowFactory(department=dept_b, code="B-01")
    cadre = StaffFactory(department=dept_a, name="后备甲")
    StationingFactory(staff=cadre, window=here, start_date=today - timedelta(days=900))
    services.reserve_mark(actor=admin_user, staff=cadre, reserve=True)
    return {"here": here, "there": there, "elsewhere": elsewhere, "cadre": cadre, "today": today}


def _propose(actor, home, **overrides):
    fields = {
        "staff": home["cadre"],
        "window": home["there"],
        "post": Post.STAFF,
        "planned_start": home["today"] + timedelta(days=10),
        "planned_end": home["today"] + timedelta(days=10 + 400),
        "notes": "轮岗锻炼，熟悉审批一线",
    }
    fields.update(overrides)
    return services.rotation_plan_propose(actor=actor, **fields)


def test_the_liaison_proposes_and_the_center_is_told(admin_user, liaison_a, home):
    plan = _propose(liaison_a, home)
    assert plan.raised_by == Side.DEPARTMENT and plan.created_by == liaison_a
    assert plan.window == home["there"] and plan.minimum_months == 13
    assert LogEntry.objects.get_for_object(plan).filter(actor=liaison_a).exists()
    notice = Notification.objects.get(kind="promotions.rotation_proposed")
    assert notice.recipient == admin_user and "后备甲" in notice.title
    board = client_for(admin_user).get(reverse("promotions:reserve_board")).content.decode()
    cell = board.split('data-testid="rotation-plan"')[1].split("</td>")[0]
    assert "A-02" in cell and 'data-testid="proposed-by-department"' in cell


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"window": "elsewhere"}, "window"),
        ({"planned_end": "before"}, "planned_end"),
        ({"planned_end": "short"}, "planned_end"),
        ({"planned_start": "past"}, "planned_start"),
    ],
)
def test_a_bad_proposal_is_refused_and_writes_nothing(liaison_a, home, overrides, field):
    today = home["today"]
    values = {
        "elsewhere": home["elsewhere"],
        "before": today + timedelta(days=5),
        "short": today + timedelta(days=100),
        "past": today - timedelta(days=1),
    }
    with pytest.raises(ValidationError) as caught:
        _propose(liaison_a, home, **{k: values[v] for k, v in overrides.items()})
    assert field in caught.value.error_dict
    assert not RotationPlan.objects.exists() and not Notification.objects.exists()


def test_only_the_departments_own_reserve_cadres(admin_user, liaison_a, liaison_b, home, dept_a):
    with pytest.raises(PermissionDenied):
        _propose(liaison_b, home)
    plain = StaffFactory(department=dept_a)
    with pytest.raises(ValidationError):
        _propose(liaison_a, home, staff=plain)
    _propose(liaison_a, home)
    with pytest.raises(ValidationError):  # one plan in force
        _propose(liaison_a, home)
    assert RotationPlan.objects.count() == 1


def test_starting_raises_a_transfer_request_never_a_stationing(liaison_a, liaison_b, home):
    plan = _propose(liaison_a, home)
    stationings = Stationing.objects.count()
    with pytest.raises(PermissionDenied):
        services.rotation_plan_start(actor=liaison_b, plan=plan)
    plan = services.rotation_plan_start(actor=liaison_a, plan=plan)
    transfer = TransferRequest.objects.get(pk=plan.transfer_id)
    assert transfer.kind == TransferKind.ROTATE and transfer.state == TransferState.SUBMITTED
    assert (transfer.window, transfer.to_window) == (home["here"], home["there"])
    assert transfer.outgoing == home["cadre"] and transfer.raised_by == Side.DEPARTMENT
    assert transfer.effective_date == plan.planned_start
    assert Stationing.objects.count() == stationings  # the center approves, then it applies
    with pytest.raises(ValidationError):  # raised once
        services.rotation_plan_start(actor=liaison_a, plan=plan)
    window_services.transfer_withdraw(actor=liaison_a, transfer=transfer, note="时间调整")
    again = services.rotation_plan_start(actor=liaison_a, plan=RotationPlan.objects.get(pk=plan.pk))
    assert again.transfer_id != transfer.pk  # a withdrawn request may be raised anew


def test_the_department_cancels_what_it_proposed(admin_user, liaison_a, liaison_b, home):
    plan = _propose(liaison_a, home)
    plan = services.rotation_plan_start(actor=liaison_a, plan=plan)
    with pytest.raises(ValidationError):  # its transfer request is open
        services.rotation_plan_cancel(actor=liaison_a, plan=plan)
    with pytest.raises(PermissionDenied):
        services.rotation_plan_cancel(actor=liaison_b, plan=plan)
    window_services.transfer_withdraw(actor=liaison_a, transfer=plan.transfer, note="计划调整")
    cancelled = services.rotation_plan_cancel(actor=liaison_a, plan=plan, reason="计划调整")
    assert RotationPlan.objects.get(pk=cancelled.pk).cancelled
    centers = services.rotation_plan_create(
        actor=admin_user, staff=home["cadre"], planned_start=home["today"], window=home["there"]
    )
    with pytest.raises(PermissionDenied):  # the center's own plan
        services.rotation_plan_cancel(actor=liaison_a, plan=centers)
    assert not RotationPlan.objects.get(pk=centers.pk).cancelled


def test_a_person_at_no_window_is_stationed_and_an_early_move_is_justified(
    admin_user, liaison_a, home, dept_a
):
    free = StaffFactory(department=dept_a, name="后备乙")
    recent = StaffFactory(department=dept_a, name="后备丙")
    StationingFactory(staff=recent, window=home["here"], start_date=home["today"] - timedelta(90))
    for person in (free, recent):
        services.reserve_mark(actor=admin_user, staff=person, reserve=True)
    plan = _propose(liaison_a, home, staff=free, post=Post.INTAKE)
    plan = services.rotation_plan_start(actor=liaison_a, plan=plan)
    transfer = TransferRequest.objects.get(pk=plan.transfer_id)
    assert transfer.kind == TransferKind.STATION and transfer.incoming == free
    assert transfer.incoming_post == Post.INTAKE
    plan = _propose(liaison_a, home, staff=recent)
    with pytest.raises(ValidationError) as caught:
        services.rotation_plan_start(actor=liaison_a, plan=plan)
    assert "early_justification" in caught.value.error_dict  # the transfer rules, unchanged
    assert RotationPlan.objects.get(pk=plan.pk).transfer_id is None
    plan = services.rotation_plan_start(
        actor=liaison_a,
        plan=plan,
        early_justification="后备干部按组织部轮岗计划到审批一线窗口锻炼一年",
    )
    assert TransferRequest.objects.get(pk=plan.transfer_id).is_early


def test_the_pages(liaison_a, liaison_b, home):
    cadre = home["cadre"]
    client = client_for(liaison_a)
    page = client.get(reverse("promotions:rotation_list")).content.decode()
    assert "后备甲" in page and 'data-action="propose"' in page
    assert (
        "后备甲"
        not in client_for(liaison_b).get(reverse("promotions:rotation_list")).content.decode()
    )
    url = reverse("promotions:rotation_propose", args=[cadre.pk])
    assert client_for(liaison_b).get(url).status_code == 404
    form = client.get(url).content.decode()
    assert "A-02" in form and "B-01" not in form  # the department's windows only
    bad = client.post(url, {"window": home["there"].pk, "post": "staff"})
    assert bad.status_code == 400 and not RotationPlan.objects.exists()
    start = home["today"] + timedelta(days=3)
    done = client.post(
        url,
        {
            "window": home["there"].pk,
            "post": "staff",
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(days=400)).isoformat(),
        },
    )
    assert done.status_code == 302
    plan = RotationPlan.objects.get()
    assert (
        client_for(liaison_b).post(reverse("promotions:rotation_start", args=[plan.pk])).status_code
        == 404
    )
    assert client.post(reverse("promotions:rotation_start", args=[plan.pk])).status_code == 302
    page = client.get(reverse("promotions:rotation_list")).content.decode()
    assert 'data-testid="rotation-transfer"' in page and 'data-action="start-rotation"' not in page


def test_the_rotations_page_runs_constant_queries(admin_user, liaison_a, home, dept_a):
    client = client_for(liaison_a)
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            person = StaffFactory(department=dept_a, name=f"后备{next(counter)}")
            StationingFactory(
                staff=person, window=home["here"], start_date=home["today"] - timedelta(900)
            )
            services.reserve_mark(actor=admin_user, staff=person, reserve=True)
            plan = _propose(liaison_a, home, staff=person)
            services.rotation_plan_start(actor=liaison_a, plan=plan)

    def call():
        assert client.get(reverse("promotions:rotation_list")).status_code == 200

    grow()
    assert_constant_queries(call, grow, at_most=12)
