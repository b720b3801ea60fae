"""The chief representatives' letters through the API (issue #16): scoped reads, every rule of
``appointment_file`` / ``appointment_end`` answered with a translated 400, audited writes."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from staff.models import EmploymentType
from tests.queries import assert_constant_queries
from windows import selectors, services
from windows.models import ChiefAppointment, Post

from ..factories import CertificateFactory, StaffFactory
from .conftest import years_ago
from .factories import ServiceItemFactory, StationingFactory, WindowFactory

pytestmark = pytest.mark.django_db

LIST = reverse("appointment-list")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def eligible(dept, name, today):
    person = StaffFactory(department=dept, name=name)
    CertificateFactory(
        staff=person, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    return person


def body(stationing, item, today, **extra):
    return {
        "stationing": stationing.pk,
        "appointment_number": "任〔2026〕7号",
        "authorization_number": "授〔2026〕7号",
        "valid_from": today.isoformat(),
        "items": [{"service_item": item.pk, "can_accept": True, "can_decide": True}],
        **extra,
    }


def file_letter(actor, stationing, item, valid_from, number="1"):
    """Setup through the service, so each letter has its audit entry."""
    return services.appointment_file(
        actor=actor,
        stationing=stationing,
        appointment_number=f"任〔2025〕{number}号",
        authorization_number=f"授〔2025〕{number}号",
        valid_from=valid_from,
        valid_until=None,
        items=[{"service_item": item, "can_accept": True}],
    )


@pytest.fixture
def chief_a(admin_user, chief_stationing, licensing_item, today):
    file_letter(admin_user, chief_stationing, licensing_item, today - timedelta(days=30))
    chief_stationing.refresh_from_db()
    return chief_stationing


@pytest.fixture
def letter_b(admin_user, dept_b, window_b, today):
    item = ServiceItemFactory(department=dept_b, is_licensing=True)
    window_b.service_items.add(item)
    stationing = StationingFactory(
        staff=eligible(dept_b, "乙首席", today), window=window_b, start_date=years_ago(today, 1)
    )
    return file_letter(admin_user, stationing, item, today - timedelta(days=10), number="9")


def test_a_letter_is_filed_through_the_api_and_audited(
    admin_user, dept_a, window_a, licensing_item, today
):
    stationing = StationingFactory(
        staff=eligible(dept_a, "新首席", today), window=window_a, start_date=years_ago(today, 1)
    )
    answer = api(admin_user).post(LIST, body(stationing, licensing_item, today), format="json")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert (data["staff"]["name"], data["window"], data["valid_today"]) == ("新首席", "A-01", True)
    assert data["items"] == [
        {
            "service_item": licensing_item.pk,
            "code": licensing_item.code,
            "name": "食品经营许可",
            "can_accept": True,
            "can_review": False,
            "can_decide": True,
        }
    ]
    stationing.refresh_from_db()
    assert stationing.post == Post.CHIEF_REPRESENTATIVE
    letter = ChiefAppointment.objects.get(pk=data["id"])
    entry = LogEntry.objects.get_for_object(letter).get()
    assert entry.actor == admin_user and entry.action == LogEntry.Action.CREATE
    assert "首席代表" in str(entry.additional_data)  # the reason, in the user's language


def test_a_second_chief_is_refused_unless_replacing_explicitly(
    admin_user, chief_a, dept_a, licensing_item, today
):
    other = StationingFactory(
        staff=eligible(dept_a, "接任者", today),
        window=chief_a.window,
        start_date=years_ago(today, 1),
    )
    refused = api(admin_user).post(LIST, body(other, licensing_item, today), format="json")
    assert refused.status_code == 400
    assert "已有首席代表" in str(refused.json()) and "首席" in str(refused.json())
    assert not other.appointments.exists()
    done = api(admin_user).post(
        LIST, body(other, licensing_item, today, replace_current=True), format="json"
    )
    assert done.status_code == 201, done.content
    chief_a.refresh_from_db()
    other.refresh_from_db()
    assert (chief_a.post, other.post) == (Post.STAFF, Post.CHIEF_REPRESENTATIVE)
    assert chief_a.appointments.get().valid_until == today - timedelta(days=1)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("temporary", "临时聘用"),
        ("no_certificate", "执法证"),
        ("foreign_item", "本窗口不办理"),
        ("no_authority", "受理、审查或决定"),
        ("no_items", "至少授权一个服务事项"),
        ("ended", "已结束"),
    ],
)
def test_each_rule_of_an_appointment_is_a_translated_400(
    make, expected, admin_user, dept_a, window_a, licensing_item, today
):
    person = eligible(dept_a, "候任者", today)
    item = {"service_item": licensing_item.pk, "can_accept": True}
    end = None
    if make == "temporary":
        person = StaffFactory(
            department=dept_a, name="临时工", employment_type=EmploymentType.TEMPORARY
        )
    elif make == "no_certificate":
        person = StaffFactory(department=dept_a, name="无证者")
    elif make == "foreign_item":
        item["service_item"] = ServiceItemFactory(department=dept_a).pk
    elif make == "no_authority":
        item["can_accept"] = False
    elif make == "ended":
        end = today - timedelta(days=1)
    stationing = StationingFactory(
        staff=person, window=window_a, start_date=years_ago(today, 1), end_date=end
    )
    payload = body(stationing, licensing_item, today)
    payload["items"] = [] if make == "no_items" else [item]
    answer = api(admin_user).post(LIST, payload, format="json")
    assert answer.status_code == 400, answer.content
    assert expected in str(answer.json())
    assert not ChiefAppointment.objects.exists()


def test_only_the_center_files_and_an_unknown_stationing_is_not_found(
    admin_user, liaison_a, dept_a, window_a, licensing_item, today
):
    stationing = StationingFactory(
        staff=eligible(dept_a, "候任者", today), window=window_a, start_date=years_ago(today, 1)
    )
    payload = body(stationing, licensing_item, today)
    assert api(liaison_a).post(LIST, payload, format="json").status_code == 403
    payload["stationing"] = stationing.pk + 1000
    assert api(admin_user).post(LIST, payload, format="json").status_code == 404
    assert not ChiefAppointment.objects.exists()


def test_reads_are_scoped_to_the_callers_department(
    admin_user, liaison_a, liaison_b, hr_user, staff_user, chief_a, letter_b
):
    mine = chief_a.appointments.get()
    names = {row["staff"]["name"] for row in api(liaison_a).get(LIST).json()["results"]}
    assert names == {"首席"}
    assert api(liaison_a).get(reverse("appointment-detail", args=[mine.pk])).status_code == 200
    assert api(liaison_a).get(reverse("appointment-detail", args=[letter_b.pk])).status_code == 404
    assert api(liaison_b).get(reverse("appointment-detail", args=[mine.pk])).status_code == 404
    end = reverse("appointment-end", args=[letter_b.pk])
    assert api(liaison_a).post(end, {"reason": "调离"}, format="json").status_code == 403
    assert len(api(hr_user).get(LIST).json()["results"]) == 2
    assert len(api(admin_user).get(LIST).json()["results"]) == 2
    assert api(staff_user).get(LIST).status_code == 403


def test_ending_an_appointment_relieves_the_chief_explicitly(admin_user, chief_a, today):
    letter = chief_a.appointments.get()
    url = reverse("appointment-end", args=[letter.pk])
    client = api(admin_user)
    assert "必填" in str(client.post(url, {}, format="json").json()["reason"])
    with pytest.raises(ValidationError) as caught:  # the service's own check, for every caller
        services.appointment_end(actor=admin_user, appointment=letter, last_day=today, reason="")
    assert "原因" in str(caught.value.message_dict["reason"])
    future = client.post(
        url, {"reason": "任职期满", "last_day": (today + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 400 and "不能晚于今天" in str(future.json())
    early = client.post(
        url, {"reason": "任职期满", "last_day": (today - timedelta(days=60)).isoformat()}
    )
    assert early.status_code == 400 and "开始之前" in str(early.json())
    done = client.post(url, {"reason": "任职期满，另行任命"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["valid_until"], done.json()["valid_today"]) == (today.isoformat(), True)
    chief_a.refresh_from_db()
    assert chief_a.post == Post.STAFF and chief_a.end_date is None  # still at the window
    assert chief_a.window in selectors.windows_without_chief(admin_user)
    again = client.post(url, {"reason": "任职期满，另行任命"}, format="json")
    assert again.status_code == 400 and "已于" in str(again.json())
    entry = LogEntry.objects.get_for_object(letter).latest("timestamp")
    assert entry.actor == admin_user and "任职期满" in str(entry.additional_data)


def test_the_list_runs_constant_queries(admin_user, liaison_a, dept_a, today):
    def grow():
        for _ in range(3):
            item = ServiceItemFactory(department=dept_a, is_licensing=True)
            window = WindowFactory(department=dept_a, items=[item])
            stationing = StationingFactory(
                staff=eligible(dept_a, "首席", today), window=window, start_date=years_ago(today, 1)
            )
            file_letter(admin_user, stationing, item, today)

    grow()
    for user in (admin_user, liaison_a):
        client = api(user)
        assert_constant_queries(lambda c=client: c.get(LIST), grow, at_most=8)
