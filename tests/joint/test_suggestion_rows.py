"""Suggested talks kept as rows by the services: a write through each event's service shows the
suggestion at once (no rebuild, nothing invalidated), the talk removes it, the rows always equal
a rebuild from the source rows, the sweep is idempotent, and no department sees another's."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AppealStatus, AssessmentRule, RuleKind
from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step
from core import events
from joint import services
from joint.models import SuggestedTalk
from joint.selectors import current_suggestions
from joint.suggestions import suggestion_rebuild
from joint.tasks import suggestions_sweep
from tests.conftest import client_for
from tests.queries import count_cold_queries as count_queries
from windows import services as windows_services
from windows.models import TransferKind

from .factories import StationingFactory, TalkFactory, WindowFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def shown(person) -> set[str]:
    return set(current_suggestions(today()).filter(staff=person).values_list("reason", flat=True))


def snapshot() -> set[tuple]:
    return set(
        SuggestedTalk.objects.values_list("staff_id", "reason", "since", "kind", "due", "until")
    )


def assert_exact():
    """The rows the services kept equal a rebuild from the source rows (which writes nothing)."""
    before = snapshot()
    assert suggestion_rebuild() == {"created": 0, "updated": 0, "deleted": 0}
    assert snapshot() == before


def record_talk(actor, person, day=None):
    return services.talk_record(
        actor=actor,
        staff=person,
        date=day or today(),
        talker_kind="liaison",
        talker_names="王科长",
        kind="routine",
    )


def stationed(department, days_ago=900):
    return StationingFactory(
        staff__department=department, start_date=today() - timedelta(days=days_ago)
    )


def test_a_transfer_taking_effect_shows_at_once_and_the_talk_removes_it(
    admin_user, liaison_a, dept_a
):
    stationing = stationed(dept_a)
    person = stationing.staff
    record_talk(liaison_a, person, today() - timedelta(days=40))
    assert "transfer" not in shown(person)
    transfer = windows_services.transfer_create(
        actor=liaison_a,
        kind=TransferKind.ROTATE,
        window=stationing.window,
        to_window=WindowFactory(department=dept_a),
        outgoing=person,
        reason="轮岗",
        effective_date=today(),
    )
    windows_services.transfer_submit(actor=liaison_a, transfer=transfer)
    windows_services.transfer_approve(actor=admin_user, transfer=transfer)  # takes effect today
    assert "transfer" in shown(person)
    assert_exact()
    record_talk(liaison_a, person)
    assert "transfer" not in shown(person)
    assert_exact()


def test_recorded_deductions_show_at_once(admin_user, liaison_a, dept_a):
    stationing = stationed(dept_a)
    person = stationing.staff
    rule = AssessmentRule.objects.filter(kind=RuleKind.DEDUCTION, evidence_required=False).first()
    for days in (1, 2):
        entry_record(actor=admin_user, staff=person, rule=rule, date=today() - timedelta(days=days))
    assert "repeated_deductions" not in shown(person)
    entry_record(actor=admin_user, staff=person, rule=rule, date=today())
    assert "repeated_deductions" in shown(person)
    assert_exact()
    record_talk(liaison_a, person)
    assert "repeated_deductions" not in shown(person)
    assert_exact()


def test_an_upheld_appeal_shows_at_once(admin_user, second_admin, staff_user):
    person = staff_user.staff_profile
    StationingFactory(staff=person, start_date=today() - timedelta(days=900))
    rule = AssessmentRule.objects.filter(kind=RuleKind.DEDUCTION, evidence_required=False).first()
    entry = entry_record(actor=admin_user, staff=person, rule=rule, date=today())
    appeal = appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障，不应扣分")
    assert "appeal_upheld" not in shown(person)
    appeal_decide(actor=second_admin, appeal=appeal, outcome=AppealStatus.UPHELD, note="证据充分")
    assert "appeal_upheld" in shown(person)
    assert_exact()


def test_bad_ratings_show_at_once_and_an_invalidated_one_removes_it(admin_user, dept_a):
    stationing = stationed(dept_a)
    person, window = stationing.staff, stationing.window
    first_of_month = today().replace(day=1)
    last_month = first_of_month - timedelta(days=1)
    zone = timezone.get_current_timezone()
    ratings = []
    for n, day in enumerate((last_month, first_of_month)):
        ratings.append(
            rating_record(
                actor=admin_user,
                event_ref=f"R-{person.pk}-{n}",
                window=window,
                staff=person,
                served_at=datetime.combine(day, time(10), tzinfo=zone),
                level="1",
            )
        )
    assert "bad_ratings" in shown(person)
    assert_exact()
    case = ratings[0].rectification
    rectification_step(actor=admin_user, case=case, action="appeal", note="评价人误操作")
    rectification_step(actor=admin_user, case=case, action="invalidate", note="核实为误评")
    assert "bad_ratings" not in shown(person)
    assert_exact()


def test_the_page_shows_a_write_at_once_and_never_another_departments(
    liaison_a, liaison_b, staff_user, person_b
):
    client_for(staff_user).post(reverse("joint:talk_request"), {"message": "想谈谈排班"})
    person = staff_user.staff_profile
    page = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    assert person.name in page.split('data-section="joint-suggested"')[1].split("</ul>")[0]
    other = client_for(liaison_b).get(reverse("joint:department")).content.decode()
    assert person.name not in other
    # a row about B's person (say, before a move) is never shown on A's page
    SuggestedTalk.objects.create(
        staff=person_b, reason="requested", since=today(), due=today(), kind="on_request"
    )
    page = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    assert person_b.name not in page


def test_the_sweep_is_idempotent_and_catches_up(liaison_a, dept_a):
    never = stationed(dept_a).staff  # stationed 900 days ago, no talk: 12 months
    talked = stationed(dept_a).staff
    TalkFactory(staff=talked, date=today() - timedelta(days=10))  # written without the service
    first = suggestions_sweep()
    assert first["created"] == 2  # a 12-month row each (talked's due in a year)
    assert "no_talk_12_months" in shown(never) and "no_talk_12_months" not in shown(talked)
    with CaptureQueriesContext(connection) as second:
        assert suggestions_sweep() == {"created": 0, "updated": 0, "deleted": 0}
    writes = [
        q["sql"]
        for q in second.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


def test_a_subscribers_error_reaches_the_writer(dept_a):
    """So the writer's transaction rolls back rather than leave the rows inexact."""
    person = stationed(dept_a).staff

    def broken(**payload):
        raise RuntimeError("subscriber failed")

    events.subscribe(events.STAFF_EVENT, broken)
    try:
        with pytest.raises(RuntimeError):
            events.emit(events.STAFF_EVENT, staff_ids=[person.pk])
    finally:
        events.unsubscribe(events.STAFF_EVENT, broken)


def grow(department, liaison, n):
    for _ in range(n):
        person = stationed(department).staff
        TalkFactory(staff=person, author=liaison, date=today() - timedelta(days=400))
        stationed(department, days_ago=5)
    suggestion_rebuild()


@pytest.mark.parametrize("url_name", ["joint:department", "joint:report"])
def test_cold_queries_do_not_grow_with_the_rows(liaison_a, dept_a, url_name):
    client = client_for(liaison_a)
    url = reverse(url_name)
    grow(dept_a, liaison_a, 4)
    client.get(url)
    at_n = count_queries(lambda: client.get(url))
    grow(dept_a, liaison_a, 4)
    assert count_queries(lambda: client.get(url)) == at_n <= 20
    assert current_suggestions(today()).filter(staff__department=dept_a).count() >= 16


def test_the_sweep_is_on_the_beat_schedule(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["joint-suggested-talks"]
    assert entry["task"] == "joint.tasks.suggestions_sweep"
    assert entry["task"] in app.tasks
