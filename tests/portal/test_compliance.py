"""Every compliance figure of the dashboard opens the list of what stands behind it, live and in
the viewer's scope; the figure and its list come from the same definition."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dashboard import COMPLIANCE_TITLES
from staff.models import EmploymentType
from tests.conftest import client_for
from tests.factories import CertificateFactory, StaffFactory
from tests.queries import assert_constant_queries
from tests.windows.factories import ServiceItemFactory, StationingFactory, WindowFactory
from windows.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def center(dept_a, dept_b):
    """One case of each figure in department A, and a chief without a certificate in B."""
    today = timezone.localdate()
    licensing = WindowFactory(
        department=dept_a,
        code="A-01",
        items=[ServiceItemFactory(department=dept_a, is_licensing=True)],
    )
    plain = WindowFactory(department=dept_a, code="A-02")
    people = {
        "rehired_chief": StaffFactory(
            department=dept_a, name="返聘首代", employment_type=EmploymentType.RETIRED_REHIRED
        ),
        "expired_chief": StaffFactory(department=dept_a, name="过期首代"),
        "temp": StaffFactory(
            department=dept_a, name="临聘窗口", employment_type=EmploymentType.TEMPORARY
        ),
        "early": StaffFactory(department=dept_a, name="提前调离"),
        "expiring": StaffFactory(department=dept_a, name="即将到期"),
        "b_chief": StaffFactory(department=dept_b, name="乙部门首代"),
    }
    StationingFactory(
        staff=people["rehired_chief"],
        window=licensing,
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=today - timedelta(days=30),
    )
    CertificateFactory(
        staff=people["rehired_chief"],
        issued_on=today - timedelta(days=100),
        expires_on=today + timedelta(days=300),
    )
    CertificateFactory(
        staff=people["expired_chief"],
        issued_on=today - timedelta(days=900),
        expires_on=today - timedelta(days=1),
    )
    StationingFactory(
        staff=people["expired_chief"],
        window=plain,
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=today - timedelta(days=30),
    )
    StationingFactory(staff=people["temp"], window=licensing, start_date=today - timedelta(days=9))
    StationingFactory(
        staff=people["early"],
        window=plain,
        start_date=today - timedelta(days=200),
        end_date=today,
        is_early_end=True,
    )
    CertificateFactory(
        staff=people["expiring"],
        issued_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=10),
    )
    StationingFactory(
        staff=people["b_chief"],
        window=WindowFactory(department=dept_b, code="B-01"),
        post=Post.CHIEF_REPRESENTATIVE,
        start_date=today - timedelta(days=30),
    )
    return people


def names(response) -> set[str]:
    rows = response.context["page"].object_list
    return {getattr(row, "staff", row).name for row in rows}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("ineligible_chiefs", {"返聘首代", "过期首代", "乙部门首代"}),
        ("chief_certificate_expired", {"过期首代"}),
        ("chief_certificate_missing", {"乙部门首代"}),
        ("temporary_in_licensing", {"临聘窗口"}),
        ("early_transfers", {"提前调离"}),
        ("certificate_expired", {"过期首代"}),
        ("certificate_expiring", {"即将到期"}),
    ],
)
def test_each_figure_lists_exactly_its_people(admin_user, center, kind, expected):
    client = client_for(admin_user)
    response = client.get(reverse("portal:compliance", args=[kind]))
    assert response.status_code == 200
    assert names(response) == expected
    page = response.content.decode()
    assert str(COMPLIANCE_TITLES[kind]).split("%")[0] in page
    for name in expected:
        assert name in page
    # the dashboard's figure is the list's length: one definition for both
    dashboard = client.get(reverse("portal:dashboard")).context
    figure = (dashboard["windows_compliance"] | dashboard["compliance"])[kind]
    assert figure == len(expected)


def test_the_dashboard_links_every_risk_to_its_list(admin_user, center):
    page = client_for(admin_user).get(reverse("portal:dashboard")).content.decode()
    for kind in COMPLIANCE_TITLES:
        assert reverse("portal:compliance", args=[kind]) in page
    # the number of temporary hires is information, not a count of violations
    assert "仅可从事受理、咨询或辅助岗位" in page


def test_an_unknown_figure_is_404(admin_user):
    response = client_for(admin_user).get(reverse("portal:compliance", args=["nothing"]))
    assert response.status_code == 404


def test_hr_reads_the_lists_the_liaison_and_staff_do_not(hr_user, liaison_a, staff_user, center):
    url = reverse("portal:compliance", args=["ineligible_chiefs"])
    assert client_for(hr_user).get(url).status_code == 200
    assert client_for(liaison_a).get(url).status_code == 403
    assert client_for(staff_user).get(url).status_code == 403


@pytest.mark.parametrize(
    "kind", ["ineligible_chiefs", "certificate_expiring", "certificate_expired"]
)
def test_a_list_costs_the_same_for_any_number_of_rows(admin_user, dept_a, center, kind):
    client = client_for(admin_user)
    url = reverse("portal:compliance", args=[kind])
    today = timezone.localdate()
    window = WindowFactory(department=dept_a, code="A-09")

    def grow():
        for n in range(5):
            person = StaffFactory(department=dept_a, employment_type=EmploymentType.RETIRED_REHIRED)
            CertificateFactory(
                staff=person,
                issued_on=today - timedelta(days=700),
                expires_on=today + (timedelta(days=5 + n) if n else -timedelta(days=2)),
            )
            StationingFactory(
                staff=person,
                window=window,
                post=Post.CHIEF_REPRESENTATIVE if n == 0 else Post.STAFF,
                start_date=today - timedelta(days=3),
            )

    assert_constant_queries(lambda: client.get(url), grow, at_most=8)


def test_each_headcount_opens_the_staff_list_of_the_same_people(admin_user, dept_a):
    from staff.models import CenterRole, Gender, PoliticalStatus, StaffStatus

    StaffFactory(department=dept_a, center_role=CenterRole.MANAGEMENT, gender=Gender.FEMALE)
    StaffFactory(
        department=dept_a,
        center_role=CenterRole.SUPERVISION,
        political_status=PoliticalStatus.PROBATIONARY,
        status=StaffStatus.SECOND_LINE,
    )
    StaffFactory(
        department=dept_a,
        employment_type=EmploymentType.TEMPORARY,
        political_status=PoliticalStatus.PARTY_MEMBER,
    )
    StaffFactory(department=dept_a, status=StaffStatus.LEFT, gender=Gender.FEMALE)
    client = client_for(admin_user)
    dashboard = client.get(reverse("portal:dashboard"))
    html = dashboard.content.decode()
    import re

    links = dict(re.findall(r'data-figure="(\w+)" href="([^"]+)"', html))
    assert set(links) == set(dashboard.context["figures"])
    for figure, href in links.items():
        listed = client.get(href.replace("&amp;", "&")).context["page"].paginator.count
        assert listed == dashboard.context["figures"][figure], figure


def test_the_dashboard_lists_the_windows_the_rules_want_filled(admin_user, center, dept_a):
    """A chief without a letter, no A/B pair anywhere: every active window is counted and linked."""
    from windows.models import Window

    page = client_for(admin_user).get(reverse("portal:dashboard"))
    figures = page.context["windows_compliance"]
    active = Window.objects.filter(active=True).count()
    assert figures["without_chief"] == active  # no letters of appointment in this center
    assert figures["without_stand_in"] == active
    assert figures["replacements_open"] == 0
    html = page.content.decode()
    assert reverse("windows:without_chief") in html
    assert reverse("windows:stand_in_board") + "?missing=1" in html
