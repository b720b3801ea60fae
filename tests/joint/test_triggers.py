"""Suggested talks: the registry and the built-in triggers."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from joint import services, triggers
from joint.models import TalkKind
from joint.triggers import SuggestedTalk, suggested_talks
from staff.models import StaffStatus
from tests.conftest import client_for
from tests.queries import count_queries

from ..factories import StaffFactory
from .factories import StationingFactory, TalkFactory

TODAY = date(2026, 6, 30)


def reasons(department_ids=None, today=TODAY):
    return {(s.staff_id, s.reason, s.since, s.kind) for s in suggested_talks(department_ids, today)}


def test_twelve_months_without_a_talk(dept_a, dept_b):
    never = StationingFactory(staff__department=dept_a, start_date=date(2025, 1, 1)).staff
    recent = StationingFactory(staff__department=dept_a, start_date=date(2025, 12, 1)).staff
    old_talk = StationingFactory(staff__department=dept_a, start_date=date(2023, 1, 1)).staff
    TalkFactory(staff=old_talk, date=date(2025, 6, 30))
    TalkFactory(staff=old_talk, date=date(2024, 1, 1))
    fresh_talk = StationingFactory(staff__department=dept_a, start_date=date(2023, 1, 1)).staff
    TalkFactory(staff=fresh_talk, date=date(2025, 7, 1))
    ended = StationingFactory(
        staff__department=dept_a, start_date=date(2023, 1, 1), end_date=date(2025, 1, 1)
    ).staff
    left = StationingFactory(staff__department=dept_a, start_date=date(2023, 1, 1)).staff
    left.status = StaffStatus.LEFT
    left.save()
    other_dept = StationingFactory(staff__department=dept_b, start_date=date(2024, 1, 1)).staff

    found = reasons(frozenset({dept_a.pk}))
    assert found == {
        (never.pk, "no_talk_12_months", date(2025, 1, 1), TalkKind.ROUTINE),
        (old_talk.pk, "no_talk_12_months", date(2025, 6, 30), TalkKind.ROUTINE),
    }
    assert not {recent.pk, fresh_talk.pk, ended.pk, left.pk} & {s[0] for s in found}
    assert (other_dept.pk, "no_talk_12_months", date(2024, 1, 1), "routine") in reasons(None)


def test_transfer_in_the_last_30_days(dept_a):
    arrived = StationingFactory(staff__department=dept_a, start_date=date(2026, 6, 15)).staff
    moved_on = StationingFactory(
        staff__department=dept_a, start_date=date(2024, 1, 1), end_date=date(2026, 6, 10)
    ).staff
    talked = StationingFactory(staff__department=dept_a, start_date=date(2026, 6, 15)).staff
    TalkFactory(staff=talked, date=date(2026, 6, 20))
    talked_before = StationingFactory(staff__department=dept_a, start_date=date(2026, 6, 15)).staff
    TalkFactory(staff=talked_before, date=date(2026, 6, 14))
    long_ago = StationingFactory(staff__department=dept_a, start_date=date(2026, 5, 30)).staff
    transfer = {s for s in reasons() if s[1] == "transfer"}
    assert transfer == {
        (arrived.pk, "transfer", date(2026, 6, 15), TalkKind.AFTER_TRANSFER),
        (moved_on.pk, "transfer", date(2026, 6, 10), TalkKind.AFTER_TRANSFER),
        (talked_before.pk, "transfer", date(2026, 6, 15), TalkKind.AFTER_TRANSFER),
    }
    assert long_ago.pk not in {s[0] for s in transfer}


def test_a_request_from_the_persons_page_reaches_the_department_list(
    staff_user, liaison_a, liaison_b
):
    response = client_for(staff_user).post(reverse("joint:talk_request"), {"message": "排班"})
    assert response.status_code == 302
    person = staff_user.staff_profile
    assert (person.pk, "requested", TalkKind.ON_REQUEST) in {
        (s[0], s[1], s[3]) for s in reasons(today=date.today())
    }
    page = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    section = page.split('data-section="joint-suggested"')[1].split("</ul>")[0]
    assert person.name in section and "本人提出" in section
    assert (
        person.name not in client_for(liaison_b).get(reverse("joint:department")).content.decode()
    )
    # recording the talk settles it
    services.talk_record(
        actor=liaison_a,
        staff=person,
        date=date.today(),
        talker_kind="liaison",
        talker_names="王",
        kind="on_request",
    )
    assert person.pk not in {s[0] for s in reasons(today=date.today()) if s[1] == "requested"}


def test_the_registry_takes_new_triggers(dept_a):
    person = StaffFactory(department=dept_a)

    def deductions(department_ids, today):
        return [
            SuggestedTalk(
                staff_id=person.pk, reason="deductions", since=today, kind=TalkKind.AFTER_DEDUCTION
            )
        ]

    triggers.register_trigger("deductions", "Repeated deductions", deductions)
    try:
        assert (person.pk, "deductions", TODAY, "after_deduction") in reasons()
        assert triggers.reason_labels()["deductions"] == "Repeated deductions"
    finally:
        del triggers._TRIGGERS["deductions"]


@pytest.mark.parametrize("grow_by", [5])
def test_triggers_run_constant_queries(dept_a, grow_by):
    def grow():
        for n in range(grow_by):
            s = StationingFactory(staff__department=dept_a, start_date=TODAY - timedelta(days=n))
            StationingFactory(staff__department=dept_a, start_date=date(2024, 1, 1))
            TalkFactory(staff=s.staff, date=date(2024, 1, 1))

    grow()
    before = count_queries(lambda: suggested_talks(None, TODAY))
    grow()
    # 4 for the original three triggers, at most 2 for each of the three assessment ones
    assert count_queries(lambda: suggested_talks(None, TODAY)) == before <= 10
