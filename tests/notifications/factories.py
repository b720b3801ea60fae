from datetime import date

import factory
from django.contrib.contenttypes.models import ContentType

from notifications.models import Notification
from staff.models import User
from tests.factories import DepartmentFactory, StaffFactory
from windows.models import Post, Stationing, Window


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"综合窗口{n}")
    department = factory.SubFactory(DepartmentFactory)


class StationingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stationing

    staff = factory.SubFactory(StaffFactory)
    window = factory.LazyAttribute(lambda o: WindowFactory(department=o.staff.department))
    post = Post.STAFF
    start_date = date(2024, 1, 1)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.Iterator(User.objects.all())
    kind = "certificate.expiring"
    subject_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(User))
    subject_id = factory.Sequence(lambda n: n + 1)
    period = "60d"
    title = factory.Sequence(lambda n: f"提醒{n}")
    body = "正文"
    link = "/staff/1/"
