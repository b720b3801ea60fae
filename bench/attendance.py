"""Time the attendance jobs of issue #17 at the province in the current database
(DATABASE_URL, PostgreSQL, migrated): 100,000 staff stationed at 3,000 windows (built with bulk
SQL when missing), one working day's 400,000 punches (four each) in a CSV export.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.attendance [--staff N] [--keep]

Prints seconds for: the import's dry run, its commit (all or nothing, bulk inserts), the same
file again (every row already stored: nothing written), deriving that day for everyone, and the
rerun of the derivation (which must write nothing), and the on-duty board over the 3,000 windows
(a page of 60, cold). Without ``--keep`` the punches and days
written are removed at the end (the synthetic staff stay for the next run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def build(staff: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO staff_department (code, name, short_name, active) "
            "SELECT 'AD' || g, 'Attendance department ' || g, 'AD' || g, true "
            "FROM generate_series(1, 300) g ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO windows_window (code, name, hall_area, floor, headcount_quota, active,"
            " department_id) SELECT 'AW' || g, 'Attendance window ' || g, '', 1, 40, true, d.id "
            "FROM generate_series(1, 3000) g JOIN staff_department d ON d.code = 'AD' || "
            "(1 + (g - 1) % 300) ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO staff_staff (staff_number, name, gender, id_number, mobile,"
            " political_status, employment_type, rank, education, center_role, status,"
            " is_reserve_cadre, created_at, updated_at, department_id) "
            "SELECT 'AS' || g, 'Attendance ' || g, 'male', lpad(g::text, 18, '0'), '', 'masses',"
            " 'civil_servant', '', 'bachelor', 'window', 'active', false, now(), now(),"
            " w.department_id FROM generate_series(1, %s) g JOIN windows_window w"
            " ON w.code = 'AW' || (1 + (g - 1) %% 3000)",
            [staff],
        )
        c.execute(
            "INSERT INTO windows_stationing (post, start_date, end_reason, is_early_end, staff_id,"
            " window_id) SELECT 'staff', DATE '2025-01-01', '', false, s.id, w.id "
            "FROM staff_staff s JOIN windows_window w ON w.code = 'AW' || "
            "(1 + (substr(s.staff_number, 3)::int - 1) % 3000) WHERE s.staff_number LIKE 'AS%'"
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")


def export(numbers: list[str], day) -> bytes:
    """A device export of ``day``: four punches a person, a few minutes around each check."""
    import random

    rng = random.Random(17)
    lines = ["工号,打卡时间,设备,验证方式,记录号"]
    record = 0
    for number in numbers:
        for hour, minute in ((8, 50), (12, 2), (13, 22), (17, 32)):
            record += 1
            minute += rng.randint(-8, 12)
            hh, mm = hour + minute // 60, minute % 60
            lines.append(
                f"{number},{day:%Y-%m-%d} {hh:02d}:{mm:02d}:{rng.randint(0, 59):02d},"
                f"大厅{record % 20},人脸,{record}"
            )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from attendance.models import AttendanceDay, Punch
    from attendance.services.days import days_derive
    from attendance.services.punches import punch_import
    from core.workdays import add_working_days
    from staff.models import Role, Staff, User

    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    if not Staff.objects.filter(staff_number__startswith="AS").exists():
        started = time.perf_counter()
        build(args.staff)
        print(f"built {args.staff} staff in {time.perf_counter() - started:.1f} s")
    numbers = list(
        Staff.objects.filter(staff_number__startswith="AS")
        .order_by("id")
        .values_list("staff_number", flat=True)[: args.staff]
    )
    actor, _ = User.objects.get_or_create(
        username="bench-attendance", defaults={"role": Role.CENTER_ADMIN, "is_superuser": True}
    )
    from django.utils import timezone

    day = add_working_days(timezone.localdate(), -1)
    content = export(numbers, day)
    settings.CENTER["ATTENDANCE"]["IMPORT_MAX_BYTES"] = max(
        settings.CENTER["ATTENDANCE"]["IMPORT_MAX_BYTES"], len(content) + 1
    )
    rows = len(numbers) * 4
    print(f"{rows} punches of {day}, {len(content) / 1e6:.1f} MB CSV")
    Punch.objects.filter(source__startswith="device:大厅").delete()

    def timed(label, call):
        started = time.perf_counter()
        result = call()
        print(f"{label}: {time.perf_counter() - started:.1f} s")
        return result

    dry = timed(
        "import dry run",
        lambda: punch_import(actor=actor, content=content, filename="bench.csv", commit=False),
    )
    assert dry.ok and dry.new == rows, (dry.error_count, dry.errors[:3], dry.new)
    done = timed(
        "import commit",
        lambda: punch_import(actor=actor, content=content, filename="bench.csv", commit=True),
    )
    assert done.committed and Punch.objects.filter(source__startswith="device:大厅").count() == rows
    again = timed(
        "import again (all stored)",
        lambda: punch_import(actor=actor, content=content, filename="bench.csv", commit=True),
    )
    assert again.new == 0 and again.already == rows
    derived = timed("derive the day", lambda: days_derive(start=day, end=day))
    print(f"  {derived.created} days created, {derived.updated} updated")
    rerun = timed("derive again", lambda: days_derive(start=day, end=day))
    assert rerun.written == 0, rerun
    # the on-duty board at 10:00 that day: the first page of 60 windows and a later one, cold
    # (nothing is cached: every call reads the rows), the median of five
    from datetime import datetime as _datetime
    from datetime import time as _time

    from attendance import board

    ten = timezone.make_aware(_datetime.combine(day, _time(10, 0)))
    for page in (1, 25):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            result = board.board(actor, now=ten, page=page)
            runs.append((time.perf_counter() - started) * 1000)
        runs.sort()
        print(
            f"on-duty board, page {page} of {result['page'].paginator.num_pages} "
            f"({len(result['rows'])} windows): {runs[2]:.1f} ms median"
        )
    if not args.keep:
        Punch.objects.filter(source__startswith="device:大厅").delete()
        AttendanceDay.objects.filter(date=day, staff__staff_number__startswith="AS").delete()


if __name__ == "__main__":
    main()
