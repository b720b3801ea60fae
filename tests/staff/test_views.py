import pytest
from django.urls import reverse
from django.utils import translation

from staff.models import Staff
from tests.conftest import client_for
from tests.queries import assert_constant_queries

from ..factories import CertificateFactory, DepartmentFactory, StaffFactory, valid_id_number


def test_staff_list_filters_and_search(admin_user, dept_a, dept_b):
    StaffFactory(department=dept_a, name="王芳", employment_type="temporary", gender="female")
    StaffFactory(department=dept_a, name="王强", employment_type="civil_servant")
    StaffFactory(department=dept_b, name="李娜", employment_type="temporary", gender="female")
    client = client_for(admin_user)
    url = reverse("staff:list")

    def names(query):
        response = client.get(url, query)
        assert response.status_code == 200
        return sorted(p.name for p in response.context["page"].object_list)

    assert names({"q": "王"}) == ["王强", "王芳"]
    assert names({"employment_type": "temporary"}) == ["李娜", "王芳"]
    assert names({"department": dept_b.pk}) == ["李娜"]
    assert names({"gender": "female", "department": dept_a.pk}) == ["王芳"]
    assert names({"ordering": "-name"}) == ["李娜", "王强", "王芳"]


def test_liaison_list_shows_only_their_department(liaison_a, person_a, person_b):
    response = client_for(liaison_a).get(reverse("staff:list"))
    shown = list(response.context["page"].object_list)
    assert shown == [person_a]
    # the department filter does not even offer another department
    choices = [str(c) for c in response.context["filter"].form.fields["department"].queryset]
    assert choices == [person_a.department.name]


def test_htmx_request_renders_only_the_table(admin_user, person_a):
    response = client_for(admin_user).get(reverse("staff:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and person_a.name in body


def _rows(n, department):
    for _ in range(n):
        person = StaffFactory(department=department)
        CertificateFactory(staff=person)


@pytest.mark.parametrize(
    ("url_name", "user", "query"),
    [
        ("staff:list", "admin_user", ""),
        ("staff:list", "liaison_a", ""),
        ("staff:list", "admin_user", "q=1&employment_type=civil_servant&ordering=-name"),
        ("staff:list", "admin_user", "gender=female&status=active&is_reserve_cadre=false"),
        ("staff:list", "admin_user", "page=2"),  # a deeper page
        ("staff:list", "liaison_a", "q=a&page=2"),
        ("staff:department_list", "admin_user", ""),
        ("staff:department_list", "liaison_a", ""),
        ("portal:dashboard", "admin_user", ""),
        ("portal:audit", "admin_user", ""),
    ],
)
def test_list_pages_run_constant_queries(request, url_name, user, query, dept_a, monkeypatch):
    from staff import views as staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 5)  # so that page 2 exists at N and 2N
    client = client_for(request.getfixturevalue(user))
    url = reverse(url_name) + ("?" + query if query else "")
    _rows(5, dept_a)
    for department in DepartmentFactory.create_batch(2):
        _rows(5, department)

    def grow():
        _rows(10, dept_a)
        for department in DepartmentFactory.create_batch(2):
            _rows(10, department)

    # Lists: ≤ 12 with the top bar's badge, nothing cached. The dashboard reads its snapshot row
    # (portal.views.dashboard; taken by the first request, outside the count).
    budget = 5 if url_name == "portal:dashboard" else 12
    assert_constant_queries(lambda: client.get(url), grow, at_most=budget)


def test_staff_detail_runs_constant_queries(admin_user, person_a):
    client = client_for(admin_user)
    url = reverse("staff:detail", args=[person_a.pk])
    CertificateFactory(staff=person_a)

    def grow():
        for n in range(5):
            CertificateFactory(staff=person_a, number=f"G{n}")

    # ≤ 20 (detail budget), the panels included, the workload panel's months (issue #18) too:
    # the score table and its chart share one read.
    assert_constant_queries(lambda: client.get(url), grow, at_most=20)


def test_detail_masks_id_for_liaison_and_shows_it_to_admin(admin_user, liaison_a, person_a):
    url = reverse("staff:detail", args=[person_a.pk])
    masked = client_for(liaison_a).get(url)
    assert person_a.id_number not in masked.content.decode()
    assert person_a.masked_id_number in masked.content.decode()
    assert "no-cache" in masked["Cache-Control"] or "no-store" in masked["Cache-Control"]
    full = client_for(admin_user).get(url)
    assert person_a.id_number in full.content.decode()


def test_create_via_browser_shows_inline_translated_errors(liaison_a, dept_a):
    client = client_for(liaison_a)
    data = {
        "staff_number": "W1",
        "name": "赵六",
        "gender": "male",
        "id_number": "110105194912310021",
        "political_status": "masses",
        "employment_type": "civil_servant",
        "department": dept_a.pk,
        "center_role": "window",
        "status": "active",
    }
    response = client.post(reverse("staff:create"), data)
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not Staff.objects.exists()

    data["id_number"] = valid_id_number(77)
    response = client.post(reverse("staff:create"), data)
    person = Staff.objects.get(staff_number="W1")
    assert response.status_code == 302 and response["Location"].endswith(f"/staff/{person.pk}/")


def test_liaison_edit_keeps_hidden_id_number(liaison_a, person_a):
    client = client_for(liaison_a)
    url = reverse("staff:update", args=[person_a.pk])
    page = client.get(url).content.decode()
    assert person_a.id_number not in page, "the edit form must not reveal the full ID number"
    data = {
        "staff_number": person_a.staff_number,
        "name": "改过的名字",
        "gender": person_a.gender,
        "date_of_birth": person_a.date_of_birth.isoformat(),
        "id_number": "",
        "mobile": person_a.mobile,
        "political_status": person_a.political_status,
        "employment_type": person_a.employment_type,
        "department": person_a.department_id,
        "center_role": person_a.center_role,
        "status": person_a.status,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    old_id = person_a.id_number
    person_a.refresh_from_db()
    assert person_a.name == "改过的名字" and person_a.id_number == old_id


def test_roster_import_page_previews_then_commits(admin_user, dept_a):
    from .test_roster import row, xlsx

    client = client_for(admin_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.xlsx", xlsx([row(1), row(2, **{"手机号码": "1"})]))
    response = client.post(reverse("staff:import"), {"file": bad})
    assert response.status_code == 400
    assert "行号" in response.content.decode() and "手机号码" in response.content.decode()
    assert not Staff.objects.exists()

    good = SimpleUploadedFile("r.xlsx", xlsx([row(1), row(2)]))
    response = client.post(reverse("staff:import"), {"file": good})
    assert response.status_code == 200
    token = response.context["token"]
    assert not Staff.objects.exists()
    response = client.post(reverse("staff:import"), {"token": token})
    assert response.status_code == 302
    assert Staff.objects.count() == 2
    # the token is single use
    response = client.post(reverse("staff:import"), {"token": token}, follow=True)
    assert Staff.objects.count() == 2


def test_a_token_from_another_user_is_refused(admin_user, liaison_a, dept_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_roster import row, xlsx

    response = client_for(admin_user).post(
        reverse("staff:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row(1)]))}
    )
    token = response.context["token"]
    client_for(liaison_a).post(reverse("staff:import"), {"token": token})
    assert not Staff.objects.exists()


def test_dashboard_figures_match_the_database(admin_user, dept_a):
    StaffFactory.create_batch(3, department=dept_a, employment_type="temporary", gender="female")
    StaffFactory(department=dept_a, political_status="party_member", center_role="management")
    StaffFactory(department=dept_a, status="left")
    response = client_for(admin_user).get(reverse("portal:dashboard"))
    figures = response.context["figures"]
    assert figures == {
        "total": 4,
        "management": 1,
        "supervision": 0,
        "window": 3,
        "temporary": 3,
        "women": 3,
        "party_members": 1,
    }


def test_pages_speak_chinese_and_english(admin_user, person_a):
    client = client_for(admin_user)
    zh = client.get(reverse("staff:list")).content.decode()
    assert "工作人员" in zh and "Staff</h1>" not in zh
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        en = client.get(reverse("staff:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add a person" in en


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "姓名（降序）"), ("en", "full name (descending)")]
)
def test_sort_options_follow_the_page_language(admin_user, language, expected):
    """Descending sort labels are translated per request, not frozen at import."""
    client = client_for(admin_user)
    client.cookies["django_language"] = language
    response = client.get(reverse("staff:list"), HTTP_ACCEPT_LANGUAGE=language)
    labels = [
        str(label) for _value, label in response.context["filter"].form.fields["ordering"].choices
    ]
    assert expected in labels
    assert not [label for label in labels if "descending" in label and language != "en"]


def test_the_filter_bar_is_scoped_shows_the_choice_and_follows_departments(
    admin_user, liaison_a, dept_a, dept_b
):
    """The filter bar's selects (staff.views._filter_fields, drawn on every request):
    a liaison never gets the center's department list, a choice shows selected, and a new
    department appears at once."""
    url = reverse("staff:list")
    admin = client_for(admin_user)
    liaison = client_for(liaison_a)

    def department_options(client, **params):
        html = client.get(url, params).content.decode()
        select = html.split('name="department"', 1)[1].split("</select>", 1)[0]
        return select

    assert dept_b.name in department_options(admin)
    assert dept_b.name not in department_options(liaison)  # after the center's was cached
    assert dept_a.name in department_options(liaison)
    chosen = department_options(admin, department=dept_b.pk)
    assert f'value="{dept_b.pk}" selected' in chosen
    assert f'value="{dept_b.pk}" selected' not in department_options(admin)
    DepartmentFactory(name="新设部门")
    assert "新设部门" in department_options(admin)


def test_search_matches_names_numbers_in_any_case_and_mobile_prefixes(dept_a):
    StaffFactory(department=dept_a, name="王芳", staff_number="Sz0101", mobile="13800000001")
    StaffFactory(department=dept_a, name="Anna 李", staff_number="T0202", mobile="13900000002")

    def found(text):
        return sorted(Staff.objects.search(text).values_list("name", flat=True))

    assert found("王") == ["王芳"]
    assert found("sz01") == found("SZ01") == ["王芳"]  # letters: any case
    assert found("anna") == found("ANNA 李") == ["Anna 李"]
    assert found("0202") == ["Anna 李"]  # digits inside a staff number
    assert found("139") == ["Anna 李"]  # mobile prefix
    assert found("0000") == []  # inside a mobile number, not at its start
    assert found("  ") == ["Anna 李", "王芳"]


def test_list_order_is_stable_with_id_only_after_a_non_unique_field():
    """Staff numbers are unique: ordering by them alone is stable (and spares PostgreSQL a sort
    of every row up to a deep page); names are not, so id breaks their ties."""
    from staff.filters import StaffFilter

    def order(params):
        return StaffFilter(params, queryset=Staff.objects.all()).qs.query.order_by

    assert order({}) == ("staff_number",)
    assert order({"ordering": "-staff_number"}) == ("-staff_number",)
    assert order({"ordering": "name"}) == ("name", "id")
    assert order({"ordering": "department"}) == ("department__code", "id")


def test_counts_above_the_threshold_are_estimates_and_say_so(admin_user, dept_a, settings):
    """core.pagination.CountPaginator: past PAGINATOR_ESTIMATE_ABOVE the planner's estimate
    stands in for the count (PostgreSQL only), and the list says 约 (about)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    from tests.windows.factories import WindowFactory

    StaffFactory.create_batch(3, department=dept_a)
    WindowFactory(department=dept_a)
    client = client_for(admin_user)
    exact = client.get(reverse("staff:list")).content.decode()
    assert "约" not in exact.split('data-testid="result-count">', 1)[1][:20]
    settings.CENTER = {**settings.CENTER, "PAGINATOR_ESTIMATE_ABOVE": 0}
    for url in (reverse("staff:list"), reverse("windows:board")):
        response = client.get(url)
        assert response.context["page"].paginator.estimated, url
        assert "约 " in response.content.decode(), url
