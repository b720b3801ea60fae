"""The daily sweep of overdue replacement demands (issue #16): the home department's liaisons
the day after the due date, the center after ``REPLACEMENT_ESCALATION_WORKDAYS`` working days of
the center's calendar; once each, in each recipient's language, in-app and by e-mail."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import WorkdayOverride
from notifications import registry, relay, services
from notifications.models import Notification
from notifications.tasks import run_sweeps
from tests.factories import StaffFactory, UserFactory
from windows.models import EndReason, ReplacementDemand
from windows.reminders import replacement_overdue_sweep

from .factories import StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db

DUE = date(2026, 9, 30)  # a Wednesday; 1–7 October is the National Day holiday, 10 October a
# working Saturday (调休): three working days after DUE are 8, 9 and 10 October.


@pytest.fixture
def audience(admin_user, liaison_a, liaison_b, no_broker, settings):
    settings.CENTER = {**settings.CENTER, "REPLACEMENT_ESCALATION_WORKDAYS": 3}
    for user, address in ((admin_user, "admin@zwfw.example.cn"), (liaison_a, "a@example.cn")):
        user.email = address
        user.save(update_fields=["email"])
    return {"admin": admin_user, "liaison_a": liaison_a, "liaison_b": liaison_b}


def demand(dept, *, due=DUE, name="被退回者", fulfilled=False) -> ReplacementDemand:
    window = WindowFactory(department=dept)
    returned = StationingFactory(
        staff=StaffFactory(department=dept, name=name),
        window=window,
        start_date=date(2025, 1, 6),
        end_date=date(2026, 9, 18),
        end_reason=EndReason.RETURNED,
    )
    return ReplacementDemand.objects.create(
        window=window,
        department=dept,
        returned_stationing=returned,
        reason="连续三个月考核排名末位",
        due_date=due,
        fulfilled_at=timezone.now() if fulfilled else None,
    )


def daily(day: date) -> dict[str, int]:
    """Beat's task, as the worker runs it (every daily sweep) on ``day``."""
    return run_sweeps(schedule=registry.DAILY, day=day.isoformat())


def ours():
    """This sweep's rows (the daily task runs every other sweep too)."""
    return Notification.objects.filter(kind__startswith="windows.replacement_")


def sent() -> set[tuple[str, str]]:
    return set(ours().values_list("recipient__username", "kind"))


def test_the_sweep_is_registered_daily():
    assert "windows.replacement_overdue" in {s.name for s in registry.sweeps(registry.DAILY)}


def test_liaisons_are_told_once_the_due_date_has_passed(audience, dept_a, dept_b):
    subject = demand(dept_a)
    demand(dept_a, name="已顶岗", fulfilled=True)
    assert daily(DUE)["windows.replacement_overdue"] == 0  # the due date itself is not late
    assert daily(date(2026, 10, 1))["windows.replacement_overdue"] == 1
    assert sent() == {("liaison_a", "windows.replacement_overdue")}
    row = ours().get()
    assert row.subject_id == subject.pk and row.link == "/windows/replacements/"
    assert row.title == f"{subject.window.code}的顶岗人员应于2026年9月30日前派驻"
    assert "被退回者" in row.body and "3个工作日" in row.body
    # a rerun the same day, and the next days, send nothing twice
    assert daily(date(2026, 10, 1))["windows.replacement_overdue"] == 0
    assert daily(date(2026, 10, 8))["windows.replacement_overdue"] == 0
    assert ours().count() == 1


def test_the_center_is_told_after_the_working_days_of_its_calendar(audience, dept_a):
    demand(dept_a)
    daily(date(2026, 10, 1))
    daily(date(2026, 10, 9))  # two working days after the due date (the holiday does not count)
    assert ("admin", "windows.replacement_escalated") not in sent()
    assert daily(date(2026, 10, 10))["windows.replacement_overdue"] == 1  # the working Saturday
    assert sent() == {
        ("liaison_a", "windows.replacement_overdue"),
        ("admin", "windows.replacement_escalated"),
    }
    escalated = ours().get(kind="windows.replacement_escalated")
    assert escalated.title.startswith("市场监管局") and "被退回者" in escalated.title
    assert "3个工作日" in escalated.body
    assert daily(date(2026, 10, 10))["windows.replacement_overdue"] == 0
    assert ours().count() == 2
    # in-app rows first, then the e-mails from them
    relay.deliver_pending()
    assert set(ours().values_list("email_status", flat=True)) == {"sent"}
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("顶岗" in s for s in subjects) and any("市场监管局" in s for s in subjects)


def test_the_centers_own_days_off_count(audience, dept_a):
    WorkdayOverride.objects.create(date=date(2026, 10, 10), is_working_day=False, note="调整")
    demand(dept_a)
    daily(date(2026, 10, 10))
    assert ("admin", "windows.replacement_escalated") not in sent()
    daily(date(2026, 10, 12))  # Monday: the third working day
    assert ("admin", "windows.replacement_escalated") in sent()


def test_a_missed_day_is_caught_up(audience, dept_a):
    demand(dept_a)
    daily(date(2026, 10, 20))  # the first run after a long outage sends both
    assert sent() == {
        ("liaison_a", "windows.replacement_overdue"),
        ("admin", "windows.replacement_escalated"),
    }


def test_the_texts_follow_each_recipients_language(audience, dept_a):
    english = audience["liaison_a"]
    english.language = "en"
    english.save(update_fields=["language"])
    subject = demand(dept_a)
    daily(date(2026, 10, 1))
    row = ours().get(recipient=english)
    assert row.title == (
        f"The replacement at window {subject.window.code} was due on 30 September 2026"
    )


def test_the_sweep_queries_do_not_grow_with_demands(audience, dept_a, dept_b):
    UserFactory(username="liaison_b2", role="liaison", departments=[dept_b])

    def queries_for(n: int) -> int:
        Notification.objects.all().delete()
        for i in range(n):
            demand(dept_a if i % 2 else dept_b, name=f"退回{n}-{i}")
        with CaptureQueriesContext(connection) as captured:
            result = services.sweep_run(
                sweep=registry.get_sweep("windows.replacement_overdue"), today=date(2026, 10, 12)
            )
        assert result.created == Notification.objects.count() > 0
        return len(captured.captured_queries)

    queries_for(2)  # warm the content-type cache
    assert queries_for(4) == queries_for(8)


def test_nothing_is_due_before_the_due_date(audience, dept_a):
    demand(dept_a, due=date(2026, 10, 12))
    assert list(replacement_overdue_sweep(date(2026, 10, 12))) == []
