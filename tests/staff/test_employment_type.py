"""Issue #16: a person's employment type (the field the chief-representative and post rules read)
is changed only by the center administrator — on the page, the API and the roster import — and
the change is audited."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from staff import services
from staff.models import EmploymentType
from staff.roster import roster_import
from tests.conftest import client_for

from ..factories import StaffFactory
from .test_roster import row as roster_row
from .test_roster import xlsx

pytestmark = pytest.mark.django_db
TEMP = EmploymentType.TEMPORARY


@pytest.fixture
def temp_a(dept_a):
    return StaffFactory(
        department=dept_a, staff_number="N0001", name="临时工", employment_type=TEMP
    )


def test_a_liaison_cannot_change_it_in_the_service(liaison_a, admin_user, temp_a):
    with pytest.raises(ValidationError) as caught:
        services.staff_update(
            actor=liaison_a, staff=temp_a, employment_type=EmploymentType.CIVIL_SERVANT
        )
    assert "employment_type" in caught.value.error_dict
    temp_a.refresh_from_db()
    assert temp_a.employment_type == TEMP
    services.staff_update(actor=liaison_a, staff=temp_a, employment_type=TEMP, name="同名")
    changed = services.staff_update(
        actor=admin_user, staff=temp_a, employment_type=EmploymentType.CIVIL_SERVANT
    )
    assert changed.employment_type == EmploymentType.CIVIL_SERVANT
    entry = LogEntry.objects.get_for_object(temp_a).latest("timestamp")
    assert entry.actor == admin_user and "用工性质" in str(entry.additional_data)


def _form(person, **changes):
    data = {
        "staff_number": person.staff_number,
        "name": person.name,
        "gender": person.gender,
        "id_number": "",
        "mobile": person.mobile,
        "political_status": person.political_status,
        "employment_type": person.employment_type,
        "department": person.department_id,
        "center_role": person.center_role,
        "status": person.status,
    }
    return data | changes


def test_a_liaison_cannot_change_it_on_the_page(liaison_a, temp_a):
    url = reverse("staff:update", args=[temp_a.pk])
    response = client_for(liaison_a).post(url, _form(temp_a, employment_type="civil_servant"))
    assert response.status_code == 200
    assert "只有中心管理员" in response.content.decode()
    temp_a.refresh_from_db()
    assert temp_a.employment_type == TEMP


def test_a_liaison_cannot_change_it_through_the_api(liaison_a, admin_user, temp_a):
    client = APIClient()
    client.force_authenticate(liaison_a)
    url = f"/api/v1/staff/{temp_a.pk}/"
    response = client.patch(url, {"employment_type": "civil_servant"}, format="json")
    assert response.status_code == 400 and "employment_type" in response.json()
    temp_a.refresh_from_db()
    assert temp_a.employment_type == TEMP
    client.force_authenticate(admin_user)
    assert client.patch(url, {"employment_type": "civil_servant"}, format="json").status_code == 200


def test_a_liaison_cannot_change_it_by_import(liaison_a, admin_user, temp_a):
    relabelled = xlsx([roster_row(1, **{"用工性质": "公务员", "身份证号": temp_a.id_number})])
    result = roster_import(actor=liaison_a, content=relabelled, filename="r.xlsx", commit=True)
    assert not result.committed
    assert "只有中心管理员" in " ".join(result.bad_rows[0].errors)
    temp_a.refresh_from_db()
    assert temp_a.employment_type == TEMP
    # the same file by the center goes through
    result = roster_import(actor=admin_user, content=relabelled, filename="r.xlsx", commit=True)
    assert result.committed, result.bad_rows
    temp_a.refresh_from_db()
    assert temp_a.employment_type == EmploymentType.CIVIL_SERVANT


def test_the_import_cannot_relabel_a_certificate_holder_as_a_temporary_hire(admin_user, dept_a):
    """As on the page and the API (staff_update): a person holding a valid law-enforcement
    certificate is refused as a temporary hire until the certificate ends; nothing is saved."""
    from ..factories import CertificateFactory

    holder = StaffFactory(department=dept_a, staff_number="N0001", name="持证人")
    CertificateFactory(staff=holder)
    relabelled = xlsx([roster_row(1, **{"用工性质": "临聘人员", "身份证号": holder.id_number})])
    result = roster_import(actor=admin_user, content=relabelled, filename="r.xlsx", commit=True)
    assert not result.committed
    assert "执法证" in " ".join(result.bad_rows[0].errors), result.bad_rows[0].errors
    holder.refresh_from_db()
    assert holder.employment_type == EmploymentType.CIVIL_SERVANT
