"""Pages and endpoints: they work, write through the services, and run constant queries."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from joint.models import FollowUp, FollowUpState, Talk, Visit
from joint.suggestions import suggestion_rebuild
from tests.conftest import client_for
from tests.queries import assert_constant_queries

from ..factories import StaffFactory
from .factories import FollowUpFactory, StationingFactory, TalkFactory, VisitFactory, WindowFactory


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_liaison_records_a_visit_in_the_browser(liaison_a, dept_a, dept_b):
    mine = WindowFactory(department=dept_a, code="A01")
    foreign = WindowFactory(department=dept_b, code="B01")
    client = client_for(liaison_a)
    url = reverse("joint:visit_create") + f"?department={dept_a.pk}"
    page = client.get(url).content.decode()
    assert "A01" in page and "B01" not in page
    bad = client.post(
        url,
        {
            "department": dept_a.pk,
            "date": "2026-03-02",
            "visitors": "李局长",
            "windows": [mine.pk, foreign.pk],
        },
    )
    assert bad.status_code == 400 and "B01" in bad.content.decode()
    assert not Visit.objects.exists()
    ok = client.post(
        url,
        {
            "department": dept_a.pk,
            "date": "2026-03-02",
            "visitors": "李局长",
            "windows": [mine.pk],
            "summary": "看望",
        },
    )
    visit = Visit.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "joint:visit_detail", args=[visit.pk]
    )
    assert visit.created_by == liaison_a and list(visit.windows.all()) == [mine]


def test_liaison_records_a_talk_and_a_follow_up_and_moves_it(liaison_a, person_a, person_b):
    client = client_for(liaison_a)
    form = client.get(reverse("joint:talk_create") + f"?staff={person_a.pk}&kind=after_transfer")
    assert person_a.staff_number in form.content.decode()
    data = {
        "staff_number": person_b.staff_number,
        "date": "2026-03-02",
        "talker_kind": "leader",
        "talker_names": "李局长",
        "kind": "routine",
        "level": "standard",
        "topics": "排班",
    }
    refused = client.post(reverse("joint:talk_create"), data)
    assert refused.status_code == 400 and not Talk.objects.exists()
    data["staff_number"] = person_a.staff_number
    response = client.post(reverse("joint:talk_create"), data)
    talk = Talk.objects.get()
    assert response.status_code == 302 and talk.author == liaison_a and talk.staff == person_a
    added = client.post(
        reverse("joint:follow_up_create", args=[talk.pk]),
        {"description": "协调排班", "owner": "王科长", "due_date": "2026-03-20"},
    )
    assert added.status_code == 302
    item = FollowUp.objects.get()
    url = reverse("joint:follow_up_transition", args=[item.pk])
    client.post(url, {"to": "resolved", "note": ""})
    item.refresh_from_db()
    assert item.state == FollowUpState.OPEN  # a note is required
    client.post(url, {"to": "resolved", "note": "已调整"})
    item.refresh_from_db()
    assert (item.state, item.resolution) == (FollowUpState.RESOLVED, "已调整")


def test_department_page_shows_tenure_flags_and_the_report(liaison_a, dept_a):
    today = timezone.localdate()
    stationing = StationingFactory(
        staff__department=dept_a, staff__name="老张", start_date=today - timedelta(days=800)
    )
    StationingFactory(staff__department=dept_a, staff__name="新李", start_date=today)
    VisitFactory(department=dept_a, date=today)
    suggestion_rebuild()  # the factories wrote no event: the daily sweep's rebuild
    html = client_for(liaison_a).get(reverse("joint:department")).content.decode()
    staff_section = html.split('data-section="joint-staff"')[1].split("</table>")[0]
    assert "老张" in staff_section and stationing.window.code in staff_section
    assert "12个月未谈话" in staff_section and "近30天岗位调整" in staff_section
    report = html.split('data-section="joint-report"')[1]
    assert "新李" in report


def test_report_download_is_an_xlsx_with_the_months_figures(liaison_a, dept_a):
    StationingFactory(staff__department=dept_a, staff__name="=cmd|x", start_date=date(2026, 1, 5))
    VisitFactory(department=dept_a, date=date(2026, 1, 9))
    response = client_for(liaison_a).get(
        reverse("joint:report_download") + f"?department={dept_a.pk}&month=2026-01"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["月份"] == "2026-01" and summary["走访"] == 1 and summary["本月进驻窗口"] == 1
    names = [row[2] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert "'=cmd|x" in names  # formula-safe


def test_report_hooks_add_figures(liaison_a, dept_a):
    from joint import report

    report.register_report_figure(
        "scores",
        order=10,
        label="本月平均分",
        fn=lambda dept_id, first, last: f"{dept_id}:{first:%m}",
    )
    try:
        html = (
            client_for(liaison_a)
            .get(reverse("joint:report") + f"?department={dept_a.pk}&month=2026-02")
            .content.decode()
        )
        assert "本月平均分" in html and f"{dept_a.pk}:02" in html
    finally:
        del report._FIGURES["scores"]


def test_center_lists_unvisited_departments_and_overdue_follow_ups(
    admin_user, dept_a, dept_b, person_a
):
    VisitFactory(department=dept_a, date=timezone.localdate())
    VisitFactory(department=dept_b, date=timezone.localdate() - timedelta(days=120))
    FollowUpFactory(
        talk=TalkFactory(staff=person_a),
        description="逾期事项",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    html = client_for(admin_user).get(reverse("joint:center")).content.decode()
    unvisited = html.split('data-section="joint-unvisited"')[1].split("</ul>")[0]
    assert dept_b.name in unvisited and dept_a.name not in unvisited
    assert person_a.name in html.split('data-section="joint-overdue"')[1].split("</ul>")[0]


def test_api_creates_follow_ups_through_the_service(liaison_a, liaison_b, person_a):
    talk = TalkFactory(staff=person_a, author=liaison_a, date=date(2026, 3, 1))
    body = {"talk": talk.pk, "description": "d", "owner": "o", "due_date": "2026-02-01"}
    assert api(liaison_a).post("/api/v1/follow-ups/", body).status_code == 400
    assert (
        api(liaison_b).post("/api/v1/follow-ups/", body | {"due_date": "2026-04-01"}).status_code
        == 404
    )
    created = api(liaison_a).post("/api/v1/follow-ups/", body | {"due_date": "2026-04-01"})
    assert created.status_code == 201
    resolved = api(liaison_a).post(
        f"/api/v1/follow-ups/{created.json()['id']}/resolve/", {"note": "已办"}
    )
    assert resolved.json()["state"] == "resolved"
    assert (
        api(liaison_a).post(f"/api/v1/follow-ups/{created.json()['id']}/reopen/").status_code == 403
    )


def test_api_talk_create_is_scoped(liaison_a, person_a, person_b):
    body = {"date": "2026-03-02", "talker_kind": "leader", "talker_names": "李", "kind": "routine"}
    assert api(liaison_a).post("/api/v1/talks/", body | {"staff": person_b.pk}).status_code == 400
    created = api(liaison_a).post("/api/v1/talks/", body | {"staff": person_a.pk, "notes": "n"})
    assert created.status_code == 201 and created.json()["notes"] == "n"


# --- constant queries -----------------------------------------------------------------------------


@pytest.fixture
def grow_all(dept_a, liaison_a, staff_user):
    def grow():
        for _ in range(3):
            person = StaffFactory(department=dept_a)
            StationingFactory(staff=person, start_date=date(2024, 1, 1))
            talk = TalkFactory(staff=person, author=liaison_a)
            FollowUpFactory(talk=talk, due_date=date(2026, 1, 1))
            visit = VisitFactory(department=dept_a)
            visit.windows.add(WindowFactory(department=dept_a))
            own = TalkFactory(staff=staff_user.staff_profile, author=liaison_a)
            FollowUpFactory(talk=own)

    grow()
    return grow


# Cold: nothing is cached. The department page and the report include one query per figure
# portal adds to the report (6, portal/reminders.py).
PAGES = [
    ("admin_user", "joint:visit_list", 10),
    ("admin_user", "joint:talk_list", 8),
    ("admin_user", "joint:follow_up_list", 8),
    ("liaison_a", "joint:department", 20),
    ("admin_user", "joint:center", 10),
    ("liaison_a", "joint:report", 16),
    ("liaison_a", "joint:report_print", 16),  # the report as an A4 document (issue #20)
    ("liaison_a", "joint:report_pdf", 16),
    ("staff_user", "joint:talk_list", 8),
]


@pytest.mark.parametrize(("who", "url_name", "budget"), PAGES)
def test_pages_run_constant_queries(request, grow_all, who, url_name, budget):
    client = client_for(request.getfixturevalue(who))
    url = reverse(url_name)
    assert client.get(url).status_code == 200
    assert_constant_queries(lambda: client.get(url), grow_all, at_most=budget)


ENDPOINTS = [
    ("admin_user", "/api/v1/visits/"),
    ("liaison_a", "/api/v1/talks/"),
    ("staff_user", "/api/v1/talks/"),
    ("liaison_a", "/api/v1/follow-ups/"),
    ("staff_user", "/api/v1/follow-ups/"),
]


@pytest.mark.parametrize(("who", "url"), ENDPOINTS)
def test_endpoints_run_constant_queries(request, grow_all, who, url):
    client = api(request.getfixturevalue(who))
    assert client.get(url).status_code == 200
    assert_constant_queries(lambda: client.get(url), grow_all, at_most=8)


@pytest.mark.parametrize("who", ["liaison_a", "staff_user"])
def test_staff_detail_with_the_panel_runs_constant_queries(request, grow_all, staff_user, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("staff:detail", args=[staff_user.staff_profile.pk])
    # The composed page: the staff page, the joint panel and the training panel (its menu), the
    # workload panel's months (issue #18) included.
    assert_constant_queries(lambda: client.get(url), grow_all, at_most=20)


def test_api_visit_links_accounts_and_refuses_foreign_windows(liaison_a, dept_a, dept_b):
    mine = WindowFactory(department=dept_a)
    foreign = WindowFactory(department=dept_b)
    body = {"department": dept_a.pk, "date": "2026-03-02", "visitors": "李局长（局长）"}
    bad = api(liaison_a).post("/api/v1/visits/", body | {"windows": [foreign.pk]}, format="json")
    assert bad.status_code == 400 and "windows" in bad.json()
    elsewhere = api(liaison_a).post("/api/v1/visits/", body | {"department": dept_b.pk})
    assert elsewhere.status_code == 400 and not Visit.objects.exists()
    ok = api(liaison_a).post(
        "/api/v1/visits/",
        body | {"windows": [mine.pk], "visitor_users": [liaison_a.pk]},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["visitor_users"] == [liaison_a.pk] and ok.json()["windows"] == [mine.code]


_LEAK = __import__("re").compile(r">\s*([A-Z][a-z]+(?: [a-z]+){1,})\s*<")


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("liaison_a", "joint:department"),
        ("admin_user", "joint:center"),
        ("admin_user", "joint:visit_list"),
        ("admin_user", "joint:talk_list"),
        ("admin_user", "joint:follow_up_list"),
        ("liaison_a", "joint:talk_create"),
        ("liaison_a", "joint:visit_create"),
        ("liaison_a", "joint:report"),
        ("liaison_a", "joint:report_print"),
        ("staff_user", "joint:talk_request"),
    ],
)
def test_no_english_leaks_into_chinese_pages(request, grow_all, who, url_name):
    html = client_for(request.getfixturevalue(who)).get(reverse(url_name)).content.decode()
    assert not set(_LEAK.findall(html)), set(_LEAK.findall(html))


def test_talk_detail_has_no_english(liaison_a, person_a):
    talk = TalkFactory(staff=person_a, author=liaison_a)
    FollowUpFactory(talk=talk)
    html = client_for(liaison_a).get(reverse("joint:talk_detail", args=[talk.pk])).content.decode()
    assert not set(_LEAK.findall(html))


def test_the_report_lists_people_and_their_entries_not_only_figures(liaison_a, dept_a, admin_user):
    from assessments.models import AssessmentRule
    from assessments.rules_seed import load
    from assessments.services.entries import entry_record

    if not AssessmentRule.objects.exists():
        load(AssessmentRule)
    today = timezone.localdate()
    first = today.replace(day=1)
    deducted = StationingFactory(
        staff__department=dept_a, staff__name="王扣分", start_date=today - timedelta(days=400)
    )
    StationingFactory(
        staff__department=dept_a, staff__name="赵满分", start_date=today - timedelta(days=400)
    )
    rule = AssessmentRule.objects.filter(kind="deduction", evidence_required=False).first()
    entry_record(actor=admin_user, staff=deducted.staff, rule=rule, date=first, notes="迟到")
    url = reverse("joint:report") + f"?department={dept_a.pk}&month={first:%Y-%m}"
    response = client_for(liaison_a).get(url)
    people = response.context["report"].people
    assert [row["staff"].name for row in people] == ["赵满分", "王扣分"]  # best score first
    assert people[1]["score"].deductions == rule.points and people[1]["score"].rank_department == 2
    html = response.content.decode()
    assert "王扣分" in html.split('data-testid="report-entries"')[1] and "迟到" in html
    book = load_workbook(
        io.BytesIO(
            client_for(liaison_a)
            .get(reverse("joint:report_download") + f"?department={dept_a.pk}&month={first:%Y-%m}")
            .content
        )
    )
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    assert [r[1] for r in sheets["人员"][1:]] == ["赵满分", "王扣分"]
    assert sheets["扣分与加分"][1][2] == "王扣分"
