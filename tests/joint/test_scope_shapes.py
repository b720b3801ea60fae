"""The department-shaped confidentiality filter (``joint.permissions.department_talk_scope``, used
by the department page, the liaison home and the monthly report) selects exactly the rows of
``talk_scope`` restricted to the department, for every viewer; a private talk written by someone
else never shows in any section of those pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from joint import selectors
from joint.models import Confidentiality, FollowUp, Talk
from joint.permissions import department_talk_scope, talk_scope
from joint.report import monthly_report
from tests.conftest import client_for

from ..factories import StaffFactory, UserFactory
from .factories import FollowUpFactory, StationingFactory, TalkFactory

VIEWERS = [
    "admin_user",
    "leader",
    "superuser",
    "liaison_a",
    "liaison_a2",
    "liaison_b",
    "hr_user",
    "staff_user",
    "other_staff",
]


@pytest.fixture
def mixed(dept_a, dept_b, liaison_a, liaison_b, staff_user):
    """Standard and private talks, each with an open follow-up, in both departments, by
    liaison A, liaison B and a third author — including private talks about A's people by
    someone else, and a talk liaison A wrote about a person of department B."""
    third = UserFactory(username="third", role="liaison", departments=[dept_a])
    people = {
        dept_a: [staff_user.staff_profile, StaffFactory(department=dept_a)],
        dept_b: [StaffFactory(department=dept_b)],
    }
    for persons in people.values():
        for person in persons:
            for author in (liaison_a, liaison_b, third):
                for level in Confidentiality.values:
                    talk = TalkFactory(staff=person, author=author, level=level)
                    FollowUpFactory(talk=talk, description=f"{level}-{author.username}")
    return people


@pytest.mark.parametrize("viewer", VIEWERS)
def test_same_rows_as_talk_scope(request, mixed, dept_a, dept_b, viewer):
    user = request.getfixturevalue(viewer)
    for department in (dept_a, dept_b):
        expected = set(
            talk_scope(Talk.objects.filter(staff__department=department), user).values_list(
                "pk", flat=True
            )
        )
        shaped = department_talk_scope(Talk.objects.all(), user, department.pk)
        assert set(shaped.values_list("pk", flat=True)) == expected, (viewer, department)
        expected_follow_ups = set(
            talk_scope(
                FollowUp.objects.filter(talk__staff__department=department), user, talk="talk"
            ).values_list("pk", flat=True)
        )
        shaped_follow_ups = department_talk_scope(
            FollowUp.objects.all(), user, department.pk, talk="talk"
        )
        assert set(shaped_follow_ups.values_list("pk", flat=True)) == expected_follow_ups


def test_a_liaison_never_sees_another_authors_private_talk(mixed, liaison_a, dept_a, dept_b):
    hidden = set(
        Talk.objects.filter(level=Confidentiality.PRIVATE)
        .exclude(author=liaison_a)
        .values_list("pk", flat=True)
    )
    assert hidden
    for department in (dept_a, dept_b):
        talks = selectors.department_talk_list_for_user(liaison_a, department.pk)
        assert not hidden & set(talks.values_list("pk", flat=True))
        follow_ups = selectors.department_open_follow_ups(liaison_a, department.pk)
        assert not hidden & set(follow_ups.values_list("talk_id", flat=True))
    # Department B is not liaison A's: only the talks liaison A wrote there.
    assert {t.author_id for t in selectors.department_talk_list_for_user(liaison_a, dept_b.pk)} == {
        liaison_a.pk
    }
    # The talk list (every department) too.
    listed = set(selectors.talk_list_for_user(liaison_a).values_list("pk", flat=True))
    assert not hidden & listed


def test_report_counts_only_visible_talks_and_follow_ups(mixed, liaison_a, dept_a):
    today = date(2026, 1, 20)
    report = monthly_report(user=liaison_a, department=dept_a, first=date(2026, 1, 1), today=today)
    # Department A: 2 people × (3 standard + liaison A's own private) talks, one follow-up each.
    assert report.talks == 8
    assert report.open_follow_ups == 8


@pytest.mark.parametrize("url_name", ["joint:department", "portal:liaison_home"])
def test_pages_hide_another_authors_private_talk(mixed, liaison_a, dept_a, url_name):
    html = client_for(liaison_a).get(reverse(url_name)).content.decode()
    assert "private-third" not in html and "private-liaison_b" not in html
    for talk in Talk.objects.filter(level=Confidentiality.PRIVATE).exclude(author=liaison_a):
        assert f'href="{reverse("joint:talk_detail", args=[talk.pk])}"' not in html


def test_open_follow_up_counts_leave_out_private_talks_of_others(liaison_a, dept_a):
    """The people table's "open follow-ups" column counts only follow-ups the viewer may know
    about: a private talk by someone else does not show up as a number either."""
    person = StaffFactory(department=dept_a, name="赵某")
    StationingFactory(staff=person, start_date=timezone.localdate() - timedelta(days=30))
    other = UserFactory(username="other", role="liaison", departments=[dept_a])
    FollowUpFactory(talk=TalkFactory(staff=person, author=other, level=Confidentiality.PRIVATE))
    FollowUpFactory(talk=TalkFactory(staff=person, author=other))
    FollowUpFactory(talk=TalkFactory(staff=person, author=liaison_a, level="private"))
    page = selectors.department_staff(dept_a, timezone.localdate(), user=liaison_a)
    (row,) = [r for r in page.object_list if r.person == person]
    assert row.open_follow_ups == 2
    page = selectors.department_staff(dept_a, timezone.localdate(), user=other)
    (row,) = [r for r in page.object_list if r.person == person]
    assert row.open_follow_ups == 2  # the other's own private one, the standard one


def test_report_counts_follow_writes(liaison_a, dept_a, admin_user):
    """The counts, as each viewer may see them, change with the next write (nothing cached)."""
    from joint import services

    person = StaffFactory(department=dept_a)
    today = date(2026, 1, 20)

    def report(user=liaison_a):
        return monthly_report(user=user, department=dept_a, first=date(2026, 1, 1), today=today)

    assert (report().talks, report().open_follow_ups) == (0, 0)
    talk = TalkFactory(staff=person, author=admin_user)  # standard: the liaison may see it
    follow_up = FollowUpFactory(talk=talk, due_date=date(2026, 1, 10))
    assert (report().talks, report().open_follow_ups, report().overdue_follow_ups) == (1, 1, 1)
    services.follow_up_transition(
        actor=admin_user, follow_up=follow_up, to="resolved", note="已解决"
    )
    assert report().open_follow_ups == 0
    TalkFactory(staff=person, author=admin_user, level=Confidentiality.PRIVATE)
    assert report().talks == 1  # another author's private talk is not counted
    liaison_a.departments.remove(dept_a)  # no longer the department's liaison
    assert report(type(liaison_a).objects.get(pk=liaison_a.pk)).talks == 0


def test_suggested_card_shows_writes_at_once_and_follows_the_permission(
    liaison_a, staff_user, monkeypatch
):
    """The suggested-talk card reads the rows: a new request shows at once, a renamed person
    too, and the record button follows the viewer's permission."""
    from joint import sections
    from joint.services import talk_request_create
    from staff.permissions import Perm, has_perm

    client = client_for(liaison_a)
    url = reverse("joint:department")

    def card():
        return client.get(url).content.decode().split('data-section="joint-suggested"')[1]

    assert staff_user.staff_profile.name not in card()
    talk_request_create(actor=staff_user, message="想聊聊岗位安排")
    assert staff_user.staff_profile.name in card()
    person = staff_user.staff_profile
    person.name = "改名后"
    person.save()
    assert "改名后" in card() and reverse("joint:talk_create") in card()
    monkeypatch.setattr(
        sections, "has_perm", lambda user, perm: perm != Perm.TALK_EDIT and has_perm(user, perm)
    )
    shown = sections.department_sections(liaison_a, person.department, timezone.localdate())
    read_only = shown["suggested_card"]
    assert "改名后" in read_only and reverse("joint:talk_create") not in read_only


def test_talk_and_follow_up_cards_follow_writes(liaison_a, dept_a, admin_user):
    """The talks and follow-ups cards are cached per viewer and show a new one at once; another
    author's private talk never."""
    from joint import services

    person = StaffFactory(department=dept_a, name="钱某")
    client = client_for(liaison_a)
    url = reverse("joint:department")
    assert "钱某" not in client.get(url).content.decode().split('data-section="joint-talks"')[1]
    talk = services.talk_record(
        actor=admin_user,
        staff=person,
        date=date(2026, 1, 5),
        talker_kind="center",
        talker_names="中心",
        kind="routine",
        topics="",
        concerns="",
        notes="",
        level="standard",
    )
    services.follow_up_add(
        actor=admin_user, talk=talk, description="跟进", owner="孙主任", due_date=date(2026, 2, 1)
    )
    html = client.get(url).content.decode()
    talks = html.split('data-section="joint-talks"')[1]
    follow_ups = html.split('data-section="joint-follow-ups"')[1].split("</ul>")[0]
    assert reverse("joint:talk_detail", args=[talk.pk]) in talks
    assert "孙主任" in follow_ups
    private = TalkFactory(staff=person, author=admin_user, level=Confidentiality.PRIVATE)
    FollowUpFactory(talk=private, owner="周主任")
    html = client.get(url).content.decode()
    assert reverse("joint:talk_detail", args=[private.pk]) not in html
    assert "周主任" not in html
