from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from staff import services
from staff.models import Staff

from ..factories import StaffFactory, valid_id_number


def new_person(department, **overrides):
    fields = {
        "staff_number": "S0001",
        "name": "李四",
        "gender": "male",
        "id_number": valid_id_number(42),
        "employment_type": "civil_servant",
        "department": department,
    }
    fields.update(overrides)
    return fields


def test_create_fills_birth_date_from_id_and_is_audited(admin_user, dept_a):
    person = services.staff_create(actor=admin_user, reason="新进人员", **new_person(dept_a))
    assert person.date_of_birth == date(1988, 5, 17)
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.actor == admin_user
    assert entry.additional_data == {"reason": "新进人员"}
    assert person.id_number not in str(entry.changes), "ID numbers are masked in the audit trail"


def test_lowercase_x_is_normalized(admin_user, dept_a):
    number = "11010519491231002X"
    person = services.staff_create(
        actor=admin_user, **new_person(dept_a, id_number=number.lower(), date_of_birth=None)
    )
    assert person.id_number == number


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"mobile": "1380013800"}, "mobile"),
        ({"date_of_birth": date(1990, 1, 1)}, "date_of_birth"),
        ({"name": ""}, "name"),
        ({"employment_type": "freelancer"}, "employment_type"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(admin_user, dept_a, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        services.staff_create(actor=admin_user, **new_person(dept_a, **overrides))
    assert field in excinfo.value.message_dict
    assert not Staff.objects.exists()
    assert not LogEntry.objects.filter(content_type__model="staff").exists()


def test_duplicate_id_number_is_refused_in_chinese(admin_user, dept_a):
    existing = StaffFactory(department=dept_a)
    with pytest.raises(ValidationError) as excinfo:
        services.staff_create(actor=admin_user, **new_person(dept_a, id_number=existing.id_number))
    assert "已存在" in excinfo.value.message_dict["id_number"][0]


def test_liaison_creates_only_in_own_department(liaison_a, dept_a, dept_b):
    services.staff_create(actor=liaison_a, **new_person(dept_a))
    with pytest.raises(PermissionDenied):
        services.staff_create(actor=liaison_a, **new_person(dept_b, staff_number="S0002"))
    assert Staff.objects.count() == 1


def test_liaison_cannot_move_a_person_out_of_scope(liaison_a, person_a, person_b, dept_b):
    with pytest.raises(PermissionDenied):
        services.staff_update(actor=liaison_a, staff=person_a, department=dept_b)
    with pytest.raises(PermissionDenied):
        services.staff_update(actor=liaison_a, staff=person_b, name="改")
    person_a.refresh_from_db()
    person_b.refresh_from_db()
    assert person_a.department != dept_b and person_b.name != "改"


def test_hr_and_staff_edit_nothing(hr_user, staff_user, person_a):
    for user in (hr_user, staff_user):
        with pytest.raises(PermissionDenied):
            services.staff_update(actor=user, staff=person_a, name="改")


def test_update_records_before_and_after(admin_user, person_a):
    services.staff_update(actor=admin_user, staff=person_a, rank="科长", reason="晋升")
    entry = LogEntry.objects.get_for_object(person_a).latest("timestamp")
    assert entry.changes_dict["rank"] == ["", "科长"]
    assert entry.additional_data["reason"] == "晋升"


def test_certificate_dates_are_checked(admin_user, person_a):
    with pytest.raises(ValidationError):
        services.certificate_add(
            actor=admin_user,
            staff=person_a,
            number="X1",
            issued_on=date(2025, 1, 1),
            expires_on=date(2024, 1, 1),
        )
    certificate = services.certificate_add(
        actor=admin_user,
        staff=person_a,
        number="X1",
        issued_on=date(2024, 1, 1),
        expires_on=date(2027, 1, 1),
    )
    assert certificate.is_valid_on(date(2026, 11, 28))
