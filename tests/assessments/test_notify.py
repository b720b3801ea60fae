"""Assessment notices go through the notifications app: rows written inside the service's
transaction, e-mail from the rows after the commit (the relay), never naming the citizen who rated
or who recorded an entry to the rated person."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from notifications.models import Notification
from notifications.relay import deliver_pending

from .helpers import png


@pytest.fixture
def march(world, fixed_today):
    fixed_today(date(2026, 3, 12))


def record(world, code, person="me"):
    rule = world["rules"][code]
    files = [png()] if rule.evidence_required else []
    return entry_record(
        actor=world["admin"],
        staff=world[person],
        rule=rule,
        date=date(2026, 3, 10),
        files=files,
        window=world["window_a"],
    )


def texts(rows):
    return " ".join(r.title + " " + r.body for r in rows)


def test_entry_notice_is_a_row_of_the_transaction_and_mailed_by_the_relay(
    world, march, admin_user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = record(world, "Q01")  # joint liability: the chief gets a share
        rows = list(Notification.objects.order_by("recipient_id"))
    assert len(callbacks) == 1 and not mail.outbox  # nothing sent before the commit
    by_user = {r.recipient_id: r for r in rows}
    assert set(by_user) == {staff_user.pk, world["chief"].user_id} - {None}
    mine = by_user[staff_user.pk]
    assert mine.kind == "assessment.deduction_recorded" and mine.subject_id == entry.pk
    assert "扣" in mine.title and "Q01" in mine.body and "申诉" in mine.body
    assert admin_user.username not in texts(rows)  # who recorded it is not said
    deliver_pending()
    assert [m.to for m in mail.outbox] == [["window@example.org"]]


def test_joint_share_notice_says_so(world, march, django_capture_on_commit_callbacks):
    from staff.models import User

    chief_user = User.objects.create_user(username="chief", email="chief@example.org")
    world["chief"].user = chief_user
    world["chief"].save()
    record(world, "Q01")
    notice = Notification.objects.get(recipient=chief_user)
    assert "连带" in notice.body or "首席代表" in notice.body


def test_rollback_writes_no_notice(world, march):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(world, "D01")
        assert Notification.objects.exists()
        raise RuntimeError
    assert not Notification.objects.exists()


def bad_rating(world, admin_user):
    return rating_record(
        actor=admin_user,
        event_ref="EV-N1",
        window=world["window_a"],
        staff=world["me"],
        level="1",
        served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
        comment="态度差",
        rater_name="赵某某",
        rater_phone="13822223333",
    )


def test_bad_rating_tells_the_person_and_the_liaisons_never_the_rater(
    world, admin_user, staff_user, liaison_a, liaison_b
):
    case = bad_rating(world, admin_user).rectification
    rows = list(Notification.objects.filter(kind="assessment.rectification_opened"))
    assert {r.recipient_id for r in rows} == {staff_user.pk, liaison_a.pk}
    assert all(r.subject_id == case.pk for r in rows)
    assert "EV-N1" in texts(rows) and "A01" in texts(rows)
    for secret in ("赵某某", "13822223333", "态度差"):
        assert secret not in texts(rows)


def test_case_steps_tell_the_other_side_not_the_actor(world, admin_user, staff_user, liaison_a):
    case = bad_rating(world, admin_user).rectification
    case = rectification_step(actor=admin_user, case=case, action="confirm")
    confirmed = Notification.objects.filter(kind="assessment.rectification_changed")
    assert {r.recipient_id for r in confirmed} == {staff_user.pk, liaison_a.pk}
    assert "已确认" in confirmed.first().title
    rectification_step(actor=staff_user, case=case, action="start", note="已致歉")
    started = Notification.objects.filter(
        kind="assessment.rectification_changed", title__contains="整改中"
    )
    assert {r.recipient_id for r in started} == {admin_user.pk, liaison_a.pk}
    for secret in ("赵某某", "13822223333"):
        assert secret not in texts(Notification.objects.all())


def test_the_home_department_hears_of_its_own_peoples_entries_and_appeals(
    world, march, admin_user, staff_user, liaison_a, liaison_b
):
    from assessments.services.appeals import appeal_submit

    deduction = record(world, "D01")
    bonus = record(world, "B01")
    home = Notification.objects.filter(recipient=liaison_a)
    kinds = {(row.kind, row.subject_id) for row in home}
    assert ("assessment.home_deduction", deduction.pk) in kinds
    assert ("assessment.home_bonus", bonus.pk) in kinds
    notice = home.get(kind="assessment.home_deduction")
    assert world["me"].name in notice.title and "A01" in notice.body and "D01" in notice.body
    assert admin_user.username not in texts(home)  # who recorded it is not said
    assert not Notification.objects.filter(recipient=liaison_b).exists()  # another department
    appeal_submit(actor=staff_user, entry=deduction, reason="当天系统故障，非本人原因")
    appeal = Notification.objects.get(recipient=liaison_a, kind="assessment.home_appeal")
    assert "系统故障" in appeal.body


def test_entries_in_bulk_tell_the_home_departments_in_constant_queries(
    world, march, liaison_a, liaison_b, django_assert_max_num_queries
):
    from assessments.notify import entries_recorded
    from assessments.services.entries import entry_record as record_entry

    entries = [
        record_entry(
            actor=world["admin"],
            staff=world[who],
            rule=world["rules"]["D01"],
            date=date(2026, 3, 9),
        )
        for who in ("me", "person_a", "person_b")
    ]
    Notification.objects.all().delete()
    from assessments.models import Entry

    loaded = list(
        Entry.objects.select_related("staff", "rule").filter(pk__in=[e.pk for e in entries])
    )
    with django_assert_max_num_queries(8):
        entries_recorded(loaded)
    assert (
        Notification.objects.filter(recipient=liaison_a, kind="assessment.home_deduction").count()
        == 2
    )
    assert (
        Notification.objects.filter(recipient=liaison_b, kind="assessment.home_deduction").count()
        == 1
    )
