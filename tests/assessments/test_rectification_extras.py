"""Deadline extensions (the rated side asks, the center decides) and call-backs (issue #18)."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import ExtensionStatus, RatingCallBack
from assessments.services.ratings import rating_record
from assessments.services.rectification_extras import (
    callback_record,
    extension_decide,
    extension_request,
)
from core.workdays import add_working_days
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, admin_user):
    return rating_record(
        actor=admin_user,
        event_ref="EXT-1",
        window=world["window_a"],
        staff=world["me"],
        level="2",
        served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
        received_at=timezone.make_aware(datetime(2026, 3, 2, 10, 5)),
    ).rectification


def test_request_approve_moves_the_deadline_and_logs(case, staff_user, admin_user):
    before = case.deadline
    ext = extension_request(actor=staff_user, case=case, days=5, reason="需协调窗口排班")
    assert ext.status == ExtensionStatus.PENDING
    assert Notification.objects.filter(
        kind="assessment.extension_requested", recipient=admin_user
    ).exists()
    with pytest.raises(ValidationError):  # one pending request at a time
        extension_request(actor=staff_user, case=case, days=3, reason="再延")
    with pytest.raises(PermissionDenied):  # the rated side does not decide
        extension_decide(actor=staff_user, extension=ext, approve=True)
    ext = extension_decide(actor=admin_user, extension=ext, approve=True, note="同意")
    case.refresh_from_db()
    assert case.deadline == add_working_days(before, 5) == ext.deadline_after
    assert ext.deadline_before == before and ext.decided_by == admin_user
    assert before.isoformat() in case.log.last().note
    assert Notification.objects.filter(
        kind="assessment.extension_decided", recipient=staff_user
    ).exists()
    with pytest.raises(ValidationError):
        extension_decide(actor=admin_user, extension=ext, approve=False, note="再议")


def test_refuse_needs_a_reason_and_keeps_the_deadline(case, staff_user, admin_user):
    before = case.deadline
    ext = extension_request(actor=staff_user, case=case, days=2, reason="材料未齐")
    with pytest.raises(ValidationError):
        extension_decide(actor=admin_user, extension=ext, approve=False)
    ext = extension_decide(actor=admin_user, extension=ext, approve=False, note="时限充足")
    case.refresh_from_db()
    assert ext.status == ExtensionStatus.REFUSED and case.deadline == before
    # after a decision the next request is allowed
    assert extension_request(actor=staff_user, case=case, days=1, reason="又一次").pk


def test_who_may_ask(case, world, staff_user, hr_user, liaison_a, settings):
    with pytest.raises(PermissionDenied):
        extension_request(actor=hr_user, case=case, days=2, reason="x")
    with pytest.raises(ValidationError):
        extension_request(actor=staff_user, case=case, days=0, reason="x")
    with pytest.raises(ValidationError):
        extension_request(actor=staff_user, case=case, days=2, reason=" ")
    settings.ASSESSMENTS = {"RECTIFICATION_EXTENSION_MAX_WORKING_DAYS": 3}
    with pytest.raises(ValidationError):
        extension_request(actor=staff_user, case=case, days=4, reason="x")
    assert extension_request(actor=liaison_a, case=case, days=3, reason="部门申请").pk


def test_pages(case, staff_user, admin_user, liaison_b, as_user):
    page = f"/rectifications/{case.pk}/"
    asked = as_user(staff_user).post(f"{page}extension/", {"days": "4", "reason": "需补充材料"})
    assert asked.status_code == 302
    ext = case.extensions.get()
    assert (
        as_user(liaison_b).post(f"{page}extension/", {"days": "1", "reason": "x"}).status_code
        == 404
    )
    decide = f"/rectifications/extensions/{ext.pk}/decide/"
    assert as_user(staff_user).post(decide, {"approve": "1"}).status_code == 403
    assert as_user(liaison_b).post(decide, {"approve": "1"}).status_code == 403
    refused = as_user(admin_user).post(decide, {"approve": "0"})
    assert refused.status_code == 400 and "请填写理由。" in refused.content.decode()  # no reason
    assert as_user(admin_user).post(decide, {"approve": "1", "note": ""}).status_code == 302
    shown = as_user(admin_user).get(page).content.decode()
    assert "需补充材料" in shown and 'data-testid="call-backs"' in shown


def test_call_backs(case, world, admin_user, staff_user, as_user):
    page = f"/rectifications/{case.pk}/"
    form = {
        "called_at": "2026-03-05T10:00",
        "reached": "1",
        "confirms_rating": "1",
        "satisfaction_after": "4",
        "note": "群众认可整改",
    }
    assert as_user(staff_user).post(f"{page}call-backs/", form).status_code == 403
    assert as_user(admin_user).post(f"{page}call-backs/", form).status_code == 302
    call = RatingCallBack.objects.get()
    assert call.case == case and call.caller == admin_user and call.confirms_rating is True
    assert "群众认可整改" in as_user(admin_user).get(page).content.decode()
    assert "群众认可整改" not in as_user(staff_user).get(page).content.decode()  # not the rated
    with pytest.raises(ValidationError):  # not reached: nothing to confirm
        callback_record(
            actor=admin_user,
            rating=case.rating,
            called_at=timezone.now(),
            reached=False,
            confirms_rating=True,
        )
    api = APIClient()
    api.force_login(admin_user)
    made = api.post(
        "/api/v1/rating-call-backs/",
        {"rating": case.rating_id, "called_at": "2026-03-06T10:00:00+08:00", "reached": False},
        format="json",
    )
    assert made.status_code == 201 and made.json()["case"] == case.pk
    assert len(api.get("/api/v1/rating-call-backs/").json()["results"]) == 2


def test_extension_api(case, staff_user, admin_user):
    api = APIClient()
    api.force_login(staff_user)
    made = api.post(
        "/api/v1/rectification-extensions/",
        {"case": case.pk, "days": 3, "reason": "系统故障"},
        format="json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (
        api.post(
            f"/api/v1/rectification-extensions/{pk}/decide/", {"approve": True}, format="json"
        ).status_code
        == 403
    )
    api.force_login(admin_user)
    decided = api.post(
        f"/api/v1/rectification-extensions/{pk}/decide/", {"approve": True}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
