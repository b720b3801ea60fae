"""Benchmark: training menus for every staff member of a demo center.

    # 470-person center on a throwaway SQLite database:
    VAR_DIR=/tmp/bench470 .venv/bin/python bench/training_menus.py --build 470
    # 100,000 people on PostgreSQL, in a database of its own:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ws_bench .venv/bin/python \
        bench/training_menus.py --build 100000

``--build N`` migrates and seeds an EMPTY database with ``seed_demo --staff N`` first (refused when
data exists); without it the script measures whatever the database holds. Prints the seeding time,
the queries and time for one person's menu, and the time for all menus computed in bulk.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=int, metavar="N", help="seed an empty database first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from staff.models import Staff, StaffStatus
    from training.menu import menu_for, menus_for
    from training.models import Enrollment, Session

    if args.build:
        call_command("migrate", "--noinput", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", "--staff", str(args.build), stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seed_demo --staff {args.build}: {time.perf_counter() - started:.1f} s")

    ids = list(
        Staff.objects.exclude(status=StaffStatus.LEFT).order_by("id").values_list("id", flat=True)
    )
    print(
        f"database: {connection.vendor}; staff: {len(ids)}; sessions: {Session.objects.count()};"
        f" enrollments: {Enrollment.objects.count()}"
    )
    sample = ids[len(ids) // 2]
    menu_for(sample)  # warm caches (translations, calendar)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        menu = menu_for(sample)
        one = time.perf_counter() - started
    print(
        f"one person's menu: {len(queries)} queries, {one * 1000:.0f} ms"
        f" ({len(menu.gaps)} gaps, {len(menu.items)} courses offered)"
    )

    started = time.perf_counter()
    menus = menus_for(ids)
    elapsed = time.perf_counter() - started
    gaps = sum(len(m.gaps) for m in menus.values())
    items = sum(len(m.items) for m in menus.values())
    with_gap = sum(1 for m in menus.values() if m.gaps)
    print(
        f"all menus in bulk: {len(menus)} people in {elapsed:.2f} s"
        f" ({elapsed / max(len(menus), 1) * 1e6:.0f} µs/person);"
        f" {with_gap} with a gap, {gaps} gaps, {items} menu lines"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
