"""Benchmark the reminder sweeps: seed N staff into a separate database, then time a full sweep
run, its rerun (which must send nothing) and the e-mail relay, with query counts.

    .venv/bin/python bench/reminders.py --staff 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/ws_bench_reminders --recreate

The database is created (or, with --recreate, dropped and created) and seeded with
``seed_demo --staff N``; open stationings are added here when the windows app's demo data is not
there yet. Never point it at a database you care about.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare_database(url: str, recreate: bool) -> None:
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        if recreate and parsed.path and Path(parsed.path).exists():
            Path(parsed.path).unlink()
        return
    import psycopg2

    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and recreate:
            cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed_stationings(today: date) -> int:
    """Open stationings for active window staff, start dates spread over six years (bulk)."""
    from core.audit import log_bulk
    from staff.models import CenterRole, Staff, StaffStatus
    from windows.models import Post, Stationing, Window

    if Stationing.objects.exists():
        return Stationing.objects.count()
    rng = random.Random(20140326)
    people = list(
        Staff.objects.filter(center_role=CenterRole.WINDOW)
        .exclude(status=StaffStatus.LEFT)
        .order_by("id")
        .values_list("id", "department_id")
    )
    by_department: dict[int, list[int]] = {}
    for person_id, department_id in people:
        by_department.setdefault(department_id, []).append(person_id)
    windows, plan = [], []
    for department_id, members in sorted(by_department.items()):
        for start in range(0, len(members), 4):
            code = f"B{len(windows) + 1:06d}"
            windows.append(Window(code=code, name=f"窗口{code}", department_id=department_id))
            plan.append(members[start : start + 4])
    Window.objects.bulk_create(windows, batch_size=5000)
    stationings = []
    for window, members in zip(windows, plan, strict=True):
        for position, person_id in enumerate(members):
            stationings.append(
                Stationing(
                    staff_id=person_id,
                    window_id=window.pk,
                    post=Post.CHIEF_REPRESENTATIVE if position == 0 else Post.STAFF,
                    start_date=today - timedelta(days=rng.randrange(1, 6 * 365)),
                )
            )
    Stationing.objects.bulk_create(stationings, batch_size=5000)
    log_bulk(actor=None, model=Stationing, action="bench", count=len(stationings), reason="bench")
    return len(stationings)


def add_liaisons() -> None:
    """One liaison for every department that has none, so reminders fan out as in real life."""
    from django.contrib.auth.hashers import make_password

    from staff.models import Department, Role, User

    UNUSABLE = make_password(None)  # these accounts cannot log in
    missing = list(Department.objects.filter(liaisons__isnull=True).order_by("id"))
    users = User.objects.bulk_create(
        User(username=f"bench_liaison_{d.code}", role=Role.LIAISON, password=UNUSABLE)
        for d in missing
    )
    User.departments.through.objects.bulk_create(
        User.departments.through(user_id=u.pk, department_id=d.pk)
        for u, d in zip(users, missing, strict=True)
    )


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(label: str, func):
    from django.db import connection

    counter = QueryCounter()
    started = time.monotonic()
    with connection.execute_wrapper(counter):
        result = func()
    elapsed = time.monotonic() - started
    print(f"{label:<28} {elapsed:8.2f} s  {counter.count:6d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ws_bench_reminders"
        ),
    )
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--no-deliver", action="store_true", help="skip timing the e-mail relay")
    args = parser.parse_args()

    prepare_database(args.database_url, args.recreate)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # locmem e-mail, no SMTP
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    from notifications import relay, services
    from notifications.models import Notification
    from staff.models import Staff, User

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if not Staff.objects.exists():
        call_command("seed_demo", staff=args.staff)
    today = date.today()
    stationings = seed_stationings(today)
    add_liaisons()
    User.objects.exclude(email__contains="@").update(email="bench@example.cn")
    print(
        f"database {settings.DATABASES['default']['NAME']} ({connection_vendor()}): "
        f"{Staff.objects.count()} staff, {stationings} open stationings, "
        f"prepared in {time.monotonic() - started:.1f} s"
    )
    Notification.objects.all().delete()
    services.enqueue_delivery = lambda: True  # no broker here: the relay is timed below

    first = timed("sweep (first run)", lambda: services.sweeps_run(schedule=None, today=today))
    for result in first:
        print(f"    {result.name:<26} {result.due:7d} due  {result.created:7d} rows written")
    second = timed("sweep (rerun)", lambda: services.sweeps_run(schedule=None, today=today))
    assert sum(r.created for r in second) == 0, "the rerun wrote rows"
    print(f"    rerun wrote {sum(r.created for r in second)} rows")
    if not args.no_deliver:
        delivered = timed("relay (e-mail every row)", relay.deliver_pending)
        print(f"    {delivered.sent} e-mails, {len(mail.outbox)} in the outbox")
        again = timed("relay (rerun)", relay.deliver_pending)
        assert again.sent == 0


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
