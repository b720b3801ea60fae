import factory

from windows.models import Post, ServiceItem, Stationing, Window

from ..factories import DepartmentFactory, StaffFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"SX{n:04d}")
    name = factory.Sequence(lambda n: f"事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    is_licensing = False


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"窗口{n}")
    hall_area = "A区"
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_items.set(extracted)


class StationingFactory(factory.django.DjangoModelFactory):
    """Test setup only: real stationings open and close through the transfer services."""

    class Meta:
        model = Stationing

    staff = factory.SubFactory(StaffFactory)
    window = factory.SubFactory(WindowFactory)
    post = Post.STAFF
    start_date = factory.Faker("past_date")
