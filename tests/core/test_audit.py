"""core.audit's shortcut for a new object's diff gives auditlog's own result."""

import pytest
from auditlog.diff import model_instance_diff

from core.audit import _created_diff

from ..factories import CertificateFactory, DepartmentFactory, StaffFactory, UserFactory


@pytest.mark.parametrize("as_json", [False, True])
def test_created_diff_is_auditlogs_diff(db, as_json):
    department = DepartmentFactory()
    objects = [
        department,
        StaffFactory(department=department),
        StaffFactory(department=department, date_of_birth=None, mobile="", rank="", user=None),
        CertificateFactory(),
        UserFactory(email="a@example.org", departments=[department]),  # include_fields, m2m
    ]
    for obj in objects:
        expected = model_instance_diff(None, obj, use_json_for_changes=as_json)
        assert expected, obj
        # twice: the second time from the cached plan
        assert _created_diff(obj, as_json) == expected
        assert _created_diff(obj, as_json) == expected
    staff = objects[1]
    assert _created_diff(staff, as_json)["id_number"][1] == staff.masked_id_number
