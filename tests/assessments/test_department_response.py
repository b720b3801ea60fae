"""The home department acts on its windows' bad-rating cases (issue #16): its liaison appeals,
replies and starts rectifying, and records the measures the department took ("respond"),
through ``rectification_step`` — audited, logged, the center told; another department's case
answers 404, and the list a liaison reaches from their home runs constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Rectification, RectificationLog, RectificationStatus
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from notifications.models import Notification
from tests.conftest import client_for
from tests.queries import assert_constant_queries

R = RectificationStatus


def _case(world, admin, ref="EV-DR1", window="window_a", staff="me"):
    served = timezone.now() - timedelta(hours=3)
    return rating_record(
        actor=admin,
        event_ref=ref,
        window=world[window],
        staff=world[staff],
        level="1",
        served_at=served,
        received_at=served + timedelta(minutes=5),
    ).rectification


def test_the_liaison_takes_the_departments_steps(world, admin_user, liaison_a):
    case = _case(world, admin_user)
    case = rectification_step(
        actor=liaison_a, case=case, action="appeal", note="评价人误按，窗口有录音录像"
    )
    assert case.status == R.PENDING and case.appeal_reason.startswith("评价人误按")
    case = rectification_step(actor=admin_user, case=case, action="confirm")
    case = rectification_step(
        actor=liaison_a, case=case, action="start", note="已向群众致歉并说明补正材料清单"
    )
    assert case.status == R.RECTIFYING and case.reply.startswith("已向群众致歉")
    before = Notification.objects.filter(recipient=admin_user).count()
    case = rectification_step(
        actor=liaison_a,
        case=case,
        action="respond",
        note="单位已对当事人谈话提醒，组织窗口一次性告知业务再培训",
    )
    stored = Rectification.objects.get(pk=case.pk)
    assert stored.status == R.RECTIFYING  # a statement, not a move
    assert stored.department_response.startswith("单位已对当事人谈话提醒")
    assert stored.department_responded_by == liaison_a and stored.department_responded_at
    log = RectificationLog.objects.filter(case=case).order_by("at", "id").last()
    assert log.actor == liaison_a and log.note == stored.department_response
    entry = LogEntry.objects.get_for_object(stored).filter(actor=liaison_a).latest("timestamp")
    assert "department_response" in entry.changes_dict
    assert Notification.objects.filter(recipient=admin_user).count() == before + 1  # the center


def test_refused_steps_change_nothing(world, admin_user, liaison_a, liaison_b):
    case = _case(world, admin_user)
    with pytest.raises(PermissionDenied):  # not their department's window
        rectification_step(actor=liaison_b, case=case, action="appeal", note="理由")
    with pytest.raises(PermissionDenied):  # the center's step
        rectification_step(actor=liaison_a, case=case, action="confirm")
    with pytest.raises(ValidationError):  # measures are recorded while rectifying
        rectification_step(actor=liaison_a, case=case, action="respond", note="措施")
    case = rectification_step(actor=admin_user, case=case, action="confirm")
    case = rectification_step(actor=liaison_a, case=case, action="start", note="已回复")
    with pytest.raises(ValidationError) as caught:
        rectification_step(actor=liaison_a, case=case, action="respond", note="  ")
    assert "note" in caught.value.error_dict
    stored = Rectification.objects.get(pk=case.pk)
    assert stored.department_response == "" and stored.department_responded_at is None
    assert stored.appeal_reason == ""


def test_the_page_and_the_api(world, admin_user, liaison_a, liaison_b):
    case = _case(world, admin_user)
    other = _case(world, admin_user, ref="EV-DR2", window="window_b", staff="person_b")
    rectification_step(actor=admin_user, case=case, action="confirm")
    client = client_for(liaison_a)
    detail = reverse("assessments:rectification_detail", args=[case.pk])
    assert 'data-action="start"' in client.get(detail).content.decode()
    step = reverse("assessments:rectification_step", args=[case.pk])
    assert client.post(step, {"action": "start", "note": "已回复群众"}).status_code == 302
    page = client.get(detail).content.decode()
    assert 'data-action="respond"' in page
    empty = client.post(step, {"action": "respond", "note": ""})
    assert empty.status_code == 400 and "请说明单位采取的整改措施" in empty.content.decode()
    assert client.post(step, {"action": "respond", "note": "已约谈当事人"}).status_code == 302
    page = client.get(detail).content.decode()
    assert "已约谈当事人" in page.split('data-testid="department-response"')[1].split("</dd>")[0]
    # another department's case: 404 on the page and in the API
    other_step = reverse("assessments:rectification_step", args=[other.pk])
    assert client.post(other_step, {"action": "appeal", "note": "x"}).status_code == 404
    api = APIClient()
    api.force_authenticate(liaison_a)
    assert api.post(f"/api/v1/rectifications/{other.pk}/appeal/", {"note": "x"}).status_code == 404
    answered = api.post(f"/api/v1/rectifications/{case.pk}/respond/", {"note": "补充培训两次"})
    assert answered.status_code == 200 and answered.json()["department_response"] == "补充培训两次"
    b = APIClient()
    b.force_authenticate(liaison_b)
    assert b.post(f"/api/v1/rectifications/{case.pk}/respond/", {"note": "x"}).status_code == 404


def test_the_liaisons_open_cases_run_constant_queries(world, admin_user, liaison_a):
    counter = iter(range(1000))

    def grow():
        for _ in range(3):
            _case(world, admin_user, ref=f"EV-Q{next(counter)}")
            _case(
                world, admin_user, ref=f"EV-Q{next(counter)}", window="window_b", staff="person_b"
            )

    client = client_for(liaison_a)
    url = reverse("assessments:rectification_list") + "?status=open"

    def call():
        response = client.get(url)
        assert response.status_code == 200
        assert all(
            c.department_id == world["window_a"].department_id for c in response.context["page"]
        )

    grow()
    assert_constant_queries(call, grow, at_most=8)
    assert len(client.get(url).context["page"]) == 6  # their own only
