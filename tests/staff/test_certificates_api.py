"""Law-enforcement certificates through the API (issue #16): scoped reads, the rules of
``certificate_add`` / ``certificate_update`` / ``certificate_expire`` answered with a translated
400, audited writes; and a person holding one cannot be relabelled a temporary hire."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from staff import services
from staff.models import Certificate, EmploymentType
from tests.factories import CertificateFactory, StaffFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("certificate-list")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def today():
    return timezone.localdate()


def new(person, today, number="川执000777"):
    return {
        "staff": person.pk,
        "number": number,
        "issued_on": (today - timedelta(days=10)).isoformat(),
        "expires_on": (today + timedelta(days=1000)).isoformat(),
        "reason": "年审换证",
    }


def test_a_liaison_records_a_certificate_for_their_own_people_only(
    liaison_a, person_a, person_b, today
):
    client = api(liaison_a)
    done = client.post(LIST, new(person_a, today), format="json")
    assert done.status_code == 201, done.content
    data = done.json()
    assert (data["staff"]["name"], data["valid_today"]) == ("甲部门人员", True)
    certificate = Certificate.objects.get(pk=data["id"])
    entry = LogEntry.objects.get_for_object(certificate).get()
    assert entry.actor == liaison_a and "年审换证" in str(entry.additional_data)
    # another department's person is not found, and nothing is written
    assert client.post(LIST, new(person_b, today, "川执000778"), format="json").status_code == 404
    assert not person_b.certificates.exists()


def test_a_temporary_hire_never_holds_a_certificate(admin_user, dept_a, today):
    temp = StaffFactory(department=dept_a, name="临聘甲", employment_type=EmploymentType.TEMPORARY)
    refused = api(admin_user).post(LIST, new(temp, today), format="json")
    assert refused.status_code == 400
    assert "临聘甲" in str(refused.json()) and "不得持有行政执法证" in str(refused.json())
    assert not Certificate.objects.exists()
    # a legacy certificate of a temporary hire cannot be renewed, only ended
    legacy = CertificateFactory(staff=temp, issued_on=today - timedelta(days=5))
    url = reverse("certificate-detail", args=[legacy.pk])
    later = (today + timedelta(days=2000)).isoformat()
    assert api(admin_user).patch(url, {"expires_on": later}, format="json").status_code == 400
    expire = reverse("certificate-expire", args=[legacy.pk])
    assert api(admin_user).post(expire, {"reason": "临聘人员不得持证"}).status_code == 200


def test_a_holder_cannot_be_relabelled_a_temporary_hire(admin_user, person_a, today):
    certificate = CertificateFactory(
        staff=person_a, issued_on=today - timedelta(days=5), expires_on=today + timedelta(days=50)
    )
    with pytest.raises(ValidationError) as caught:
        services.staff_update(
            actor=admin_user, staff=person_a, employment_type=EmploymentType.TEMPORARY
        )
    assert "employment_type" in caught.value.error_dict
    person_a.refresh_from_db()
    assert person_a.employment_type == EmploymentType.CIVIL_SERVANT
    services.certificate_expire(
        actor=admin_user, certificate=certificate, last_day=today - timedelta(days=1), reason="收回"
    )
    services.staff_update(
        actor=admin_user, staff=person_a, employment_type=EmploymentType.TEMPORARY
    )
    person_a.refresh_from_db()
    assert person_a.employment_type == EmploymentType.TEMPORARY


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"expires_on": "issued"}, "有效期截止日期必须晚于发证日期"),
        ({"number": "taken"}, "证件编号 的 执法证 已存在"),
    ],
)
def test_an_update_is_checked_and_audited(admin_user, person_a, today, change, expected):
    certificate = CertificateFactory(staff=person_a, issued_on=today - timedelta(days=5))
    CertificateFactory(staff=person_a, number="川执TAKEN")
    url = reverse("certificate-detail", args=[certificate.pk])
    before = (certificate.number, certificate.expires_on)
    value = {"issued": certificate.issued_on.isoformat(), "taken": "川执TAKEN"}[
        next(iter(change.values()))
    ]
    refused = api(admin_user).patch(url, {next(iter(change)): value}, format="json")
    assert refused.status_code == 400 and expected in str(refused.json())
    certificate.refresh_from_db()
    assert (certificate.number, certificate.expires_on) == before
    done = api(admin_user).put(
        url,
        {
            "number": "川执NEW1",
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": (today + timedelta(days=30)).isoformat(),
            "reason": "更正证号",
        },
        format="json",
    )
    assert done.status_code == 200 and done.json()["number"] == "川执NEW1"
    entry = LogEntry.objects.get_for_object(certificate).latest("timestamp")
    assert entry.actor == admin_user and "更正证号" in str(entry.additional_data)
    assert "川执NEW1" in str(entry.changes)


def test_expiring_a_certificate(liaison_a, liaison_b, person_a, today):
    certificate = CertificateFactory(
        staff=person_a, issued_on=today - timedelta(days=30), expires_on=today + timedelta(days=99)
    )
    url = reverse("certificate-expire", args=[certificate.pk])
    assert api(liaison_b).post(url, {"reason": "收回"}).status_code == 404
    no_reason = api(liaison_a).post(url, {"reason": " "})
    assert no_reason.status_code == 400 and "不能为空" in str(no_reason.json()["reason"])
    with pytest.raises(ValidationError) as caught:  # the service's own check, for every caller
        services.certificate_expire(
            actor=liaison_a, certificate=certificate, last_day=today, reason=" "
        )
    assert "原因" in str(caught.value.message_dict["reason"])
    done = api(liaison_a).post(url, {"reason": "调离执法岗位，证件收回"})
    assert done.status_code == 200, done.content
    assert (done.json()["expires_on"], done.json()["valid_today"]) == (today.isoformat(), True)
    again = api(liaison_a).post(url, {"reason": "调离执法岗位，证件收回"})
    assert again.status_code == 400 and "截至" in str(again.json())
    entry = LogEntry.objects.get_for_object(certificate).latest("timestamp")
    assert entry.actor == liaison_a and "证件收回" in str(entry.additional_data)


def test_reads_are_scoped(
    admin_user, liaison_a, liaison_b, hr_user, staff_user, person_a, person_b
):
    mine = CertificateFactory(staff=person_a)
    theirs = CertificateFactory(staff=person_b)
    own = CertificateFactory(staff=staff_user.staff_profile)
    names = {row["staff"]["name"] for row in api(liaison_a).get(LIST).json()["results"]}
    assert names == {"甲部门人员", "本人"}
    assert api(liaison_a).get(reverse("certificate-detail", args=[theirs.pk])).status_code == 404
    assert api(liaison_b).get(reverse("certificate-detail", args=[mine.pk])).status_code == 404
    assert [r["id"] for r in api(staff_user).get(LIST).json()["results"]] == [own.pk]
    assert api(staff_user).post(LIST, {}, format="json").status_code == 403
    assert (
        api(hr_user)
        .patch(reverse("certificate-detail", args=[mine.pk]), {"number": "x"})
        .status_code
        == 403
    )
    assert len(api(admin_user).get(LIST).json()["results"]) == 3


def test_the_list_runs_constant_queries(admin_user, liaison_a, dept_a):
    def grow():
        for _ in range(3):
            CertificateFactory(staff=StaffFactory(department=dept_a))

    grow()
    for user in (admin_user, liaison_a):
        client = api(user)
        assert_constant_queries(lambda c=client: c.get(LIST), grow, at_most=6)


def test_the_admin_refuses_a_certificate_for_a_temporary_hire(admin_user, dept_a, today):
    from tests.conftest import client_for

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    temp = StaffFactory(department=dept_a, name="临聘乙", employment_type=EmploymentType.TEMPORARY)
    answer = client_for(admin_user).post(
        reverse("admin:staff_certificate_add"),
        {
            "staff": temp.pk,
            "number": "川执ADMIN1",
            "issued_on": (today - timedelta(days=1)).isoformat(),
            "expires_on": (today + timedelta(days=700)).isoformat(),
        },
    )
    assert answer.status_code == 200 and "不得持有行政执法证" in answer.content.decode()
    assert not Certificate.objects.exists()
