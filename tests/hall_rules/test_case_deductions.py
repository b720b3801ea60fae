"""Overdue cases become PROPOSED deductions: one per case, against the person the case system
names or else the window's chief; confirmed in one step through the entry service (the person is
notified and may appeal); a rerun never counts a case twice; a case corrected to on time withdraws
its unconfirmed proposal; a dismissed one stays dismissed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments.models import CaseDeduction, CaseRecord, Entry
from assessments.services import cases as case_services
from core.models import WorkdayOverride
from notifications.models import Notification

from ..conftest import client_for
from ..queries import assert_constant_queries
from .test_case_feed import push, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(hall, case_client, db):
    WorkdayOverride.objects.create(date=date(2026, 11, 9), is_working_day=False)
    _client, raw = case_client
    answer = push(
        raw,
        [
            # the window staff persona: completed a day late
            row(
                case_number="LATE",
                staff_number=hall["me"].staff_number,
                status="completed",
                completed_at="2026-11-12 09:00",
            ),
            # no person named: still open, long past the deadline → the window's chief
            row(case_number="OPEN"),
            # on time: nothing
            row(
                case_number="ON-TIME",
                staff_number=hall["person_a"].staff_number,
                status="completed",
                completed_at="2026-11-11 16:00",
            ),
            # window B has no chief: no person, no proposal
            row(case_number="NOBODY", window="B01"),
            # withdrawn by the applicant: never counted
            row(case_number="WITHDRAWN", status="withdrawn"),
        ],
    )
    assert answer.json()["counts"]["created"] == 5
    return raw


def _by_case():
    return {d.case.case_number: d for d in CaseDeduction.objects.select_related("case")}


def test_the_push_proposes_one_per_overdue_case(hall, late):
    found = _by_case()
    assert {n for n, d in found.items() if d.state == "proposed"} == {"LATE", "OPEN"}
    assert found["LATE"].staff == hall["me"] and found["LATE"].overdue_days == 1
    assert found["OPEN"].staff == hall["chief"]
    assert all(d.state == "proposed" for d in found.values())


def test_rerun_never_double_counts(hall, late, admin_user):
    first = case_services.case_deductions_propose(actor=admin_user)
    assert first["created"] == 0
    assert CaseDeduction.objects.count() == 2
    late_one = _by_case()["LATE"]
    case_services.case_deductions_confirm(actor=admin_user, ids=[late_one.pk])
    again = case_services.case_deductions_propose(actor=admin_user)
    assert again["created"] == 0
    # confirming the same proposal twice records it once
    case_services.case_deductions_confirm(actor=admin_user, ids=[late_one.pk])
    assert Entry.objects.filter(rule__code="E03", joint_parent__isnull=True).count() == 1


def test_confirm_records_an_entry_the_person_is_notified_of(hall, late, admin_user, staff_user):
    item = _by_case()["LATE"]
    [done] = case_services.case_deductions_confirm(actor=admin_user, ids=[item.pk])
    assert done.state == "confirmed"
    entry = done.entry
    assert entry.rule.code == "E03" and entry.staff == hall["me"]
    assert entry.date == date(2026, 11, 12) and entry.window == hall["window_a"]
    assert "LATE" in entry.notes
    assert entry.appeal_deadline is not None  # appealable like any entry
    assert Notification.objects.filter(recipient=staff_user).exists()


def test_correction_withdraws_an_unconfirmed_proposal(hall, late, admin_user):
    confirmed = _by_case()["OPEN"]
    case_services.case_deductions_confirm(actor=admin_user, ids=[confirmed.pk])
    # the case system corrects both: LATE was in fact completed on the deadline, OPEN too
    answer = push(
        late,
        [
            row(
                case_number="LATE",
                staff_number=hall["me"].staff_number,
                status="completed",
                completed_at="2026-11-11 09:00",
            ),
            row(case_number="OPEN", status="completed", completed_at="2026-11-10 09:00"),
        ],
    )
    assert answer.json()["counts"]["updated"] == 2
    found = _by_case()
    assert found["LATE"].state == "withdrawn"
    assert case_services.case_deductions_confirm(actor=admin_user, ids=[found["LATE"].pk]) == []
    # overdue again (a second correction): proposed again, the same row
    push(
        late,
        [
            row(
                case_number="LATE",
                staff_number=hall["me"].staff_number,
                status="completed",
                completed_at="2026-11-13 09:00",
            )
        ],
    )
    again = _by_case()["LATE"]
    assert again.pk == found["LATE"].pk and again.state == "proposed" and again.overdue_days == 2
    assert found["OPEN"].state == "confirmed"  # a confirmed one is never touched


def test_dismiss_needs_a_reason_and_stays_dismissed(hall, late, admin_user):
    from django.core.exceptions import ValidationError

    item = _by_case()["OPEN"]
    with pytest.raises(ValidationError):
        case_services.case_deduction_dismiss(actor=admin_user, deduction=item, reason=" ")
    case_services.case_deduction_dismiss(actor=admin_user, deduction=item, reason="系统停机顺延")
    case_services.case_deductions_propose(actor=admin_user)
    assert _by_case()["OPEN"].state == "dismissed"
    assert CaseRecord.objects.count() == 5


def test_pages_confirm_and_dismiss(hall, late, admin_user):
    browser = client_for(admin_user)
    page = browser.get(reverse("assessments:case_deductions"))
    assert page.status_code == 200
    assert "LATE" in page.content.decode() and "OPEN" in page.content.decode()
    found = _by_case()
    answer = browser.post(
        reverse("assessments:case_deduction_confirm"), {"ids": [found["LATE"].pk]}
    )
    assert answer.status_code == 302
    assert CaseDeduction.objects.get(pk=found["LATE"].pk).state == "confirmed"
    form = browser.get(reverse("assessments:case_deduction_dismiss", args=[found["OPEN"].pk]))
    assert form.status_code == 200
    empty = browser.post(
        reverse("assessments:case_deduction_dismiss", args=[found["OPEN"].pk]), {"reason": ""}
    )
    assert empty.status_code == 200  # the form again, with the error
    browser.post(
        reverse("assessments:case_deduction_dismiss", args=[found["OPEN"].pk]),
        {"reason": "系统停机顺延"},
    )
    assert CaseDeduction.objects.get(pk=found["OPEN"].pk).state == "dismissed"
    assert browser.post(reverse("assessments:case_deduction_propose")).status_code == 302


def test_api_lists_confirms_and_dismisses(hall, late, admin_user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_user)
    listed = api.get("/api/v1/case-deductions/?state=proposed")
    assert listed.status_code == 200
    ids = {r["case_number"]: r["id"] for r in listed.json()["results"]}
    assert set(ids) == {"LATE", "OPEN"}
    confirmed = api.post("/api/v1/case-deductions/confirm/", {"ids": [ids["LATE"]]}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()[0]["state"] == "confirmed"
    dismissed = api.post(
        f"/api/v1/case-deductions/{ids['OPEN']}/dismiss/", {"reason": "顺延"}, format="json"
    )
    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed"
    rerun = api.post("/api/v1/case-deductions/propose/")
    assert rerun.status_code == 200 and rerun.json()["created"] == 0


def test_list_page_queries_do_not_grow(hall, late, admin_user):
    browser = client_for(admin_user)
    url = reverse("assessments:case_deductions")
    counter = iter(range(100, 200))

    def grow():
        push(late, [row(case_number=f"MORE-{next(counter)}") for _ in range(5)])

    assert_constant_queries(lambda: browser.get(url), grow, at_most=25)


def test_an_open_case_crossing_its_deadline_is_proposed_by_the_rerun(hall, case_client, admin_user):
    from django.utils import timezone

    _client, raw = case_client
    accepted = timezone.localtime() - timedelta(minutes=5)  # never in the future, at any hour
    push(raw, [row(case_number="FRESH", accepted_at=accepted.strftime("%Y-%m-%d %H:%M"))])
    case = CaseRecord.objects.get(case_number="FRESH")
    assert case.deadline > timezone.localdate()
    assert not CaseDeduction.objects.filter(case=case).exists()
    assert case_services.case_deductions_propose(actor=admin_user)["created"] == 0
    later = case.deadline + timedelta(days=1)
    counts = case_services.case_deductions_propose(actor=admin_user, today=later)
    assert counts["created"] == 1
    assert CaseDeduction.objects.get(case=case).staff == hall["chief"]


def test_the_daily_sweep_proposes_what_crossed_its_deadline_unasked(hall, case_client):
    """No one presses the button: beat's ``assessments.overdue_cases_sweep`` writes the proposal
    the day after the deadline, audited as the system; a second run the same day writes nothing."""
    from django.conf import settings
    from django.utils import timezone

    from assessments.tasks import overdue_cases_sweep

    entry = settings.CELERY_BEAT_SCHEDULE["assessments-overdue-cases"]
    assert entry["task"] == overdue_cases_sweep.name
    _client, raw = case_client
    accepted = timezone.localtime() - timedelta(minutes=5)
    push(raw, [row(case_number="QUIET", accepted_at=accepted.strftime("%Y-%m-%d %H:%M"))])
    case = CaseRecord.objects.get(case_number="QUIET")
    assert overdue_cases_sweep()["created"] == 0  # not overdue yet
    later = case.deadline + timedelta(days=1)
    assert case_services.case_deductions_sweep(today=later)["created"] == 1
    assert CaseDeduction.objects.get(case=case).state == "proposed"
    assert case_services.case_deductions_sweep(today=later) == {
        "created": 0,
        "updated": 0,
        "withdrawn": 0,
    }
