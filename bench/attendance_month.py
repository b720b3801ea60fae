"""Time a month of attendance at the province (issue #17: a month's attendance derived ≤ 120 s and
a rerun writes nothing) in the current database (DATABASE_URL, PostgreSQL, migrated): the staff of
``bench.attendance`` (100,000 at 3,000 windows, built with bulk SQL when missing), four punches a
working day for each of them over the last full month (generated in SQL: about 8.8 million
rows), then ``days_derive`` over the month, and again.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.attendance_month [--staff N] [--keep]
        [--processes N]

Prints the seconds of each step and the days written. Without ``--keep`` the month's punches and
days are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

SOURCE = "device:bench-month"


def punches_sql(days: list, staff: int) -> tuple[str, list]:
    """Four punches a person and working day, minutes of jitter around each check; about one in
    forty people late in the morning, one in a hundred without the evening punch."""
    return (
        "INSERT INTO attendance_punch (staff_id, at, method, source, record_id, device, created_at)"
        " SELECT s.id, (d.day + c.at + make_interval(mins => (((s.id * 7 + c.n * 13"
        " + extract(doy FROM d.day)::int * 3) %% 19) - 8 + CASE WHEN c.n = 1 AND"
        " (s.id + extract(doy FROM d.day)::int) %% 40 = 0 THEN 25 ELSE 0 END)::int))"
        " AT TIME ZONE 'Asia/Shanghai', 'face', %s, s.id || '-' || d.day || '-' || c.n, 'bench',"
        " now()"
        " FROM (SELECT id FROM staff_staff WHERE staff_number LIKE 'AS%%' ORDER BY id LIMIT %s) s"
        " CROSS JOIN unnest(%s::date[]) AS d(day)"
        " CROSS JOIN (VALUES (1, TIME '08:55'), (2, TIME '12:05'), (3, TIME '13:25'),"
        " (4, TIME '17:38')) AS c(n, at)"
        " WHERE NOT (c.n = 4 AND (s.id + extract(doy FROM d.day)::int) %% 100 = 0)",
        [SOURCE, staff, days],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--processes", type=int, default=1, help="forked processes deriving")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from attendance.models import AttendanceDay, Punch
    from attendance.services.days import days_derive
    from attendance.services.month import month_bounds
    from attendance.worktime import Calendar
    from staff.models import Staff

    from .attendance import build

    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    if not Staff.objects.filter(staff_number__startswith="AS").exists():
        started = time.perf_counter()
        build(args.staff)
        print(f"built {args.staff} staff in {time.perf_counter() - started:.1f} s")
    first, last = month_bounds(timezone.localdate().replace(day=1) - timezone.timedelta(days=1))
    calendar = Calendar(first, last)
    working = [d for d in calendar.days() if calendar.plan(d, None) is not None]
    ids = list(
        Staff.objects.filter(staff_number__startswith="AS")
        .order_by("id")
        .values_list("id", flat=True)[: args.staff]
    )
    people = Punch.objects.filter(source=SOURCE)
    if not people.exists():
        started = time.perf_counter()
        sql, params = punches_sql(working, args.staff)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.execute("ANALYZE attendance_punch")
        print(
            f"{people.count()} punches of {len(working)} working days "
            f"({first:%Y-%m}) generated in {time.perf_counter() - started:.1f} s"
        )
    AttendanceDay.objects.filter(date__gte=first, date__lte=last, staff_id__in=ids).delete()

    def timed(label, call):
        started = time.perf_counter()
        result = call()
        print(f"{label}: {time.perf_counter() - started:.1f} s")
        return result

    derived = timed(
        f"derive the month ({len(ids)} people, {args.processes} processes)",
        lambda: days_derive(start=first, end=last, processes=args.processes),
    )
    print(f"  {derived.created} days created, {derived.updated} updated")
    rerun = timed(
        "derive again", lambda: days_derive(start=first, end=last, processes=args.processes)
    )
    print(f"  {rerun.written} days written")
    assert rerun.written == 0, rerun
    if not args.keep:
        AttendanceDay.objects.filter(date__gte=first, date__lte=last, staff_id__in=ids).delete()
        people.delete()


if __name__ == "__main__":
    main()
