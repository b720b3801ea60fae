"""Factories for joint management tests (windows and stationings included: read-only tables of
the windows app that these tests need rows in)."""

from datetime import date

import factory

from joint.models import FollowUp, Talk, TalkRequest, Visit
from windows.models import Stationing, Window

from ..factories import DepartmentFactory, StaffFactory, UserFactory


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    code = factory.Sequence(lambda n: f"J{n:03d}")
    name = factory.Sequence(lambda n: f"窗口{n}")
    department = factory.SubFactory(DepartmentFactory)


class StationingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stationing

    staff = factory.SubFactory(StaffFactory)
    window = factory.LazyAttribute(lambda o: WindowFactory(department=o.staff.department))
    start_date = date(2024, 1, 1)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    department = factory.SubFactory(DepartmentFactory)
    date = date(2026, 1, 10)
    visitors = "张局长（副局长）"
    summary = "看望窗口人员"


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk

    staff = factory.SubFactory(StaffFactory)
    date = date(2026, 1, 10)
    talker_names = "王科长"
    topics = "工作安排"
    concerns = "通勤时间长"
    notes = "情绪稳定"
    author = factory.SubFactory(UserFactory, role="liaison")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    talk = factory.SubFactory(TalkFactory)
    description = "协调调整排班"
    owner = "王科长"
    due_date = date(2026, 2, 10)


class TalkRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkRequest

    staff = factory.SubFactory(StaffFactory)
