from django.core.management import call_command

from staff.models import Department, Staff, User
from staff.selectors import composition


def test_demo_center_reproduces_the_article(db):
    call_command("seed_demo", verbosity=0)
    admin = User.objects.get(username="admin")
    figures = composition(admin)
    assert figures["total"] == 470
    assert figures["management"] == 9
    assert figures["supervision"] == 10
    assert figures["temporary"] == 180
    assert figures["women"] == 214
    assert figures["party_members"] == 150
    assert 38 <= Department.objects.count() <= 45
    for username in ("admin", "liaison", "liaison2", "hr", "staff"):
        assert User.objects.get(username=username).check_password("Demo@2026!")
    assert User.objects.get(username="staff").staff_profile is not None
    for person in Staff.objects.all()[:50]:
        person.full_clean()


def test_demo_is_deterministic(db):
    from staff.demo import build

    build(staff=60, seed=5)
    first = list(Staff.objects.order_by("staff_number").values_list("name", "id_number"))
    Staff.objects.all().delete()
    Department.objects.all().delete()
    User.objects.all().delete()
    build(staff=60, seed=5)
    second = list(Staff.objects.order_by("staff_number").values_list("name", "id_number"))
    assert first == second
