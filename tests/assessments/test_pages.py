"""Browser journeys: fast entry with evidence and notice, self-service appeal, decision, my
record, the board and the liaison's read-only view."""

from datetime import date

from django.urls import reverse

from assessments.models import Appeal, AppealStatus, Entry, Score
from assessments.services.scores import period_for_date

from .helpers import png


def test_fast_entry_appeal_and_decision(
    world, admin_user, second_admin, staff_user, liaison_a, as_user, fixed_today
):
    fixed_today(date(2026, 3, 20))
    admin = as_user(admin_user)
    lookup = admin.get(reverse("assessments:staff_lookup"), {"staff": world["me"].staff_number})
    assert world["me"].staff_number in lookup.content.decode()
    response = admin.post(
        reverse("assessments:entry_create"),
        {
            "staff": f"{world['me'].staff_number} {world['me'].name}",
            "rule": world["rules"]["Q01"].pk,
            "date": "2026-03-18",
            "quantity": "1",
            "window": world["window_a"].pk,
            "joint_liability": "on",
            "notes": "督查通报：窗口材料摆放混乱",
            "files": [png("通报.png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(joint_parent__isnull=True)
    detail = admin.get(response["Location"]).content.decode()
    assert "被扣 15.00 分" in detail and "2026-03-27" in detail  # notice with the appeal deadline
    assert entry.joint_shares.get().staff == world["chief"]

    me = as_user(staff_user)
    page = me.get(reverse("assessments:entry_detail", args=[entry.pk])).content.decode()
    assert 'data-testid="appeal-button"' in page
    evidence = entry.evidence.get()
    assert me.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 200
    bad = me.post(reverse("assessments:appeal_create", args=[entry.pk]), {"reason": ""})
    assert bad.status_code == 400 and not Appeal.objects.exists()
    ok = me.post(
        reverse("assessments:appeal_create", args=[entry.pk]),
        {"reason": "材料摆放系群众临时放置，非窗口责任", "files": [png("现场照片.png")]},
    )
    assert ok.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.attachments.count() == 1

    # The liaison of department A sees it but cannot decide.
    liaison = as_user(liaison_a)
    assert liaison.get(reverse("assessments:appeal_list")).status_code == 200
    assert (
        liaison.post(reverse("assessments:appeal_decide", args=[appeal.pk]), {}).status_code == 403
    )

    queue = admin.get(reverse("assessments:appeal_list")).content.decode()
    assert world["me"].name in queue
    recorder = admin  # recorded the deduction: may not decide its appeal
    refused = recorder.post(
        reverse("assessments:appeal_decide", args=[appeal.pk]),
        {"outcome": "cancelled", "note": "本人记录的扣分"},
    )
    assert refused.status_code == 400 and "另一名工作人员" in refused.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED
    admin = as_user(second_admin)
    invalid = admin.post(
        reverse("assessments:appeal_decide", args=[appeal.pk]), {"outcome": "reduced", "note": "x"}
    )
    assert invalid.status_code == 400
    done = admin.post(
        reverse("assessments:appeal_decide", args=[appeal.pk]),
        {"outcome": "reduced", "points_after": "5", "note": "情节较轻"},
    )
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REDUCED
    march = period_for_date(date(2026, 3, 1))
    assert Score.objects.get(period=march, staff=world["me"]).total == 95

    record = me.get(reverse("assessments:my_record")).content.decode()
    assert "95.00" in record and "减轻扣分" in record and 'id="my-history"' in record


def test_board_close_and_rankings(world, admin_user, liaison_b, as_user, fixed_today):
    fixed_today(date(2026, 4, 3))
    march = period_for_date(date(2026, 3, 1))
    admin = as_user(admin_user)
    admin.post(reverse("assessments:period_recompute", args=[march.pk]))
    board = admin.get(reverse("assessments:board"), {"period": march.pk}).content.decode()
    assert "A01" in board and 'data-testid="close-period"' in board
    admin.post(reverse("assessments:period_close", args=[march.pk]))
    march.refresh_from_db()
    assert march.is_closed
    assert (
        'data-testid="close-period"'
        not in admin.get(reverse("assessments:board"), {"period": march.pk}).content.decode()
    )
    # Liaison B sees only department B people in the rankings.
    page = (
        as_user(liaison_b)
        .get(reverse("assessments:rankings"), {"period": march.pk})
        .content.decode()
    )
    assert world["person_b"].name in page and world["person_a"].name not in page


def test_entry_form_errors_are_translated(world, admin_user, as_user, fixed_today):
    fixed_today(date(2026, 3, 20))
    response = as_user(admin_user).post(
        reverse("assessments:entry_create"),
        {"staff": "NOPE", "rule": world["rules"]["Q01"].pk, "date": "2026-03-18", "quantity": "1"},
    )
    assert response.status_code == 400
    assert "没有该工号的人员。" in response.content.decode()
    response = as_user(admin_user).post(
        reverse("assessments:entry_create"),
        {
            "staff": world["me"].staff_number,
            "rule": world["rules"]["Q01"].pk,
            "date": "2026-03-18",
            "quantity": "1",
        },
    )
    assert (
        response.status_code == 400 and "该考核细则要求上传佐证材料。" in response.content.decode()
    )
    assert not Entry.objects.exists()


def test_dashboard_shows_assessment_figures(world, admin_user, as_user):
    from datetime import datetime

    from django.utils import timezone

    from assessments.services.ratings import rating_record

    rating_record(
        actor=admin_user,
        event_ref="EV-D1",
        window=world["window_a"],
        staff=world["me"],
        level="1",
        served_at=timezone.make_aware(datetime(2026, 1, 5, 10)),
    )
    page = as_user(admin_user).get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="assessment-figures"' in page
    assert "?status=overdue" in page and 'text-bg-danger">1<' in page


def test_rankings_department_picker_lists_the_scope_only(
    world, admin_user, liaison_b, as_user, fixed_today
):
    fixed_today(date(2026, 4, 3))
    march = period_for_date(date(2026, 3, 1))
    as_user(admin_user).post(reverse("assessments:period_recompute", args=[march.pk]))
    response = as_user(liaison_b).get(reverse("assessments:rankings"), {"period": march.pk})
    assert [pk for pk, _ in response.context["departments"]] == [world["person_b"].department_id]
    everyone = as_user(admin_user).get(
        reverse("assessments:rankings"),
        {"period": march.pk, "department": world["person_a"].department_id},
    )
    names = [s.staff.name for s in everyone.context["page"].object_list]
    assert world["person_a"].name in names and world["person_b"].name not in names


def test_cached_score_rows_follow_writes(world, admin_user, liaison_b, as_user, fixed_today):
    """The board's and the rankings' rows are cached fragments: a rename and a new deduction
    show at once, and a liaison's fragment is not the center's."""
    from assessments.services.entries import entry_record

    fixed_today(date(2026, 4, 3))
    march = period_for_date(date(2026, 3, 1))
    admin = as_user(admin_user)
    admin.post(reverse("assessments:period_recompute", args=[march.pk]))
    pages = [
        reverse("assessments:board") + f"?period={march.pk}",
        reverse("assessments:rankings") + f"?period={march.pk}",
        reverse("assessments:rankings")
        + f"?period={march.pk}&department={world['person_a'].department_id}",
    ]
    person = world["person_a"]
    for url in pages:
        assert person.name in admin.get(url).content.decode()
    assert person.name not in as_user(liaison_b).get(pages[1]).content.decode()
    person.name = "改名后"
    person.save()
    entry_record(
        actor=admin_user,
        staff=person,
        rule=world["rules"]["Q01"],
        date=date(2026, 3, 18),
        window=world["window_a"],
        joint_liability=False,
        files=[png("通报.png")],
    )
    total = Score.objects.get(period=march, staff=person).total
    assert total < 100
    for url in pages:
        body = admin.get(url).content.decode()
        assert "改名后" in body and f"{total}" in body, url


def test_cached_entry_api_pages_follow_writes(
    world, admin_user, staff_user, liaison_b, as_user, fixed_today
):
    from rest_framework.test import APIClient

    from assessments.services.appeals import appeal_submit
    from assessments.services.entries import entry_record

    fixed_today(date(2026, 3, 20))

    def listed(user):
        client = APIClient()
        client.force_authenticate(user)
        response = client.get(reverse("entry-list"))
        assert response.status_code == 200
        return {e["id"]: e for e in response.json()["results"]}

    assert listed(admin_user) == {} and listed(liaison_b) == {}
    entry = entry_record(
        actor=admin_user,
        staff=world["me"],
        rule=world["rules"]["Q01"],
        date=date(2026, 3, 18),
        joint_liability=False,
        files=[png("通报.png")],
    )
    assert listed(admin_user)[entry.pk]["appeal_status"] is None
    assert listed(staff_user)[entry.pk]["evidence"][0]["original_name"] == "通报.png"
    assert entry.pk not in listed(liaison_b)  # another department: not from the admin's page
    appeal_submit(actor=staff_user, entry=entry, reason="材料已整改")
    assert listed(admin_user)[entry.pk]["appeal_status"] == AppealStatus.SUBMITTED
    world["me"].name = "改名后"
    world["me"].save()
    assert listed(admin_user)[entry.pk]["staff"]["name"] == "改名后"
