"""Factories shared by every app's tests. Important state is still changed through services."""

import random
from datetime import date

import factory

from staff import idcard
from staff.models import (
    CenterRole,
    Certificate,
    Department,
    EmploymentType,
    Gender,
    PoliticalStatus,
    Role,
    Staff,
    User,
)

_rng = random.Random(7)


def valid_id_number(n: int, *, born: date = date(1988, 5, 17), female: bool = False) -> str:
    region = f"5104{n % 100:02d}"
    first17 = f"{region}{born:%Y%m%d}{(n // 100) % 100:02d}{(n % 5) * 2 + (0 if female else 1)}"
    return first17 + idcard.check_digit(first17)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试部门{n:03d}")
    short_name = factory.Sequence(lambda n: f"部门{n:03d}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    staff_number = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}")
    gender = Gender.MALE
    date_of_birth = date(1988, 5, 17)
    id_number = factory.Sequence(lambda n: valid_id_number(n))
    mobile = "13800138000"
    political_status = PoliticalStatus.MASSES
    employment_type = EmploymentType.CIVIL_SERVANT
    department = factory.SubFactory(DepartmentFactory)
    center_role = CenterRole.WINDOW


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    staff = factory.SubFactory(StaffFactory)
    number = factory.Sequence(lambda n: f"川执{n:06d}")
    issued_on = date(2024, 1, 1)
    expires_on = date(2027, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
        if create:
            self.save()
