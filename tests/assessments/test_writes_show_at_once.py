"""The appeal and rectification queues and the period board read their rows afresh (nothing is
cached): each viewer sees only their scope, and a write shows at once."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.services.appeals import appeal_decide, appeal_submit
from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.rectification import rectification_step


def _appeal(world, admin_user, staff_user, day=2):
    entry = entry_record(
        actor=admin_user, staff=world["me"], rule=world["rules"]["D02"], date=date(2026, 3, day)
    )
    return appeal_submit(actor=staff_user, entry=entry, reason="当天系统故障")


def test_appeal_rows_per_scope_and_follow_writes(
    world, admin_user, second_admin, staff_user, liaison_a, liaison_b, as_user, fixed_today
):
    fixed_today(date(2026, 3, 20))
    appeal = _appeal(world, admin_user, staff_user)
    admin, mine, theirs = as_user(admin_user), as_user(liaison_a), as_user(liaison_b)
    url = reverse("assessments:appeal_list")
    decide = reverse("assessments:appeal_decide", args=[appeal.pk])

    for _ in range(2):  # the same page twice: the same rows
        page = admin.get(url).content.decode()
        assert world["me"].name in page and decide in page
        page = mine.get(url).content.decode()
        assert world["me"].name in page and decide not in page  # a liaison does not decide
        assert world["me"].name not in theirs.get(url).content.decode()  # department B

    other = _appeal(world, admin_user, staff_user, day=5)
    other_decide = reverse("assessments:appeal_decide", args=[other.pk])
    assert other_decide in admin.get(url).content.decode()  # a new appeal shows at once
    assert world["me"].name not in theirs.get(url).content.decode()

    appeal_decide(actor=second_admin, appeal=appeal, outcome="upheld", note="维持")
    assert decide not in admin.get(url).content.decode()  # decided: off the queue at once
    assert other_decide in admin.get(url).content.decode()


def test_rectification_rows_follow_writes_and_the_day(
    world, admin_user, liaison_b, as_user, fixed_today
):
    fixed_today(date(2026, 3, 3))
    case = rating_record(
        actor=admin_user,
        event_ref="EV-WRITE-1",
        window=world["window_a"],
        staff=world["me"],
        level="2",
        served_at=timezone.make_aware(datetime(2026, 3, 2, 10)),
    ).rectification
    admin = as_user(admin_user)
    url = reverse("assessments:rectification_list")
    first = admin.get(url).content.decode()
    assert "EV-WRITE-1" in first and 'data-testid="overdue"' not in first
    assert "EV-WRITE-1" not in as_user(liaison_b).get(url).content.decode()

    fixed_today(case.deadline + timedelta(days=1))
    assert 'data-testid="overdue"' in admin.get(url).content.decode()  # a new day: overdue

    case = rectification_step(actor=admin_user, case=case, action="appeal", note="非窗口原因")
    rectification_step(actor=admin_user, case=case, action="invalidate", note="非窗口原因")
    assert "EV-WRITE-1" not in admin.get(url).content.decode()  # closed: off the open list


def test_board_entries_per_scope_and_follow_writes(
    world, admin_user, liaison_b, as_user, fixed_today
):
    fixed_today(date(2026, 3, 20))
    admin, theirs = as_user(admin_user), as_user(liaison_b)
    url = reverse("assessments:board")
    assert world["person_a"].name not in admin.get(url).content.decode()
    entry = entry_record(
        actor=admin_user, staff=world["person_a"], rule=world["rules"]["D02"], date=date(2026, 3, 2)
    )
    link = reverse("assessments:entry_detail", args=[entry.pk])
    assert link in admin.get(url).content.decode()  # at once
    assert link not in theirs.get(url).content.decode()  # department B
    assert link in admin.get(url).content.decode()


def test_board_window_card_and_rankings_follow_an_entry_at_once(
    world, admin_user, liaison_b, as_user, fixed_today
):
    """The window card reads the window totals and the rankings count the ranks when read: an
    entry shows in both on the next request, with no invalidation."""
    from assessments.services.scores import period_for_date, score_recompute

    fixed_today(date(2026, 3, 20))
    march = period_for_date(date(2026, 3, 1))
    score_recompute(actor=admin_user, period=march)
    admin = as_user(admin_user)
    board = reverse("assessments:board") + f"?period={march.pk}"
    rankings = reverse("assessments:rankings") + f"?period={march.pk}"
    page = admin.get(board)
    assert [w["deductions"] for w in page.context["windows"]] == [0, 0]
    entry_record(
        actor=admin_user, staff=world["person_b"], rule=world["rules"]["D02"], date=date(2026, 3, 2)
    )
    windows = {w["window__code"]: w for w in admin.get(board).context["windows"]}
    assert windows["B01"]["deductions"] == world["rules"]["D02"].points
    assert windows["B01"]["lowest"] == 100 - world["rules"]["D02"].points
    rows = admin.get(rankings).context["page"].object_list
    assert rows[-1].staff_id == world["person_b"].pk and rows[-1].rank_center == len(rows)
    theirs = as_user(liaison_b).get(rankings).context["page"].object_list
    assert [(s.staff_id, s.rank_center, s.rank_department) for s in theirs] == [
        (world["person_b"].pk, len(rows), 1)  # a liaison sees the center rank of their people
    ]
