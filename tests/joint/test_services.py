"""Services: visits, talks, talk requests and the follow-up state machine — new state, audit
entry, side effects queued after commit, and refusals that change nothing."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joint import events, services
from joint.models import FollowUp, FollowUpState, Talk, TalkRequest, TalkRequestState, Visit

from .factories import FollowUpFactory, TalkFactory, WindowFactory

OPEN, WORKING, DONE = FollowUpState.OPEN, FollowUpState.IN_PROGRESS, FollowUpState.RESOLVED


@pytest.fixture
def received():
    got = []

    def handler(kind, **ids):
        got.append((kind, ids))

    events.subscribe(handler)
    yield got
    events._HANDLERS.remove(handler)


def entries_for(obj):
    return LogEntry.objects.filter(content_type__model=obj._meta.model_name, object_pk=str(obj.pk))


# --- visits ---------------------------------------------------------------------------------------


def test_visit_records_windows_and_audit(liaison_a, dept_a):
    window = WindowFactory(department=dept_a)
    visit = services.visit_record(
        actor=liaison_a,
        department=dept_a,
        date=date(2026, 3, 2),
        visitors="李局长（局长）、王科长",
        windows=[window],
        visitor_users=[liaison_a],
    )
    assert list(visit.windows.all()) == [window]
    entries = list(entries_for(visit))  # the row and its two relations
    assert len(entries) == 3 and {e.actor for e in entries} == {liaison_a}


def test_visit_refuses_another_departments_window(liaison_a, dept_a, dept_b):
    foreign = WindowFactory(department=dept_b, code="B99")
    with pytest.raises(ValidationError) as info:
        services.visit_record(
            actor=liaison_a,
            department=dept_a,
            date=date(2026, 3, 2),
            visitors="x",
            windows=[foreign],
        )
    assert "B99" in str(info.value)
    assert not Visit.objects.exists()


def test_visit_refuses_another_department_and_the_future(liaison_a, dept_a, dept_b):
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=liaison_a, department=dept_b, date=date(2026, 3, 2), visitors="x"
        )
    with pytest.raises(ValidationError):
        services.visit_record(
            actor=liaison_a,
            department=dept_a,
            visitors="x",
            date=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.visit_record(
            actor=liaison_a, department=dept_a, date=date(2026, 3, 2), visitors="  "
        )
    assert not Visit.objects.exists()


# --- talks and requests ---------------------------------------------------------------------------


def talk_kwargs(**extra):
    return {
        "date": date(2026, 3, 2),
        "talker_kind": "leader",
        "talker_names": "李局长",
        "kind": "routine",
        "topics": "t",
        **extra,
    }


def test_talk_settles_the_open_request(
    liaison_a, liaison_b, staff_user, received, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import services as notifications
    from notifications.models import Notification

    delivered = []
    monkeypatch.setattr(notifications, "enqueue_delivery", lambda: delivered.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        request = services.talk_request_create(actor=staff_user, message="想谈谈排班")
    assert received == [
        ("talk_requested", {"request_id": request.pk, "staff_id": staff_user.staff_profile.pk})
    ]
    note = Notification.objects.get(kind="joint.talk_requested")  # liaison A only, not B
    assert note.recipient == liaison_a and staff_user.staff_profile.name in note.title
    assert delivered == [True]  # e-mail queued after commit
    with pytest.raises(ValidationError):
        services.talk_request_create(actor=staff_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        talk = services.talk_record(
            actor=liaison_a, staff=staff_user.staff_profile, **talk_kwargs(kind="on_request")
        )
    assert len(callbacks) == 1  # queued, not yet sent
    assert len(received) == 1
    request.refresh_from_db()
    assert (request.state, request.talk) == (TalkRequestState.DONE, talk)
    assert entries_for(talk).get().actor == liaison_a


def test_talk_refuses_out_of_scope_people_and_bad_choices(liaison_b, liaison_a, person_a):
    with pytest.raises(PermissionDenied):
        services.talk_record(actor=liaison_b, staff=person_a, **talk_kwargs())
    with pytest.raises(ValidationError):
        services.talk_record(actor=liaison_a, staff=person_a, **talk_kwargs(level="secret"))
    with pytest.raises(PermissionDenied):
        services.talk_record(actor=None, staff=person_a, **talk_kwargs())
    assert not Talk.objects.exists()


def test_only_window_staff_with_a_record_may_request(liaison_a, db):
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.talk_request_create(actor=liaison_a)
    with pytest.raises(PermissionDenied):
        services.talk_request_create(actor=UserFactory(role="staff"))
    assert not TalkRequest.objects.exists()


def test_follow_up_due_date_cannot_precede_the_talk(liaison_a, person_a):
    talk = TalkFactory(staff=person_a, author=liaison_a, date=date(2026, 3, 2))
    with pytest.raises(ValidationError):
        services.follow_up_add(
            actor=liaison_a, talk=talk, description="d", owner="o", due_date=date(2026, 3, 1)
        )
    assert not FollowUp.objects.exists()


# --- the follow-up state machine ------------------------------------------------------------------


@pytest.fixture
def item(liaison_a, person_a):
    return FollowUpFactory(talk=TalkFactory(staff=person_a, author=liaison_a))


ALLOWED = [
    # (from, to, role persona, allowed?)
    (OPEN, WORKING, "liaison_a", True),
    (OPEN, WORKING, "admin_user", True),
    (OPEN, DONE, "liaison_a", True),
    (WORKING, DONE, "liaison_a", True),
    (WORKING, OPEN, "liaison_a", True),
    (DONE, WORKING, "admin_user", True),
    (DONE, WORKING, "liaison_a", False),
    (DONE, OPEN, "admin_user", False),
    (OPEN, OPEN, "admin_user", False),
    (WORKING, WORKING, "liaison_a", False),
]


@pytest.mark.parametrize(("frm", "to", "who", "allowed"), ALLOWED)
def test_transition_table(
    request, item, frm, to, who, allowed, received, django_capture_on_commit_callbacks
):
    actor = request.getfixturevalue(who)
    FollowUp.objects.filter(pk=item.pk).update(
        state=frm, resolved_on=date(2026, 3, 1) if frm == DONE else None
    )
    before = entries_for(item).count()
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            done = services.follow_up_transition(actor=actor, follow_up=item, to=to, note="已协调")
        assert done.state == to
        assert (done.resolved_on is not None) is (to == DONE)
        entry = entries_for(item).latest("timestamp")
        assert entries_for(item).count() == before + 1
        assert entry.actor == actor and entry.additional_data["reason"] == "已协调"
        assert received == [("follow_up_changed", {"follow_up_id": item.pk, "state": to})]
    else:
        with pytest.raises((ValidationError, PermissionDenied)):
            services.follow_up_transition(actor=actor, follow_up=item, to=to, note="x")
        item.refresh_from_db()
        assert item.state == frm
        assert entries_for(item).count() == before
        assert received == []


def test_resolving_needs_a_note(item, liaison_a):
    with pytest.raises(ValidationError) as info:
        services.follow_up_transition(actor=liaison_a, follow_up=item, to=DONE, note=" ")
    assert "note" in info.value.message_dict
    item.refresh_from_db()
    assert item.state == OPEN


def test_the_service_rereads_the_state(item, liaison_a):
    stale = FollowUp.objects.get(pk=item.pk)
    services.follow_up_transition(actor=liaison_a, follow_up=item, to=DONE, note="好了")
    with pytest.raises(ValidationError):  # the stale copy still says "open"
        services.follow_up_transition(actor=liaison_a, follow_up=stale, to=DONE, note="again")


def test_transition_refuses_those_who_cannot_read_the_talk(
    liaison_a, liaison_a2, admin_user, person_a, liaison_b, hr_user, staff_user
):
    private = FollowUpFactory(talk=TalkFactory(staff=person_a, author=liaison_a, level="private"))
    for actor in (liaison_a2, admin_user, liaison_b, hr_user, staff_user):
        with pytest.raises(PermissionDenied):
            services.follow_up_transition(actor=actor, follow_up=private, to=WORKING)
    private.refresh_from_db()
    assert private.state == OPEN


def test_follow_ups_due_for_the_reminder_sweep(item, liaison_a):
    from joint.selectors import follow_ups_due

    today = item.due_date
    other = FollowUpFactory(talk=item.talk, due_date=today + timedelta(days=1))
    resolved = FollowUpFactory(talk=item.talk, due_date=today - timedelta(days=3))
    services.follow_up_transition(actor=liaison_a, follow_up=resolved, to=DONE, note="ok")
    assert list(follow_ups_due(today)) == [item]
    assert set(follow_ups_due(today + timedelta(days=1))) == {item, other}
