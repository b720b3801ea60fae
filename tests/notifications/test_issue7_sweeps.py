"""Issue #7's remaining sweeps: appeal deadline, rectification due and overdue, training behind the
pro-rata target, the departments' monthly report (with its xlsx). Boundary dates across the 2026
Spring Festival: 2026-02-14 (Saturday) is a working day, 2026-02-15..23 are off."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments.models import (
    Appeal,
    AssessmentRule,
    Entry,
    EntryStatus,
    Period,
    PeriodKind,
    Rating,
    Rectification,
    RectificationStatus,
    RuleKind,
    Score,
)
from core.models import WorkdayOverride
from notifications import registry, relay, services
from notifications.models import Notification
from staff.models import Role
from tests.factories import StaffFactory, UserFactory
from training.models import EnrollmentStatus
from training.models import Session as TrainingSession

from .factories import WindowFactory


def run(name: str, today: date, **kwargs):
    return services.sweep_run(sweep=registry.get_sweep(name), today=today, **kwargs)


def sent() -> set[tuple[str, str, str]]:
    return set(Notification.objects.values_list("recipient__username", "kind", "period"))


@pytest.fixture
def audience(admin_user, liaison_a, liaison_b, no_broker):
    return {"admin": admin_user, "liaison_a": liaison_a, "liaison_b": liaison_b}


@pytest.fixture
def period(db):
    return Period.objects.create(
        kind=PeriodKind.MONTH,
        year=2026,
        number=2,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 2, 28),
    )


@pytest.fixture
def rule(db):
    return AssessmentRule.objects.filter(kind=RuleKind.DEDUCTION).order_by("id").first()


def make_entry(person, period, rule, deadline, **kwargs):
    values = {
        "period": period,
        "staff": person,
        "rule": rule,
        "kind": RuleKind.DEDUCTION,
        "date": date(2026, 2, 10),
        "points": Decimal("2"),
        "original_points": Decimal("2"),
        "appeal_deadline": deadline,
        **kwargs,
    }
    return Entry.objects.create(**values)


@pytest.fixture
def holder(dept_a):
    user = UserFactory(username="holder", role=Role.STAFF)
    return StaffFactory(department=dept_a, user=user, name="刘洋")


# --- appeal deadline (1 working day) ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        # deadline the Tuesday after the holiday: the working Saturday before is the day before
        (date(2026, 2, 24), date(2026, 2, 13), False),  # two working days (14th, 24th) away
        (date(2026, 2, 24), date(2026, 2, 14), True),  # adjusted working Saturday
        (date(2026, 2, 24), date(2026, 2, 18), True),  # a holiday: caught up
        (date(2026, 2, 24), date(2026, 2, 24), True),  # the last day to appeal
        (date(2026, 2, 24), date(2026, 2, 25), False),  # passed
        # deadline on the adjusted working Saturday itself
        (date(2026, 2, 14), date(2026, 2, 12), False),
        (date(2026, 2, 14), date(2026, 2, 13), True),
        # an ordinary week: Monday's deadline is announced on Friday
        (date(2026, 3, 9), date(2026, 3, 5), False),
        (date(2026, 3, 9), date(2026, 3, 6), True),
    ],
)
def test_appeal_deadline_in_one_working_day(
    audience, holder, period, rule, deadline, today, expected
):
    entry = make_entry(holder, period, rule, deadline)
    result = run("assessments.appeal_deadlines", today)
    if expected:
        assert sent() == {("holder", "assessment.appeal_deadline", f"appeal-{deadline}")}
        notice = Notification.objects.get()
        assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in notice.title
        assert notice.link == f"/entries/{entry.pk}/"
        assert run("assessments.appeal_deadlines", today).created == 0  # rerun: nothing
    else:
        assert result.due == 0 and sent() == set()


@pytest.mark.django_db
def test_appeal_deadline_follows_the_center_calendar(audience, holder, period, rule):
    # The center declares Friday 2026-03-06 a day off: Thursday is then the day before Monday.
    WorkdayOverride.objects.create(date=date(2026, 3, 6), is_working_day=False)
    make_entry(holder, period, rule, date(2026, 3, 9))
    assert run("assessments.appeal_deadlines", date(2026, 3, 5)).created == 1


@pytest.mark.django_db
def test_appeal_deadline_only_for_what_can_still_be_appealed(
    audience, holder, dept_a, period, rule
):
    deadline = date(2026, 3, 9)
    appealed = make_entry(holder, period, rule, deadline)
    Appeal.objects.create(
        entry=appealed, staff=holder, reason="不是我的责任", points_before=Decimal("2")
    )
    make_entry(holder, period, rule, deadline, kind=RuleKind.BONUS)
    make_entry(holder, period, rule, deadline, status=EntryStatus.CANCELLED)
    make_entry(StaffFactory(department=dept_a), period, rule, deadline)  # no account
    gone = UserFactory(username="gone", role=Role.STAFF, is_active=False)
    make_entry(StaffFactory(department=dept_a, user=gone), period, rule, deadline)
    open_one = make_entry(holder, period, rule, deadline)
    result = run("assessments.appeal_deadlines", date(2026, 3, 6))
    assert result.due == 1 and Notification.objects.get().subject_id == open_one.pk
    assert sent() == {("holder", "assessment.appeal_deadline", "appeal-2026-03-09")}


# --- rectification (3 working days, overdue) --------------------------------------------------


@pytest.fixture
def case(dept_a, holder):
    window = WindowFactory(code="A08", department=dept_a)
    rating = Rating.objects.create(
        event_ref="EV-2026-0001",
        window=window,
        department=dept_a,
        staff=holder,
        level="1",
        served_at=datetime(2026, 1, 20, 10, tzinfo=timezone.get_current_timezone()),
        comment="态度差，电话13800001111",
        rater_name="赵群众",
        rater_phone="13800001111",
    )
    return Rectification.objects.create(
        rating=rating,
        window=window,
        department=dept_a,
        staff=holder,
        status=RectificationStatus.RECTIFYING,
        opened_on=date(2026, 1, 21),
        deadline=date(2026, 2, 25),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 12), None),  # 13th, 14th, 24th, 25th: four working days away
        (date(2026, 2, 13), ("assessment.rectification_due", "due-2026-02-25")),
        (date(2026, 2, 14), ("assessment.rectification_due", "due-2026-02-25")),  # Saturday
        (date(2026, 2, 20), ("assessment.rectification_due", "due-2026-02-25")),  # holiday
        (date(2026, 2, 25), ("assessment.rectification_due", "due-2026-02-25")),
        (date(2026, 2, 26), ("assessment.rectification_overdue", "overdue-2026-02-25")),
        (date(2026, 3, 11), ("assessment.rectification_overdue", "overdue-2026-02-25")),
        (date(2026, 3, 12), None),  # beyond the 14-day catch-up
    ],
)
def test_rectification_windows(audience, case, today, expected):
    run("assessments.rectifications", today)
    rows = set(Notification.objects.values_list("kind", "period"))
    assert rows == ({expected} if expected else set())
    if expected:
        # the rated person's department liaisons and the center; not the other department
        assert {r for r, _, _ in sent()} == {"admin", "liaison_a"}
        assert run("assessments.rectifications", today).created == 0


@pytest.mark.django_db
def test_rectification_notices_never_reveal_the_rater(audience, case):
    run("assessments.rectifications", date(2026, 2, 24))
    run("assessments.rectifications", date(2026, 2, 27))
    assert Notification.objects.count() == 4  # due and overdue, to two people each
    for title, body in Notification.objects.values_list("title", "body"):
        text = title + body
        assert "A08" in text and "刘洋" in text
        assert "赵群众" not in text and "13800001111" not in text and "态度差" not in text
    due = Notification.objects.filter(kind="assessment.rectification_due").first()
    assert "整改中" in due.body or "整改" in due.body


@pytest.mark.django_db
def test_closed_rectification_is_not_reminded(audience, case):
    case.status = RectificationStatus.DONE
    case.save()
    assert run("assessments.rectifications", date(2026, 2, 24)).due == 0
    assert run("assessments.rectifications", date(2026, 2, 27)).due == 0


# --- training behind the pro-rata annual target -----------------------------------------------


def credit(person, hours: str, when: datetime):
    from tests.training.factories import EnrollmentFactory, SessionFactory

    session = SessionFactory(starts_at=when, ends_at=when + timedelta(hours=2))
    return EnrollmentFactory(
        session=session,
        staff=person,
        status=EnrollmentStatus.ATTENDED,
        hours_credited=Decimal(hours),
    )


@pytest.mark.django_db
def test_behind_target_from_october_once_a_month(audience, holder, dept_a):
    zone = timezone.get_current_timezone()
    on_pace = StaffFactory(department=dept_a, name="达标者")
    credit(on_pace, "80", datetime(2026, 9, 1, 19, tzinfo=zone))  # pace: 67.6 (1 Oct)…75.7
    credit(holder, "20", datetime(2026, 9, 1, 19, tzinfo=zone))
    credit(holder, "60", datetime(2025, 9, 1, 19, tzinfo=zone))  # last year's: not counted
    assert TrainingSession.objects.count() == 3

    assert run("training.behind_target", date(2026, 9, 30)).due == 0  # before October
    run("training.behind_target", date(2026, 10, 1))
    assert sent() == {
        ("holder", "training.behind_target", "behind-2026-10"),
        ("liaison_a", "training.behind_target_digest", "behind-2026-10"),
    }  # the person and their liaisons (a digest); not the center, not the other department
    notice = Notification.objects.get(recipient__username="holder")
    assert "刘洋" in notice.title and "20" in notice.title and "67.6" in notice.title
    digest = Notification.objects.get(recipient__username="liaison_a")
    assert "1" in digest.title and "刘洋" in digest.body and "达标者" not in digest.body
    assert run("training.behind_target", date(2026, 10, 20)).created == 0  # once a month
    run("training.behind_target", date(2026, 11, 3))
    assert ("holder", "training.behind_target", "behind-2026-11") in sent()


@pytest.mark.django_db
def test_liaisons_get_one_digest_per_department_however_many_are_behind(audience, holder, dept_a):
    people = StaffFactory.create_batch(15, department=dept_a, user=None)
    run("training.behind_target", date(2026, 10, 1))
    digests = Notification.objects.filter(kind="training.behind_target_digest")
    assert digests.count() == 1
    digest = digests.get()
    assert digest.recipient.username == "liaison_a" and "16" in digest.title
    assert digest.body.count("、") == 9 and "……" in digest.body  # ten names, then more
    assert not Notification.objects.filter(
        kind="training.behind_target", recipient__username="liaison_a"
    ).exists()
    assert len(people) == 15


@pytest.mark.django_db
def test_behind_target_month_is_a_setting(audience, holder, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "TRAINING_BEHIND_FROM_MONTH": 9}
    assert run("training.behind_target", date(2026, 9, 30)).due == 2  # person + digest


# --- the departments' monthly report ----------------------------------------------------------


@pytest.fixture
def report_data(dept_a, dept_b, holder, period, rule, case):
    Score.objects.create(
        period=period, staff=holder, department=dept_a, total=Decimal("96.5"), base=100
    )
    other = StaffFactory(department=dept_a)
    Score.objects.create(period=period, staff=other, department=dept_a, total=Decimal("90"))
    Score.objects.create(
        period=period, staff=StaffFactory(department=dept_b), department=dept_b, total=80
    )
    make_entry(holder, period, rule, date(2026, 2, 14))
    from assessments.services.totals import score_totals_rebuild

    score_totals_rebuild(reason="scores written raw above")  # the totals the services keep
    zone = timezone.get_current_timezone()
    credit(holder, "4", datetime(2026, 2, 5, 19, tzinfo=zone))
    credit(holder, "6", datetime(2026, 1, 8, 19, tzinfo=zone))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 9), False),  # before the report day
        (date(2026, 3, 10), True),
        (date(2026, 3, 31), True),  # a missed 10th is caught up within the month
    ],
)
def test_monthly_report_from_the_tenth(audience, report_data, today, expected):
    run("portal.monthly_report", today)
    if expected:
        assert sent() == {
            ("liaison_a", "report.monthly", "report-2026-02"),
            ("liaison_b", "report.monthly", "report-2026-02"),
        }
        assert run("portal.monthly_report", today).created == 0
    else:
        assert sent() == set()


@pytest.mark.django_db
def test_monthly_report_email_in_chinese_with_the_xlsx(audience, report_data, dept_a, settings):
    from openpyxl import load_workbook

    liaison = audience["liaison_a"]
    liaison.email = "liaison@zwfw.example.cn"
    liaison.save()
    run("portal.monthly_report", date(2026, 3, 10))
    notice = Notification.objects.get(recipient=liaison)
    assert notice.title == "市场监管局2026年2月工作月报"
    assert "月度考核平均分93.25（2人）" in notice.body
    assert "扣分1项" in notice.body
    assert "本月培训学时4" in notice.body and "本年累计10" in notice.body
    assert "整改未办结1件（逾期1件）" in notice.body
    assert notice.link == f"/joint/report/?department={dept_a.pk}&month=2026-02"

    relay.deliver_pending()
    message = next(m for m in mail.outbox if m.to == ["liaison@zwfw.example.cn"])
    assert "市场监管局2026年2月工作月报" in message.subject
    assert "月度考核平均分93.25" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith("2026-02-月报.xlsx") and "spreadsheetml" in mimetype
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames[0] == "汇总"
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["项目", "数值"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["单位"] == "市场监管局"
    assert values["月度考核平均分"] == "93.25"
    assert values["本月培训学时"] == "4"
    assert values["未办结的差评整改"] == 1


@pytest.mark.django_db
def test_report_attachment_only_while_the_recipient_may_see_it(audience, report_data, dept_b):
    liaison = audience["liaison_a"]
    liaison.email = "liaison@zwfw.example.cn"
    liaison.save()
    run("portal.monthly_report", date(2026, 3, 10))
    liaison.departments.set([dept_b])  # moved to another department before the relay ran
    relay.deliver_pending()
    message = next(m for m in mail.outbox if m.to == ["liaison@zwfw.example.cn"])
    assert message.attachments == []


# --- every sweep runs from the command --------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_lists_every_sweep(audience):
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-10-12", stdout=out)
    listed = {line.split(":")[0] for line in out.getvalue().splitlines() if " due, " in line}
    assert listed == {s.name for s in registry.sweeps()}
    assert {
        "assessments.appeal_deadlines",
        "assessments.rectifications",
        "training.behind_target",
        "portal.monthly_report",
    } <= listed
    assert Notification.objects.count() == 0


# --- queries grow with batches, not rows ------------------------------------------------------


@pytest.mark.django_db
def test_new_sweeps_run_constant_queries(audience, dept_a, dept_b, period, rule, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DepartmentFactory

    zone = timezone.get_current_timezone()

    def grow(n: int) -> None:
        for i in range(n):
            user = UserFactory(role=Role.STAFF)
            person = StaffFactory(department=dept_a, user=user)
            make_entry(person, period, rule, date(2026, 10, 13))
            window = WindowFactory(department=dept_a)
            rating = Rating.objects.create(
                event_ref=f"EV-{person.pk}-{i}",
                window=window,
                department=dept_a,
                staff=person,
                level="1",
                served_at=datetime(2026, 10, 1, 10, tzinfo=zone),
            )
            Rectification.objects.create(
                rating=rating,
                window=window,
                department=dept_a,
                staff=person,
                opened_on=date(2026, 10, 1),
                deadline=date(2026, 10, 14),
            )
            department = DepartmentFactory()
            UserFactory(role=Role.LIAISON, departments=[department])

    def queries(today: date) -> int:
        Notification.objects.all().delete()
        names = [
            "assessments.appeal_deadlines",
            "assessments.rectifications",
            "training.behind_target",
            "portal.monthly_report",
        ]
        with CaptureQueriesContext(connection) as captured:
            results = [run(name, today) for name in names]
        assert all(r.created for r in results), results
        return len(captured.captured_queries)

    grow(2)
    queries(date(2026, 10, 12))  # warm the content-type cache
    before = queries(date(2026, 10, 12))
    grow(10)
    assert queries(date(2026, 10, 12)) == before


def test_beat_runs_the_report_slot_daily_so_a_missed_tenth_is_caught_up(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-monthly-reports"]
    assert entry["kwargs"] == {"schedule": registry.MONTHLY_REPORT}
    assert entry["schedule"].day_of_month == set(range(1, 32))
    assert settings.NOTIFICATIONS["MONTHLY_REPORT_DAY"] == 10  # the sweep's own first day
