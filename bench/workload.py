"""Time the workload feed of issue #18 at the province in the current database (DATABASE_URL,
PostgreSQL, migrated): 100,000 staff stationed at 3,000 windows in 10 hall areas, each window
handling two of 1,500 service items (built with set-based SQL when missing), and one day's
workload export: four rows a person (cases on an item, tickets, enquiries, assisted filings),
400,000 rows in a CSV.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.workload [--staff N] [--keep]

Prints seconds for: the import's dry run, its commit (COPY into a temporary table, one
set-based upsert of the records and one of each monthly table), the same file again (every row
a duplicate: nothing written), the file with every count changed (400,000 replaced), a weight
change re-pricing the month, the check that the kept monthly rows equal a recomputation, the
window efficiency of the month, and a push of 200 records (the hall's rate per minute). With
``--xlsx`` the same day is also imported as a workbook (as a queue system's export to Excel),
dry run and commit, every count changed again. Without
``--keep`` the records and monthly rows written are removed at the end (the synthetic staff
stay for the next run).
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
            "SELECT 'WD' || g, 'Workload department ' || g, 'WD' || g, true "
            "FROM generate_series(1, 300) g ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO windows_window (code, name, hall_area, floor, headcount_quota, active,"
            " department_id) SELECT 'WW' || g, 'Workload window ' || g, 'Area ' || (g % 10), 1,"
            " 40, true, d.id FROM generate_series(1, 3000) g JOIN staff_department d"
            " ON d.code = 'WD' || (1 + (g - 1) % 300) ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO windows_serviceitem (code, name, is_licensing, active, department_id)"
            " SELECT 'WI' || g, 'Workload item ' || g, false, true, d.id"
            " FROM generate_series(1, 1500) g JOIN staff_department d"
            " ON d.code = 'WD' || (1 + (g - 1) % 300) ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO windows_window_service_items (window_id, serviceitem_id)"
            " SELECT w.id, i.id FROM windows_window w JOIN windows_serviceitem i"
            " ON i.code IN ('WI' || (1 + (substr(w.code, 3)::int - 1) % 1500),"
            " 'WI' || (1 + substr(w.code, 3)::int % 1500)) WHERE w.code LIKE 'WW%'"
            " ON CONFLICT DO NOTHING"
        )
        c.execute(
            "INSERT INTO staff_staff (staff_number, name, gender, id_number, mobile,"
            " political_status, employment_type, rank, education, center_role, status,"
            " is_reserve_cadre, created_at, updated_at, department_id) "
            "SELECT 'WS' || g, 'Workload ' || g, 'male', 'W' || lpad(g::text, 17, '0'), '',"
            " 'masses', 'civil_servant', '', 'bachelor', 'window', 'active', false, now(), now(),"
            " w.department_id FROM generate_series(1, %s) g JOIN windows_window w"
            " ON w.code = 'WW' || (1 + (g - 1) %% 3000)",
            [staff],
        )
        c.execute(
            "INSERT INTO windows_stationing (post, start_date, end_reason, is_early_end, staff_id,"
            " window_id) SELECT 'staff', DATE '2025-01-01', '', false, s.id, w.id "
            "FROM staff_staff s JOIN windows_window w ON w.code = 'WW' || "
            "(1 + (substr(s.staff_number, 3)::int - 1) % 3000) WHERE s.staff_number LIKE 'WS%'"
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")


def workbook(csv_content: bytes) -> bytes:
    """The CSV export as an .xlsx (write-only, as exporting tools write them)."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for line in csv_content.decode().splitlines():
        cells = line.split(",")
        if cells[-1].isdigit():
            cells[-1] = int(cells[-1])
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(numbers: list[str], day, *, bump: int = 0) -> bytes:
    """The queue system's export of ``day``: four rows a person."""
    import random

    rng = random.Random(18)
    lines = ["工号,窗口编号,事项编码,日期,类型,数量"]
    for number in numbers:
        n = int(number[2:])
        window = 1 + (n - 1) % 3000
        item = 1 + (window - 1) % 1500
        d = day.isoformat()
        lines.append(f"{number},WW{window},WI{item},{d},办件,{rng.randint(5, 60) + bump}")
        lines.append(f"{number},WW{window},,{d},叫号,{rng.randint(10, 80) + bump}")
        lines.append(f"{number},WW{window},,{d},咨询,{rng.randint(0, 30) + bump}")
        lines.append(f"{number},WW{window},,{d},帮办代办,{rng.randint(0, 10) + bump}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="the same day as a workbook too")
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from core.system_clients import client_create
    from staff.models import Role, Staff, User
    from windows.models import ServiceItem
    from workload import selectors
    from workload.models import StaffWorkloadMonth, WindowWorkloadMonth, WorkloadRecord
    from workload.services.aggregates import computed_rows, kept_rows
    from workload.services.imports import workload_import
    from workload.services.records import workload_push
    from workload.services.weights import item_weight_set

    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    if not Staff.objects.filter(staff_number__startswith="WS").exists():
        started = time.perf_counter()
        build(args.staff)
        print(
            f"built {args.staff} staff, 3000 windows, 1500 items in "
            f"{time.perf_counter() - started:.1f} s"
        )
    numbers = list(
        Staff.objects.filter(staff_number__startswith="WS")
        .order_by("id")
        .values_list("staff_number", flat=True)[: args.staff]
    )
    actor, _ = User.objects.get_or_create(
        username="bench-workload", defaults={"role": Role.CENTER_ADMIN, "is_superuser": True}
    )
    day = timezone.localdate() - timedelta(days=1)
    month = day.replace(day=1)

    def clean():
        from core.models import SystemClient
        from workload.models import ItemWeight

        SystemClient.objects.filter(name="bench queue").delete()
        ItemWeight.objects.filter(service_item__code="WI1").delete()
        WorkloadRecord.objects.filter(staff__staff_number__startswith="WS").delete()
        StaffWorkloadMonth.objects.filter(staff__staff_number__startswith="WS").delete()
        WindowWorkloadMonth.objects.filter(window__code__startswith="WW").delete()

    clean()
    content = export(numbers, day)
    rows = len(numbers) * 4
    print(f"{rows} workload rows of {day}, {len(content) / 1e6:.1f} MB CSV")

    def timed(label, call):
        started = time.perf_counter()
        result = call()
        print(f"{label}: {time.perf_counter() - started:.1f} s")
        return result

    def run(data, commit, filename="bench.csv"):
        return workload_import(actor=actor, content=data, filename=filename, commit=commit)

    dry = timed("import dry run", lambda: run(content, False))
    assert dry.ok and dry.created == rows, (dry.error_count, dry.errors[:3])
    done = timed("import commit", lambda: run(content, True))
    assert done.committed and done.created == rows
    again = timed("import again (every row a duplicate)", lambda: run(content, True))
    assert again.duplicate == rows and again.created == again.updated == 0
    changed = export(numbers, day, bump=1)
    replaced = timed("import with every count changed", lambda: run(changed, True))
    assert replaced.updated == rows, (replaced.created, replaced.updated, replaced.duplicate)
    if args.xlsx:
        book = workbook(export(numbers, day, bump=2))
        print(f"the same day as a workbook: {len(book) / 1e6:.1f} MB xlsx")
        dry = timed("xlsx import dry run", lambda: run(book, False, "bench.xlsx"))
        assert dry.ok and dry.updated == rows, (dry.error_count, dry.errors[:3])
        done = timed(
            "xlsx import commit (every count changed)", lambda: run(book, True, "bench.xlsx")
        )
        assert done.committed and done.updated == rows
    item = ServiceItem.objects.get(code="WI1")
    timed(
        "weight change (re-price the month of one item)",
        lambda: item_weight_set(actor=actor, service_item=item, weight="1.5", effective_from=month),
    )
    equal = timed(
        "kept monthly rows == recomputation (check)", lambda: kept_rows() == computed_rows()
    )
    assert equal, "the kept monthly rows differ from a recomputation"
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        figures = selectors.window_efficiency(month, day)
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    print(f"window efficiency of the month ({len(figures)} windows): {runs[2]:.1f} ms median")
    with transaction.atomic():
        client, _raw = client_create(
            actor=actor, name="bench queue", kind="queue", scopes=["workload.push"]
        )

    def batch(ns, count):
        return [
            {
                "staff_number": n,
                "window": f"WW{1 + (int(n[2:]) - 1) % 3000}",
                "date": day.isoformat(),
                "kind": "叫号",
                "count": count,
            }
            for n in ns
        ]

    for size in (10, 200):
        runs = []
        for k in range(5):
            items = batch(numbers[size * k : size * (k + 1)], 100 + size)
            started = time.perf_counter()
            outcomes = workload_push(client=client, items=items)
            runs.append((time.perf_counter() - started) * 1000)
            assert all(o.result == "updated" for o in outcomes), outcomes[:3]
        runs.sort()
        print(f"push of {size} changed records (service): {runs[2]:.0f} ms median of 5")
    if not args.keep:
        clean()


if __name__ == "__main__":
    main()
