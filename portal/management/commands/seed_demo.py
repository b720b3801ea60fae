"""`manage.py seed_demo`: the composition point of every app's demo data (portal sits on top of
the dependency order, so it may call each app's ``demo.build``; the apps never call each other)."""

import random
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments import demo as assessments_demo
from joint import demo as joint_demo
from notifications import demo as notifications_demo
from promotions import demo as promotions_demo
from staff import demo as staff_demo
from staff.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from staff.models import Department
from training import demo as training_demo
from training.hours import training_hours_rebuild
from windows import demo as windows_demo


class Command(BaseCommand):
    help = "Build a realistic demo center (the source article's numbers by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff", type=int, default=470, help="number of people (470 by default)"
        )
        parser.add_argument(
            "--seed", type=int, default=20140326, help="random seed (deterministic)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if departments exist"
        )

    def handle(self, *args, staff, seed, if_empty, **options):
        if Department.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to build.")
                self.print_accounts()
                return
            raise CommandError("The database already has data; seed_demo only fills an empty one.")
        if not 20 <= staff <= 200_000:
            raise CommandError("--staff must be between 20 and 200000.")
        started = time.monotonic()
        today = date.today()
        with transaction.atomic():
            staff_demo.build(staff=staff, seed=seed, today=today)
            rng = random.Random(seed + 1)
            # Each later app adds its step here, in dependency order, e.g.:
            windows_demo.build(rng=rng, today=today)
            assessments_demo.build(rng=rng, today=today)
            training_demo.build(rng=rng, today=today)
            joint_demo.build(rng=rng, today=today)
            promotions_demo.build(rng=rng, today=today)
            # Notifications last: its sweeps read what every app above seeded.
            notifications_demo.build(rng=rng, today=today)
            del rng
            training_hours_rebuild()  # the demo wrote enrollments in bulk
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo center built: {staff} staff in {elapsed:.1f}s.")
        )
        self.print_accounts()

    def print_accounts(self):
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, note in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role:<34} {note}")
