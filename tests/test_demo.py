from django.core.management import call_command

from demo.staff import DEMO_PASSWORD as DEMO
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
    from demo.staff import build

    build(staff=60, seed=5)
    first = list(Staff.objects.order_by("staff_number").values_list("name", "id_number"))
    Staff.objects.all().delete()
    Department.objects.all().delete()
    User.objects.all().delete()
    build(staff=60, seed=5)
    second = list(Staff.objects.order_by("staff_number").values_list("name", "id_number"))
    assert first == second


def test_seed_takes_a_shape_and_everyone_can_log_in(db, client):
    """``--staff --departments --windows``: that many of each; every person has an account
    (one shared hash) and logs in with the demo password; the named personas still work."""
    from windows.models import Window

    call_command("seed_demo", staff=120, departments=60, windows=80, verbosity=0)
    assert Staff.objects.count() == 120
    assert Department.objects.count() == 60
    assert Window.objects.count() == 80
    assert not Staff.objects.filter(user__isnull=True).exists()
    people = User.objects.filter(staff_profile__isnull=False)
    assert people.count() == 120
    assert User.objects.count() == 120 + 4  # admin, two liaisons, HR have no staff record
    bulk = people.exclude(username="staff")
    assert bulk.values("password").distinct().count() == 1  # hashed once
    for user in (bulk.order_by("id").first(), bulk.order_by("id").last()):
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO})
        assert response.status_code == 302, user.username
        assert client.get("/").wsgi_request.user == user
        client.logout()
    for username in ("admin", "liaison", "liaison2", "hr", "staff"):
        assert User.objects.get(username=username).check_password(DEMO)
    assert User.objects.get(username="staff").staff_profile.center_role == "window"
    names = Department.objects.values_list("name", flat=True)
    assert len(set(names)) == 60 and "成都市公安局" in set(names)


def test_seed_refuses_a_shape_it_cannot_build(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", staff=120, departments=10, verbosity=0)
    with pytest.raises(CommandError):
        call_command("seed_demo", staff=120, departments=60, windows=0, verbosity=0)


def test_province_departments_are_unique_and_read_like_a_province():
    from demo.staff import DEPARTMENTS, department_rows

    rows = department_rows(300)
    assert rows[: len(DEPARTMENTS)] == DEPARTMENTS
    assert len({code for code, _, _ in rows}) == 300
    assert len({name for _, name, _ in rows}) == 300
    assert ("GAJ-01", "成都市公安局", "成都公安局") in rows
    assert all(len(code) <= 20 and len(short) <= 30 for code, _, short in department_rows(1500))
    assert len({name for _, name, _ in department_rows(1500)}) == 1500


def test_windows_are_shared_by_headcount():
    from demo.windows import window_counts

    people = {1: 1000, 2: 100, 3: 10, 4: 1}
    counts = window_counts(people, 100)
    assert sum(counts.values()) == 100 and min(counts.values()) >= 1
    assert counts[1] > counts[2] > counts[3] >= counts[4]
    assert window_counts(people, None) == {1: 250, 2: 25, 3: 2, 4: 1}  # one per four people


def test_seed_is_refused_under_production_settings(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", staff=20, verbosity=0)
    assert not Department.objects.exists()  # nothing was written


def test_production_settings_turn_the_seed_off():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!q2Lm#Vb7$Rt4^Yh6&Pn8*Wc3(Ju5)Ge1" + "s" * 10,
        "CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DEMO_SEED_ALLOWED)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False", result.stderr
