"""Talk confidentiality, every viewer × every level, in pages, the API and list endpoints.

The subject is the staff persona (department A); both talks are authored by liaison A.
"notes": everything; "summary": the talk exists, no notes; "none": 404 / absent from lists;
"forbidden": no permission at all (403).
"""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.test import APIClient

from joint import services
from tests.conftest import client_for

EXPECTED = {
    "admin": {"standard": "notes", "private": "none"},
    "leader": {"standard": "notes", "private": "notes"},
    "superuser": {"standard": "notes", "private": "notes"},
    "liaison_a": {"standard": "notes", "private": "notes"},  # the author
    "liaison_a2": {"standard": "notes", "private": "none"},
    "liaison_b": {"standard": "none", "private": "none"},
    "hr": {"standard": "forbidden", "private": "forbidden"},
    "subject": {"standard": "summary", "private": "summary"},
    "other_staff": {"standard": "none", "private": "none"},
}
CASES = [(viewer, level) for viewer in EXPECTED for level in ("standard", "private")]


@pytest.fixture
def viewers(
    admin_user,
    leader,
    superuser,
    liaison_a,
    liaison_a2,
    liaison_b,
    hr_user,
    staff_user,
    other_staff,
):
    return {
        "admin": admin_user,
        "leader": leader,
        "superuser": superuser,
        "liaison_a": liaison_a,
        "liaison_a2": liaison_a2,
        "liaison_b": liaison_b,
        "hr": hr_user,
        "subject": staff_user,
        "other_staff": other_staff,
    }


@pytest.fixture
def talks(liaison_a, staff_user):
    subject = staff_user.staff_profile
    made = {}
    for level in ("standard", "private"):
        talk = services.talk_record(
            actor=liaison_a,
            staff=subject,
            date=date(2026, 1, 5),
            talker_kind="liaison",
            talker_names="王科长",
            kind="routine",
            topics=f"TOPIC-{level}",
            concerns=f"CONCERN-{level}",
            notes=f"NOTE-{level}",
            level=level,
        )
        follow_up = services.follow_up_add(
            actor=liaison_a,
            talk=talk,
            description=f"FOLLOW-{level}",
            owner="王科长",
            due_date=date(2026, 2, 1),
        )
        made[level] = (talk, follow_up)
    return made


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("viewer", "level"), CASES)
def test_talk_page(viewers, talks, viewer, level):
    talk, follow_up = talks[level]
    expected = EXPECTED[viewer][level]
    response = client_for(viewers[viewer]).get(reverse("joint:talk_detail", args=[talk.pk]))
    status = {"notes": 200, "summary": 200, "none": 404, "forbidden": 403}[expected]
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        for secret in (f"TOPIC-{level}", f"CONCERN-{level}", f"NOTE-{level}"):
            assert (secret in html) is (expected == "notes"), secret
        assert f"FOLLOW-{level}" in html  # follow-ups go wherever the talk goes


@pytest.mark.parametrize(("viewer", "level"), CASES)
def test_talk_list_page(viewers, talks, viewer, level):
    talk, _ = talks[level]
    expected = EXPECTED[viewer][level]
    response = client_for(viewers[viewer]).get(reverse("joint:talk_list"))
    if expected == "forbidden":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    link = reverse("joint:talk_detail", args=[talk.pk])
    assert (f'href="{link}"' in response.content.decode()) is (expected != "none")


@pytest.mark.parametrize(("viewer", "level"), CASES)
def test_talk_api_detail(viewers, talks, viewer, level):
    talk, _ = talks[level]
    expected = EXPECTED[viewer][level]
    response = api(viewers[viewer]).get(f"/api/v1/talks/{talk.pk}/")
    status = {"notes": 200, "summary": 200, "none": 404, "forbidden": 403}[expected]
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert data["notes_visible"] is (expected == "notes")
        if expected == "notes":
            assert data["topics"] == f"TOPIC-{level}"
            assert data["concerns"] == f"CONCERN-{level}"
            assert data["notes"] == f"NOTE-{level}"
        else:
            assert not {"topics", "concerns", "notes"} & set(data)
            assert f"-{level}" not in str(data)


@pytest.mark.parametrize(("viewer", "level"), CASES)
def test_talk_and_follow_up_api_lists(viewers, talks, viewer, level):
    talk, follow_up = talks[level]
    expected = EXPECTED[viewer][level]
    client = api(viewers[viewer])
    talks_response = client.get("/api/v1/talks/")
    follow_ups_response = client.get("/api/v1/follow-ups/")
    if expected == "forbidden":
        assert talks_response.status_code == follow_ups_response.status_code == 403
        return
    rows = {row["id"]: row for row in talks_response.json()["results"]}
    assert (talk.pk in rows) is (expected != "none")
    if talk.pk in rows:
        assert ("topics" in rows[talk.pk]) is (expected == "notes")
    if expected != "notes":
        assert f"TOPIC-{level}" not in talks_response.content.decode()
    ids = {row["id"] for row in follow_ups_response.json()["results"]}
    assert (follow_up.pk in ids) is (expected != "none")


@pytest.mark.parametrize(("viewer", "level"), CASES)
def test_staff_detail_panel(viewers, talks, staff_user, viewer, level):
    expected = EXPECTED[viewer][level]
    url = reverse("staff:detail", args=[staff_user.staff_profile.pk])
    response = client_for(viewers[viewer]).get(url)
    if response.status_code != 200:
        assert expected in ("none", "forbidden")
        return
    html = response.content.decode()
    assert (f"CONCERN-{level}" in html) is (expected == "notes")
    assert (f"FOLLOW-{level}" in html) is (expected in ("notes", "summary"))


def test_staff_detail_panel_cached_for_one_viewer_never_reaches_another(viewers, talks, staff_user):
    """The panel is cached per viewer: every viewer in turn (the most privileged first), twice,
    each sees exactly what they may; a change of level shows at once."""
    url = reverse("staff:detail", args=[staff_user.staff_profile.pk])

    def check(expected_for):
        for viewer in ("superuser", "leader", "liaison_a", "admin", "liaison_a2", "subject"):
            html = client_for(viewers[viewer]).get(url).content.decode()
            for level in ("standard", "private"):
                expected = expected_for(viewer, level)
                assert (f"CONCERN-{level}" in html) is (expected == "notes"), (viewer, level)
                assert (f"FOLLOW-{level}" in html) is (expected != "none"), (viewer, level)

    for _ in range(2):
        check(lambda viewer, level: EXPECTED[viewer][level])
    talk, _ = talks["private"]
    talk.level = "standard"  # no service changes a talk's level yet: a plain save is a write
    talk.save()
    check(lambda viewer, level: EXPECTED[viewer]["standard"])


def test_the_person_sees_a_request_button_and_no_notes(staff_user, talks):
    html = client_for(staff_user).get(reverse("staff:detail", args=[staff_user.staff_profile.pk]))
    text = html.content.decode()
    assert reverse("joint:talk_request") in text
    assert "TOPIC-" not in text and "NOTE-" not in text


def test_a_liaison_in_the_leadership_group_is_not_leadership(liaison_a2, talks):
    from django.contrib.auth.models import Group

    from staff.permissions import CENTER_LEADERSHIP_GROUP, is_center_leadership

    liaison_a2.groups.add(Group.objects.get_or_create(name=CENTER_LEADERSHIP_GROUP)[0])
    assert not is_center_leadership(liaison_a2)
    talk, _ = talks["private"]
    response = client_for(liaison_a2).get(reverse("joint:talk_detail", args=[talk.pk]))
    assert response.status_code == 404


def test_notes_never_reach_the_audit_trail(talks):
    text = " ".join(str(e.changes) + str(e.additional_data) for e in LogEntry.objects.all())
    for level in ("standard", "private"):
        for secret in ("TOPIC", "CONCERN", "NOTE", "FOLLOW"):
            assert f"{secret}-{level}" not in text
    assert LogEntry.objects.filter(content_type__model="talk").count() == 2


def test_talk_list_rows_cached_per_viewer(viewers, talks, liaison_a, staff_user):
    """The list's rows are cached: every viewer in turn (most privileged first), twice, still
    sees exactly their talks, and a talk recorded since shows at once to those who may see it."""
    url = reverse("joint:talk_list")
    clients = {viewer: client_for(user) for viewer, user in viewers.items()}  # logins write
    for _ in range(2):
        for viewer, levels in EXPECTED.items():
            if levels["standard"] == "forbidden":
                continue
            html = clients[viewer].get(url).content.decode()
            for level, (talk, _) in talks.items():
                link = reverse("joint:talk_detail", args=[talk.pk])
                assert (f'href="{link}"' in html) is (levels[level] != "none"), (viewer, level)

    new = services.talk_record(
        actor=liaison_a,
        staff=staff_user.staff_profile,
        date=date(2026, 1, 9),
        talker_kind="liaison",
        talker_names="王科长",
        kind="routine",
        topics="T",
        concerns="C",
        notes="N",
        level="private",
    )
    link = f'href="{reverse("joint:talk_detail", args=[new.pk])}"'
    assert link in clients["liaison_a"].get(url).content.decode()  # the author
    assert link not in clients["liaison_a2"].get(url).content.decode()
    assert link not in clients["admin"].get(url).content.decode()
