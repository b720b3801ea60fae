"""`manage.py seed_demo`: the composition point of the demo center. Each module of ``demo/``
builds one app's part through that app's services and models (``demo.staff``, ``demo.windows``,
…), called here in the dependency order; no app imports ``demo``."""

import random
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.services.totals import score_totals_rebuild
from demo import assessments as assessments_demo
from demo import attendance as attendance_demo
from demo import inspections as inspections_demo
from demo import joint as joint_demo
from demo import notifications as notifications_demo
from demo import promotions as promotions_demo
from demo import staff as staff_demo
from demo import training as training_demo
from demo import windows as windows_demo
from demo import workload as workload_demo
from demo.staff import DEMO_ACCOUNTS, DEMO_PASSWORD
from joint.suggestions import suggestion_rebuild
from staff.models import Department, User
from training.hours import training_hours_rebuild
from windows.models import Window


class Command(BaseCommand):
    help = "Build a realistic demo center (the source article's numbers by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff", type=int, default=470, help="number of people (470 by default)"
        )
        parser.add_argument(
            "--departments",
            type=int,
            default=len(staff_demo.DEPARTMENTS),
            help=f"number of departments ({len(staff_demo.DEPARTMENTS)} by default; a province: 300)",
        )
        parser.add_argument(
            "--windows",
            type=int,
            default=None,
            help="number of windows, at least one per department with window staff "
            "(one per four people by default; a province: 3000)",
        )
        parser.add_argument(
            "--seed", type=int, default=20140326, help="random seed (deterministic)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if departments exist"
        )

    def handle(self, *args, staff, departments, windows, seed, if_empty, **options):
        if not settings.DEMO_SEED_ALLOWED:
            # Demo accounts share a published password: never on a real center's database.
            raise CommandError(
                "seed_demo is refused under production settings: it creates accounts with the "
                "published demo password."
            )
        if Department.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to build.")
                self.print_accounts()
                return
            raise CommandError("The database already has data; seed_demo only fills an empty one.")
        if not 20 <= staff <= 200_000:
            raise CommandError("--staff must be between 20 and 200000.")
        if not len(staff_demo.DEPARTMENTS) <= departments <= 2000:
            raise CommandError(
                f"--departments must be between {len(staff_demo.DEPARTMENTS)} and 2000."
            )
        if windows is not None and not 1 <= windows <= staff:
            raise CommandError("--windows must be between 1 and --staff.")
        started = time.monotonic()
        today = date.today()
        with transaction.atomic():
            staff_demo.build(staff=staff, departments=departments, seed=seed, today=today)
            rng = random.Random(seed + 1)
            # Each later app adds its step here, in dependency order, e.g.:
            windows_demo.build(rng=rng, today=today, windows=windows)
            assessments_demo.build(rng=rng, today=today)
            # The rows the services keep, from what the demos wrote in bulk, before anything
            # after reads them (evidence snapshots, reminder sweeps).
            score_totals_rebuild(reason="seed_demo")
            training_demo.build(rng=rng, today=today)
            training_hours_rebuild()
            joint_demo.build(rng=rng, today=today)
            promotions_demo.build(rng=rng, today=today)
            # Notifications last: its sweeps read what every app above seeded.
            notifications_demo.build(rng=rng, today=today)
            del rng
            # Their own generators: the data above stays what it was before they existed.
            windows_demo.build_stand_ins(rng=random.Random(seed + 2), today=today)
            inspections_demo.build(rng=random.Random(seed + 3), today=today)
            attendance_demo.build(rng=random.Random(seed + 4), today=today)
            workload_demo.build(rng=random.Random(seed + 5), today=today)  # issue #18
        suggestion_rebuild(today=today)
        from portal.services import dashboard_snapshot_refresh_all

        dashboard_snapshot_refresh_all()  # the dashboard's first snapshot (beat retakes it)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo center built: {staff} staff, {departments} departments, "
                f"{Window.objects.count()} windows, {User.objects.count()} accounts "
                f"in {elapsed:.1f}s."
            )
        )
        self.print_accounts()

    def print_accounts(self):
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, note in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role:<34} {note}")
