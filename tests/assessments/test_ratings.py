"""Citizen ratings: import all-or-nothing with row errors, the API hiding the rater, the
rectification state machine, GB/T 39734 statistics."""

from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Rating, Rectification, RectificationLog, RectificationStatus
from assessments.selectors import rating_statistics
from assessments.services.rating_import import rating_import
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from core.spreadsheets import csv_bytes
from core.workdays import add_working_days
from notifications.models import Notification
from notifications.relay import deliver_pending

HEAD = [
    "服务事件编号",
    "窗口编号",
    "工号",
    "事项编码",
    "评价等级",
    "评价渠道",
    "办理时间",
    "评价内容",
    "评价人",
    "评价人电话",
]


def csv_file(rows):
    return csv_bytes(HEAD, rows)


def good_rows(world):
    me = world["me"].staff_number
    return [
        [
            "EV-1",
            "A01",
            me,
            "SCJG-001",
            "非常满意",
            "现场",
            "2026-03-02 10:00",
            "",
            "张某",
            "13900000000",
        ],
        [
            "EV-2",
            "A01",
            me,
            "",
            "不满意",
            "网上",
            "2026-03-03 11:00",
            "等太久",
            "李某",
            "13900000001",
        ],
        ["EV-3", "B01", world["person_b"].staff_number, "", "未评价", "", "2026-03-03", "", "", ""],
    ]


def test_import_with_bad_rows_writes_nothing_and_lists_every_row(world, admin_user):
    rows = good_rows(world) + [
        ["EV-1", "A01", "", "", "满意", "现场", "2026-03-04", "", "", ""],  # duplicate in file
        ["EV-5", "ZZ9", "", "", "满意", "现场", "2026-03-04", "", "", ""],  # unknown window
        ["EV-6", "A01", "NOPE", "", "很好", "现场", "不是日期", "", "", ""],
        [
            "EV-7",
            "A01",
            world["person_b"].staff_number,
            "",
            "满意",
            "现场",
            "2026-03-04",
            "",
            "",
            "",
        ],
    ]
    result = rating_import(actor=admin_user, content=csv_file(rows), filename="r.csv", commit=True)
    assert not result.committed and not result.ok
    bad = {row.number: row.errors for row in result.bad_rows}
    assert sorted(bad) == [5, 6, 7, 8]
    assert "这个服务事件在文件中出现了两次。" in bad[5]
    assert any("ZZ9" in e for e in bad[6])
    assert len(bad[7]) == 3  # unknown person, unknown level, bad date
    assert bad[8] == ["该人员当天不在此窗口。"]
    assert not Rating.objects.exists() and not Rectification.objects.exists()


def test_import_commits_and_opens_cases(world, admin_user, django_capture_on_commit_callbacks):
    preview = rating_import(
        actor=admin_user, content=csv_file(good_rows(world)), filename="r.csv", commit=False
    )
    assert preview.ok and not Rating.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = rating_import(
            actor=admin_user, content=csv_file(good_rows(world)), filename="r.csv", commit=True
        )
    assert result.committed and result.bad_count == 1
    assert Rating.objects.count() == 3
    case = Rectification.objects.get()
    assert case.rating.event_ref == "EV-2" and case.status == RectificationStatus.PENDING
    # 15 working days from when the file reached the system (issue #18), not from the service
    assert case.opened_on == timezone.localdate()
    assert case.deadline == add_working_days(timezone.localdate(), 15)
    assert RectificationLog.objects.filter(case=case).count() == 1
    assert LogEntry.objects.filter(additional_data__bulk="import").count() == 2
    # the notice is a row written with the import; e-mail goes out from it via the relay
    notice = Notification.objects.get(kind="assessment.rectification_opened")
    assert notice.recipient == world["me"].user and notice.subject_id == case.pk
    assert "EV-2" in notice.title and notice.link.endswith(f"/rectifications/{case.pk}/")
    assert "李某" not in notice.title + notice.body and "13900000001" not in notice.body
    deliver_pending()
    # the rated person, and the center's alert (issue #18; the chief has no login here)
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "window@example.org"]


def test_import_refuses_unreadable_files_and_roles(world, admin_user, liaison_a):
    from staff.roster import RosterFileError

    with pytest.raises(RosterFileError):
        rating_import(actor=admin_user, content=b"x", filename="r.txt", commit=False)
    with pytest.raises(RosterFileError):
        rating_import(
            actor=admin_user, content=csv_bytes(["a"], [["1"]]), filename="r.csv", commit=False
        )
    with pytest.raises(PermissionDenied):
        rating_import(
            actor=liaison_a, content=csv_file(good_rows(world)), filename="r.csv", commit=False
        )


def test_import_page_previews_then_confirms(world, admin_user, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(admin_user)
    upload = SimpleUploadedFile("r.csv", csv_file(good_rows(world)), content_type="text/csv")
    response = client.post(reverse("assessments:rating_import"), {"file": upload})
    assert response.status_code == 200 and not Rating.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("assessments:rating_import"), {"token": token})
    assert response.status_code == 302 and Rating.objects.count() == 3


def test_api_post_and_rater_identity_hidden_from_the_rated(world, admin_user, staff_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    payload = {
        "event_ref": "EV-API-1",
        "window": "A01",
        "staff": world["me"].staff_number,
        "level": "1",
        "served_at": "2026-03-05T09:30:00+08:00",
        "rater_name": "王某",
        "rater_phone": "13911112222",
    }
    response = api.post(reverse("rating-list"), payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["rater_name"] == "王某"
    assert api.post(reverse("rating-list"), payload, format="json").status_code == 400
    api.force_authenticate(staff_user)
    body = api.get(reverse("rating-list")).json()
    assert body["count"] == 1
    assert "rater_name" not in body["results"][0] and "rater_phone" not in body["results"][0]
    case = Rectification.objects.get()
    page = APIClient()
    page.force_login(staff_user)
    html = page.get(reverse("assessments:rectification_detail", args=[case.pk])).content.decode()
    assert "王某" not in html and "13911112222" not in html


def bad_rating(world, admin_user, ref="EV-B1"):
    return rating_record(
        actor=admin_user,
        event_ref=ref,
        window=world["window_a"],
        staff=world["me"],
        level="2",
        served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
        received_at=timezone.make_aware(datetime(2026, 3, 2, 10, 5)),
    )


def test_rectification_happy_path(
    world, admin_user, staff_user, django_capture_on_commit_callbacks
):
    case = bad_rating(world, admin_user).rectification
    case = rectification_step(actor=admin_user, case=case, action="confirm")
    assert case.status == RectificationStatus.VALID
    with django_capture_on_commit_callbacks() as callbacks:
        case = rectification_step(
            actor=staff_user, case=case, action="start", note="已电话致歉并说明办理时限"
        )
    assert len(callbacks) == 1
    assert case.status == RectificationStatus.RECTIFYING and case.replied_at is not None
    with pytest.raises(ValidationError):
        rectification_step(actor=admin_user, case=case, action="finish")  # satisfaction missing
    case = rectification_step(
        actor=admin_user, case=case, action="finish", note="回访", satisfaction_after="4"
    )
    assert case.status == RectificationStatus.DONE and case.closed_at
    log = list(case.log.values_list("from_status", "to_status"))
    assert log == [
        ("", "pending"),
        ("pending", "valid"),
        ("valid", "rectifying"),
        ("rectifying", "done"),
    ]
    assert (
        LogEntry.objects.filter(content_type__model="rectification", object_pk=str(case.pk)).count()
        >= 4
    )


def test_rectification_invalid_only_on_appeal_and_roles(
    world, admin_user, staff_user, liaison_a, hr_user
):
    case = bad_rating(world, admin_user).rectification
    with pytest.raises(ValidationError):
        rectification_step(actor=admin_user, case=case, action="invalidate", note="恶意差评")
    with pytest.raises(PermissionDenied):
        rectification_step(actor=staff_user, case=case, action="confirm")
    with pytest.raises(PermissionDenied):
        rectification_step(actor=liaison_a, case=case, action="confirm")  # the center's step
    with pytest.raises(PermissionDenied):
        rectification_step(actor=hr_user, case=case, action="confirm")
    with pytest.raises(ValidationError):
        rectification_step(
            actor=staff_user, case=case, action="start", note="回复"
        )  # not valid yet
    case = rectification_step(
        actor=staff_user, case=case, action="appeal", note="评价人误操作，已有录音"
    )
    assert case.status == RectificationStatus.PENDING and case.appeal_reason
    case = rectification_step(actor=admin_user, case=case, action="invalidate", note="核实为误评")
    assert case.status == RectificationStatus.INVALID
    with pytest.raises(ValidationError):
        rectification_step(actor=admin_user, case=case, action="confirm")


def test_other_persons_case_is_refused_to_staff(world, admin_user, staff_user):
    rating = rating_record(
        actor=admin_user,
        event_ref="EV-OTHER",
        window=world["window_a"],
        staff=world["person_a"],
        level="1",
        served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
    )
    case = rectification_step(actor=admin_user, case=rating.rectification, action="confirm")
    with pytest.raises(PermissionDenied):
        rectification_step(actor=staff_user, case=case, action="start", note="回复")


def test_overdue_is_derived_from_the_deadline(world, admin_user):
    case = bad_rating(world, admin_user).rectification
    assert case.deadline == date(2026, 3, 23)
    assert case.is_overdue(date(2026, 3, 23)) is False
    assert case.is_overdue(date(2026, 3, 24)) is True
    case.status = RectificationStatus.DONE
    assert case.is_overdue(date(2030, 1, 1)) is False


def test_statistics_follow_gbt_39734(world, admin_user):
    rating_import(
        actor=admin_user, content=csv_file(good_rows(world)), filename="r.csv", commit=True
    )
    case = Rectification.objects.get()
    rectification_step(actor=admin_user, case=case, action="confirm")
    rectification_step(actor=admin_user, case=case, action="start", note="已回复")
    rectification_step(
        actor=admin_user, case=case, action="finish", note="回访", satisfaction_after="3"
    )
    rows = rating_statistics(admin_user, group="month")
    assert len(rows) == 1
    row = rows[0]
    assert (row["events"], row["rated"], row["good"], row["bad"]) == (3, 2, 1, 1)
    assert row["good_rate"] == 50.0 and row["unrated_rate"] == 33.3
    assert row["reply_rate"] == 100.0 and row["rectification_rate"] == 100.0
    assert row["satisfaction_after_rate"] == 100.0
    by_dept = {r["label"]: r for r in rating_statistics(admin_user, group="department")}
    assert by_dept["公安局"]["rated"] == 0 and by_dept["公安局"]["good_rate"] is None
