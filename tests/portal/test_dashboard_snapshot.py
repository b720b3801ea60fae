"""The dashboard shows a snapshot of its figures (portal.services.dashboard_snapshot_refresh):
taken when missing, retaken by beat and by the center's refresh button, always with the time it
was taken. A write shows after the next refresh, with nothing invalidated."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation

from portal import tasks
from portal.models import CENTER_SCOPE, DashboardSnapshot
from portal.services import dashboard_snapshot_refresh, dashboard_snapshot_refresh_all
from staff.models import EmploymentType
from staff.services import staff_update
from tests.conftest import client_for
from tests.factories import StaffFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("portal:dashboard")


def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response


def test_the_first_view_takes_the_snapshot_and_says_when(admin_user, dept_a):
    StaffFactory.create_batch(2, department=dept_a)
    assert not DashboardSnapshot.objects.exists()
    response = page(client_for(admin_user))
    snapshot = DashboardSnapshot.objects.get()
    assert snapshot.scope == CENTER_SCOPE and snapshot.figures["figures"]["total"] == 2
    assert response.context["figures"]["total"] == 2
    stamp = timezone.localtime(snapshot.taken_at).strftime("%H:%M")
    assert f"数据截至 {stamp}" in response.content.decode()


def test_a_write_shows_after_a_refresh_and_not_before(admin_user, dept_a):
    client = client_for(admin_user)
    StaffFactory.create_batch(2, department=dept_a)
    assert page(client).context["figures"]["total"] == 2
    person = StaffFactory(department=dept_a, gender="male")
    assert page(client).context["figures"]["total"] == 2  # the snapshot, as taken
    dashboard_snapshot_refresh(scope=CENTER_SCOPE)
    after = page(client)
    assert after.context["figures"]["total"] == 3
    women = after.context["figures"]["women"]
    staff_update(actor=admin_user, staff=person, gender="female", reason="更正")
    tasks.refresh_dashboard_snapshots()  # what beat runs
    assert page(client).context["figures"]["women"] == women + 1


def test_the_refresh_button_is_the_centers_and_audited(admin_user, hr_user, dept_a):
    client = client_for(admin_user)
    first = page(client)
    assert 'action="/dashboard/refresh/"' in first.content.decode()
    StaffFactory(department=dept_a)
    response = client.post(reverse("portal:dashboard_refresh"))
    assert response.status_code == 302
    assert page(client).context["figures"]["total"] == 1
    entry = LogEntry.objects.get(content_type__model="dashboardsnapshot")
    assert entry.actor == admin_user and entry.additional_data["bulk"] == "refresh"

    hr = client_for(hr_user)
    assert 'action="/dashboard/refresh/"' not in page(hr).content.decode()
    assert hr.post(reverse("portal:dashboard_refresh")).status_code == 403
    assert client.get(reverse("portal:dashboard_refresh")).status_code == 405


def test_center_and_hr_share_the_center_wide_row(admin_user, hr_user, dept_a, dept_b):
    StaffFactory.create_batch(2, department=dept_a)
    StaffFactory.create_batch(3, department=dept_b)
    assert page(client_for(admin_user)).context["figures"]["total"] == 5
    assert page(client_for(hr_user)).context["figures"]["total"] == 5
    assert DashboardSnapshot.objects.count() == 1


def test_a_department_scope_counts_only_its_departments(dept_a, dept_b):
    """Nobody confined may see the dashboard today (Perm.DASHBOARD_VIEW), but a scope of
    departments is computed as theirs, never the center's."""
    StaffFactory.create_batch(2, department=dept_a)
    StaffFactory.create_batch(3, department=dept_b)
    snapshot = dashboard_snapshot_refresh(scope=f"departments:{dept_a.pk}")
    assert snapshot.figures["figures"]["total"] == 2
    assert dashboard_snapshot_refresh_all() == 2  # the center's too
    assert DashboardSnapshot.objects.get(scope=CENTER_SCOPE).figures["figures"]["total"] == 5
    with pytest.raises(ValueError):
        dashboard_snapshot_refresh(scope="everything")


def test_a_refresh_asked_for_before_the_last_one_was_taken_does_nothing(admin_user):
    snapshot = dashboard_snapshot_refresh(scope=CENTER_SCOPE)
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        taken_at=timezone.now() + timedelta(minutes=1)  # taken after this call starts
    )
    assert count_queries(lambda: dashboard_snapshot_refresh(scope=CENTER_SCOPE)) <= 3


def test_scores_show_after_a_refresh(admin_user, dept_a):
    from assessments.services.scores import period_for_date, score_recompute
    from tests.windows.factories import StationingFactory, WindowFactory

    client = client_for(admin_user)
    today = date.today()
    window = WindowFactory(department=dept_a)
    StationingFactory(
        staff=StaffFactory(department=dept_a), window=window, start_date=date(today.year, 1, 1)
    )
    period = period_for_date(today.replace(day=1))
    before = page(client).context["assessment"]
    score_recompute(actor=admin_user, period=period)
    dashboard_snapshot_refresh(scope=CENTER_SCOPE)
    after = page(client).context["assessment"]
    assert after["average"] is not None and after != before
    assert after["period"].label == period.label


def test_labels_follow_the_readers_language(admin_user, dept_a):
    StaffFactory(department=dept_a, employment_type="temporary")
    with translation.override("en"):
        dashboard_snapshot_refresh(scope=CENTER_SCOPE)  # taken in English...
    client = client_for(admin_user)
    with translation.override("zh-hans"):
        label = str(EmploymentType.TEMPORARY.label)
    assert label != "Temporary hire"  # the reader's language, not the one it was taken in
    assert page(client).context["chart_employment"] == [{"label": label, "value": 1}]
    client.cookies["django_language"] = "en"
    en = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert "As of" in en.content.decode()


def _grow(department, n):
    from tests.windows.factories import StationingFactory, WindowFactory

    today = timezone.localdate()
    for _ in range(n):
        window = WindowFactory(department=department)
        StationingFactory(
            staff=StaffFactory(department=department),
            window=window,
            start_date=today - timedelta(days=700),  # reaches the minimum tenure soon
        )


@pytest.mark.parametrize("persona", ["admin_user", "hr_user"])
def test_the_page_reads_one_row_whatever_the_size(request, persona, dept_a):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    _grow(dept_a, 3)
    page(client)  # takes the snapshot (and the session)
    small = count_queries(lambda: page(client))
    _grow(dept_a, 6)
    dashboard_snapshot_refresh(scope=CENTER_SCOPE)
    assert len(page(client).context["tenure_milestones"]) == 9
    assert count_queries(lambda: page(client)) == small
    assert small <= 8, small


def test_milestones_list_the_first_names_and_count_the_rest(admin_user, dept_a, monkeypatch):
    from portal import dashboard

    monkeypatch.setattr(dashboard, "MILESTONES_SHOWN", 2)
    _grow(dept_a, 3)
    response = page(client_for(admin_user))
    assert len(response.context["tenure_milestones"]) == 2
    assert response.context["tenure_milestones_more"] == 1
    assert 'data-testid="milestones-more"' in response.content.decode()
