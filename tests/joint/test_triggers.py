"""Suggested talks: the registry and the built-in triggers, read from the rows
(``joint.SuggestedTalk``) the rebuild and the services keep."""

from datetime import date, timedelta

from django.urls import reverse

from joint import services, triggers
from joint.models import TalkKind
from joint.selectors import current_suggestions
from joint.suggestions import suggestion_rebuild, suggestion_refresh
from joint.triggers import Suggestion
from staff.models import StaffStatus
from tests.conftest import client_for
from tests.queries import count_queries

from ..factories import StaffFactory
from .factories import StationingFactory, TalkFactory

TODAY = date(2026, 6, 30)


def shown(department=None, today=TODAY):
    """The rows shown on ``today`` (of ``department``), without recomputing anything."""
    qs = current_suggestions(today)
    if department is not None:
        qs = qs.filter(staff__department=department)
    return {(r.staff_id, r.reason, r.since, r.kind) for r in qs}


def reasons(department=None, today=TODAY):
    """Rebuild the rows as of ``today`` (what the daily sweep does), then read them."""
    suggestion_rebuild(today=today)
    return shown(department, today)


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

    found = reasons(dept_a)
    assert found == {
        (never.pk, "no_talk_12_months", date(2025, 1, 1), TalkKind.ROUTINE),
        (old_talk.pk, "no_talk_12_months", date(2025, 6, 30), TalkKind.ROUTINE),
    }
    assert not {recent.pk, fresh_talk.pk, ended.pk, left.pk} & {s[0] for s in found}
    assert (other_dept.pk, "no_talk_12_months", date(2024, 1, 1), "routine") in reasons(None)
    # the next day, 12 months have passed since fresh_talk's talk: shown without a write
    assert (fresh_talk.pk, "no_talk_12_months", date(2025, 7, 1), "routine") in shown(
        dept_a, TODAY + timedelta(days=1)
    )


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
    # 30 days after the event the row stops showing, without a write
    later = {s[0] for s in shown(today=date(2026, 7, 15)) if s[1] == "transfer"}
    assert later == {arrived.pk, talked_before.pk}
    assert not {s for s in shown(today=date(2026, 7, 16)) if s[1] == "transfer"}


def test_a_request_from_the_persons_page_reaches_the_department_list(
    staff_user, liaison_a, liaison_b
):
    response = client_for(staff_user).post(reverse("joint:talk_request"), {"message": "排班"})
    assert response.status_code == 302
    person = staff_user.staff_profile
    # on the list at once: the request service wrote the row (no rebuild here)
    assert (person.pk, "requested", TalkKind.ON_REQUEST) in {
        (s[0], s[1], s[3]) for s in shown(today=date.today())
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
    assert person.pk not in {s[0] for s in shown(today=date.today()) if s[1] == "requested"}
    page = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    section = page.split('data-section="joint-suggested"')[1].split("</ul>")[0]
    assert person.name not in section


def test_the_registry_takes_new_triggers(dept_a):
    person = StaffFactory(department=dept_a)

    def deductions(staff_ids, today):
        if staff_ids is not None and person.pk not in staff_ids:
            return []
        return [
            Suggestion(
                staff_id=person.pk, reason="deductions", since=today, kind=TalkKind.AFTER_DEDUCTION
            )
        ]

    triggers.register_trigger("deductions", "Repeated deductions", deductions)
    try:
        assert (person.pk, "deductions", TODAY, "after_deduction") in reasons()
        assert triggers.reason_labels()["deductions"] == "Repeated deductions"
    finally:
        del triggers._TRIGGERS["deductions"]
    assert person.pk not in {s[0] for s in reasons()}  # the rebuild drops an unknown reason


def grow_people(department, n=5):
    for k in range(n):
        s = StationingFactory(staff__department=department, start_date=TODAY - timedelta(days=k))
        StationingFactory(staff__department=department, start_date=date(2024, 1, 1))
        TalkFactory(staff=s.staff, date=date(2024, 1, 1))


def test_triggers_run_constant_queries(dept_a):
    grow_people(dept_a)
    before = count_queries(lambda: triggers.compute(None, TODAY))
    grow_people(dept_a)
    # 4 for the original three triggers, at most 3 for each of the three assessment ones
    assert count_queries(lambda: triggers.compute(None, TODAY)) == before <= 13


def test_refresh_runs_constant_queries(dept_a):
    def refresh():
        ids = list(dept_a.staff.values_list("pk", flat=True))
        return count_queries(lambda: suggestion_refresh(staff_ids=ids, today=TODAY))

    grow_people(dept_a)
    writing = refresh()  # creates the rows
    in_sync = refresh()  # nothing to write: lock, triggers, read
    grow_people(dept_a)
    assert refresh() == writing
    assert refresh() == in_sync <= 16
