"""Factories for windows-side rows the assessment tests need (the windows app owns the models)."""

from datetime import date

import factory

from tests.factories import DepartmentFactory, StaffFactory
from windows.models import Post, ServiceItem, Stationing, Window


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"SI{n:04d}")
    name = factory.Sequence(lambda n: f"事项{n}")
    department = factory.SubFactory(DepartmentFactory)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"窗口{n}")
    department = factory.SubFactory(DepartmentFactory)


class StationingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stationing

    staff = factory.SubFactory(StaffFactory)
    window = factory.SubFactory(WindowFactory)
    post = Post.STAFF
    start_date = date(2024, 1, 1)
