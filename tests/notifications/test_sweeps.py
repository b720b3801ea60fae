"""Each sweep's selection on boundary dates, its recipients, catch-up, and reruns."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import registry, services
from notifications.models import Notification
from staff.models import Role, StaffStatus
from tests.factories import CertificateFactory, StaffFactory, UserFactory
from windows.models import Post

from .factories import StationingFactory

TODAY = date(2026, 3, 10)


def run(name: str, today: date = TODAY, **kwargs):
    return services.sweep_run(sweep=registry.get_sweep(name), today=today, **kwargs)


def sent() -> set[tuple[str, str, str]]:
    return set(Notification.objects.values_list("recipient__username", "kind", "period"))


@pytest.fixture
def audience(admin_user, liaison_a, liaison_b, no_broker):
    return {"admin": admin_user, "liaison_a": liaison_a, "liaison_b": liaison_b}


# --- certificates -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, None),
        (60, ("certificate.expiring", "60d")),
        (31, ("certificate.expiring", "60d")),
        (30, ("certificate.expiring", "30d")),
        (8, ("certificate.expiring", "30d")),
        (7, ("certificate.expiring", "7d")),
        (0, ("certificate.expiring", "7d")),  # the expiry date is the last valid day
        (-1, ("certificate.expired", "expired")),
        (-14, ("certificate.expired", "expired")),
        (-15, None),  # beyond the catch-up window: not announced
    ],
)
def test_certificate_windows(audience, dept_a, days_left, expected):
    expires = TODAY + timedelta(days=days_left)
    CertificateFactory(
        staff=StaffFactory(department=dept_a), issued_on=date(2020, 1, 1), expires_on=expires
    )
    result = run("staff.certificates")
    rows = set(Notification.objects.values_list("kind", "period"))
    if expected is None:
        assert rows == set()
        assert result.created == 0
    else:
        assert rows == {expected}
        assert result.created == 2  # admin and liaison A


@pytest.mark.django_db
def test_certificate_recipients_and_own_account(audience, dept_a):
    own = UserFactory(username="holder", role=Role.STAFF)
    person = StaffFactory(department=dept_a, user=own, name="持证人")
    CertificateFactory(staff=person, expires_on=TODAY + timedelta(days=30))
    UserFactory(username="retired_admin", role=Role.CENTER_ADMIN, is_active=False)
    run("staff.certificates")
    assert {r for r, _, _ in sent()} == {"admin", "liaison_a", "holder"}


@pytest.mark.django_db
def test_certificate_skips_renewed_and_people_who_left(audience, dept_a):
    renewed = StaffFactory(department=dept_a)
    CertificateFactory(staff=renewed, expires_on=TODAY + timedelta(days=5))
    CertificateFactory(staff=renewed, issued_on=TODAY, expires_on=TODAY + timedelta(days=1500))
    gone = StaffFactory(department=dept_a, status=StaffStatus.LEFT)
    CertificateFactory(staff=gone, expires_on=TODAY + timedelta(days=5))
    assert run("staff.certificates").created == 0


@pytest.mark.django_db
def test_certificate_each_milestone_once_over_time(audience, dept_a):
    expires = TODAY + timedelta(days=65)
    CertificateFactory(staff=StaffFactory(department=dept_a), expires_on=expires)
    sent_on = []
    for offset in range(0, 65 + 20):  # every day from 65 days before to 20 days after expiry
        if run("staff.certificates", TODAY + timedelta(days=offset)).created:
            sent_on.append(offset)
    assert sent_on == [5, 35, 58, 66]  # 60, 30 and 7 days before expiry; the day after it
    periods = Notification.objects.filter(recipient=audience["admin"]).order_by("id")
    assert list(periods.values_list("period", flat=True)) == ["60d", "30d", "7d", "expired"]


@pytest.mark.django_db
def test_missed_day_is_caught_up_next_day(audience, dept_a):
    CertificateFactory(staff=StaffFactory(department=dept_a), expires_on=TODAY + timedelta(days=7))
    # The worker was down on TODAY (the 7-day milestone); the next day still sends it.
    run("staff.certificates", TODAY + timedelta(days=1))
    assert ("admin", "certificate.expiring", "7d") in sent()


@pytest.mark.django_db
def test_rerun_sends_nothing_twice(audience, dept_a, no_broker):
    for days in (3, 20, 45):
        CertificateFactory(
            staff=StaffFactory(department=dept_a), expires_on=TODAY + timedelta(days=days)
        )
    first = run("staff.certificates")
    assert first.created == 6
    assert len(no_broker) == 0  # queued on commit; the test transaction has not committed
    second = run("staff.certificates")
    assert (second.due, second.created) == (3, 0)
    assert Notification.objects.count() == 6


@pytest.mark.django_db
def test_dry_run_writes_nothing(audience, dept_a):
    CertificateFactory(staff=StaffFactory(department=dept_a), expires_on=TODAY)
    result = run("staff.certificates", dry_run=True)
    assert result.created == 2
    assert {p.recipient for p in result.planned} == {"admin", "liaison_a"}
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_texts_in_each_recipients_language(audience, dept_a):
    english = audience["liaison_a"]
    english.language = "en"
    english.save()
    person = StaffFactory(department=dept_a, name="王芳")
    CertificateFactory(staff=person, number="川执2026001", expires_on=date(2026, 4, 1))
    run("staff.certificates")
    zh = Notification.objects.get(recipient=audience["admin"])
    en = Notification.objects.get(recipient=english)
    assert zh.title == "王芳的执法证有效期至2026年4月1日"
    assert "川执2026001" in zh.body and "22天" in zh.body
    assert en.title == "Law-enforcement certificate of 王芳 expires on 1 April 2026"
    assert zh.link == en.link == f"/staff/{person.pk}/"


@pytest.mark.django_db
def test_batches_cover_every_subject(audience, dept_a, settings, django_assert_max_num_queries):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BATCH_SIZE": 7}
    for _ in range(30):
        CertificateFactory(staff=StaffFactory(department=dept_a), expires_on=TODAY)
    # Queries per run grow with batches, never with rows: 30 subjects in 5 batches.
    with django_assert_max_num_queries(30):
        result = run("staff.certificates")
    assert (result.due, result.created) == (30, 60)


# --- tenure -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 13), None),  # 31 days before the 24-month milestone on 2026-03-16
        (date(2026, 2, 14), "tenure.approaching"),  # 30 days before
        (date(2026, 3, 15), "tenure.approaching"),
        (date(2026, 3, 16), "tenure.reached"),  # on the day
        (date(2026, 3, 30), "tenure.reached"),  # caught up within 14 days
        (date(2026, 3, 31), None),
    ],
)
def test_tenure_windows(audience, dept_a, today, expected):
    StationingFactory(staff=StaffFactory(department=dept_a), start_date=date(2024, 3, 16))
    run("windows.tenure", today)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == ({expected} if expected else set())
    if expected:
        assert {r for r, _, _ in sent()} == {"admin", "liaison_a"}


@pytest.mark.django_db
def test_tenure_month_end_and_closed_stationings(audience, dept_a):
    # 2024-02-29 + 24 months = 2026-02-28 (clamped); it is reached on 2026-02-28.
    leap = StationingFactory(staff=StaffFactory(department=dept_a), start_date=date(2024, 2, 29))
    StationingFactory(
        staff=StaffFactory(department=dept_a),
        start_date=date(2024, 2, 28),
        end_date=date(2025, 1, 1),
    )
    run("windows.tenure", date(2026, 2, 27))
    run("windows.tenure", date(2026, 2, 28))
    rows = Notification.objects.filter(recipient=audience["admin"])
    assert sorted(rows.values_list("kind", "subject_id")) == [
        ("tenure.approaching", leap.pk),
        ("tenure.reached", leap.pk),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("post", "today", "expected"),
    [
        (Post.CHIEF_REPRESENTATIVE, date(2026, 3, 9), False),
        (Post.CHIEF_REPRESENTATIVE, date(2026, 3, 10), True),  # five years on the day
        (Post.CHIEF_REPRESENTATIVE, date(2026, 3, 24), True),
        (Post.CHIEF_REPRESENTATIVE, date(2026, 3, 25), False),
        (Post.STAFF, date(2026, 3, 10), False),
    ],
)
def test_chief_representative_five_years(audience, dept_a, post, today, expected):
    StationingFactory(
        staff=StaffFactory(department=dept_a), post=post, start_date=date(2021, 3, 10)
    )
    run("windows.chief_long_tenure", today)
    rows = list(Notification.objects.values_list("kind", "period", "title"))
    if expected:
        assert {(k, p) for k, p, _ in rows} == {("tenure.chief_long", "60m")}
        assert "首席代表" in rows[0][2] and "5年" in rows[0][2]
    else:
        assert rows == []


# --- monthly scoring --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 3, 1), True), (date(2026, 3, 5), True), (date(2026, 3, 6), False)],
)
def test_scoring_due_by_the_fifth(audience, today, expected):
    run("assessments.scoring_due", today)
    rows = list(Notification.objects.values_list("recipient__username", "period", "title"))
    if expected:
        assert rows == [("admin", "2026-02", "2026年2月的月度考核评分应于2026年3月5日前完成")]
    else:
        assert rows == []
    run("assessments.scoring_due", date(2026, 3, 2))
    assert Notification.objects.count() == 1


def test_every_sweep_is_registered():
    assert {s.name for s in registry.sweeps(registry.DAILY)} >= {
        "staff.certificates",
        "windows.tenure",
        "windows.chief_long_tenure",
        "assessments.scoring_due",
        "assessments.appeal_deadlines",
        "assessments.rectifications",
        "training.sessions",
        "training.policy_updates",
        "training.onboarding",
        "training.behind_target",
        "joint.follow_ups",
    }
    # the departments' monthly slot (each sweep gates itself on its first day: the report on the
    # 10th, the attendance sheet on ATTENDANCE["SHEET_SEND_DAY"])
    assert sorted(s.name for s in registry.sweeps(registry.MONTHLY_REPORT)) == [
        "attendance.monthly_sheet",
        "portal.monthly_report",
    ]


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_rows(audience, dept_a):
    def queries_for(n: int) -> int:
        Notification.objects.all().delete()
        for _ in range(n):
            person = StaffFactory(department=dept_a)
            CertificateFactory(staff=person, expires_on=TODAY + timedelta(days=3))
            StationingFactory(staff=person, start_date=date(2024, 3, 10))
        with CaptureQueriesContext(connection) as captured:
            results = services.sweeps_run(today=TODAY)
        assert sum(r.created for r in results) == Notification.objects.count() > 0
        return len(captured.captured_queries)

    queries_for(1)  # warm the content-type cache
    assert queries_for(10) == queries_for(10)  # 10 more subjects: the same number of queries
