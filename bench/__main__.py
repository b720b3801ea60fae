"""`python -m bench [--staff N]`: build (or reuse) the province dataset in PostgreSQL and measure.

Prints a table and writes JSON to bench/results/bench-<N>.json. Everything runs in-process with
Django's test client, so the figures are server time without network or browser.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = {"staff": 100_000, "departments": 300, "windows": 3_000}
CENTER_DEPARTMENTS = 41


def shape(staff: int, departments: int | None, windows: int | None) -> tuple[int, int | None]:
    """The dataset's departments and windows: the province's at its size, else the center's."""
    province = staff == PROVINCE["staff"]
    if departments is None:
        departments = PROVINCE["departments"] if province else CENTER_DEPARTMENTS
    if windows is None and province:
        windows = PROVINCE["windows"]
    return departments, windows


def database_name(staff: int, departments: int, windows: int | None) -> str:
    """ws_bench_<N> for the default shape at that size (the province at 100,000), with the
    shape in the name otherwise."""
    if (departments, windows) == shape(staff, None, None):
        return f"ws_bench_{staff}"
    return f"ws_bench_{staff}_{departments}d_{windows or 'auto'}w"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=PROVINCE["staff"])
    parser.add_argument(
        "--departments",
        type=int,
        default=None,
        help="departments (the province's 300 at 100,000 staff, else the center's 41)",
    )
    parser.add_argument(
        "--windows",
        type=int,
        default=None,
        help="windows (the province's 3,000 at 100,000 staff, else one per four people)",
    )
    parser.add_argument("--repeat", type=int, default=20, help="requests per scenario")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL of the bench database")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the dataset even if present"
    )
    parser.add_argument("--json", default=None, help="where to write the results")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or migrate) the dataset, measure nothing"
    )
    return parser.parse_args()


def prepare_database(
    url: str, staff: int, rebuild: bool, departments: int | None = None, windows: int | None = None
) -> None:
    """Create and seed the bench database unless it already holds a dataset of that shape;
    a reused one is migrated (so tables added since it was built are filled by their data
    migrations)."""
    departments, windows = shape(staff, departments, windows)
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    import psycopg2

    def admin_sql(sql: str) -> list:
        connection = psycopg2.connect(admin_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
        connection.close()
        return rows

    exists = admin_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    if exists and not rebuild:
        try:
            connection = psycopg2.connect(url)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT (SELECT count(*) FROM staff_staff),"
                    " (SELECT count(*) FROM staff_department),"
                    " (SELECT count(*) FROM windows_window)"
                )
                (count, department_count, window_count) = cursor.fetchone()
            connection.close()
            if (
                count == staff
                and department_count == departments
                and (windows is None or window_count == windows)
            ):
                print(f"Reusing {name}: {count} staff already there.")
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
                )
                return
        except psycopg2.Error:
            pass
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_demo",
            "--staff",
            str(staff),
            "--departments",
            str(departments),
            *(["--windows", str(windows)] if windows else []),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"Built {name} with {staff} staff in {time.monotonic() - started:.0f} s.")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure_pages(repeat: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from staff.models import User

    from .scenarios import BUDGETS, SCENARIOS

    clients: dict[str, Client] = {}
    results = []
    for scenario in SCENARIOS:
        if scenario.persona not in clients:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=scenario.persona))
            clients[scenario.persona] = client
        client = clients[scenario.persona]
        url = scenario.url() if callable(scenario.url) else scenario.url
        for _ in range(2):
            response = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries.captured_queries)  # read now: each request resets the log
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        budget = BUDGETS[scenario.kind]
        row = {
            "name": scenario.name,
            "url": url,
            "status": response.status_code,
            "queries": query_count,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "budget": budget,
        }
        row["ok"] = (
            response.status_code == 200
            and (budget["queries"] is None or row["queries"] <= budget["queries"])
            and row["median_ms"] <= budget["median"]
            and (budget["p95"] is None or row["p95_ms"] <= budget["p95"])
        )
        results.append(row)
        print(  # as it goes: a slow scenario at 100,000 staff takes minutes
            f"  {row['name']}: {row['queries']} queries, median {row['median_ms']} ms, "
            f"p95 {row['p95_ms']} ms",
            flush=True,
        )
    return results


def measure_jobs() -> list[dict]:
    """Roster import of 5,000 rows (dry run and commit, rolled back) and export of 10,000 staff."""
    from django.db import transaction
    from openpyxl import Workbook

    from staff import idcard
    from staff.models import Department, Staff, User
    from staff.resources import COLUMNS
    from staff.roster import roster_export, roster_import

    admin = User.objects.get(username="admin")
    department = Department.objects.order_by("id").last()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS.values()))
    for n in range(5000):
        first17 = f"990101{1970 + n % 30}0{1 + n % 9}1{n % 10}{n % 1000:03d}"[:17]
        number = first17 + idcard.check_digit(first17)
        sheet.append(
            [
                f"BENCH{n:05d}",
                f"测试{n}",
                "男",
                None,
                number,
                "13800000000",
                "群众",
                "公务员",
                "",
                "大学本科",
                department.code,
                "窗口工作人员",
                "在岗",
                "否",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    rows = []

    started = time.perf_counter()
    result = roster_import(actor=admin, content=content, filename="bench.xlsx", commit=False)
    rows.append(
        {
            "name": "roster import 5,000 rows, dry run",
            "seconds": round(time.perf_counter() - started, 2),
            "ok_rows": len(result.rows) - len(result.bad_rows),
            "budget_s": 15,
        }
    )
    with transaction.atomic():
        started = time.perf_counter()
        result = roster_import(actor=admin, content=content, filename="bench.xlsx", commit=True)
        elapsed = time.perf_counter() - started
        rows.append(
            {
                "name": "roster import 5,000 rows, commit",
                "seconds": round(elapsed, 2),
                "ok_rows": len(result.rows) - len(result.bad_rows),
                "committed": result.committed,
                "budget_s": 15,
            }
        )
        transaction.set_rollback(True)

    queryset = Staff.objects.order_by("id")[:10000]
    for fmt in ("xlsx", "csv"):
        started = time.perf_counter()
        content, _, _ = roster_export(
            actor=admin,
            queryset=Staff.objects.filter(id__in=list(queryset.values_list("id", flat=True))),
            fmt=fmt,
        )
        rows.append(
            {
                "name": f"export 10,000 staff, {fmt}",
                "seconds": round(time.perf_counter() - started, 2),
                "bytes": len(content),
                "budget_s": 5,
            }
        )
    rows += measure_background_jobs()
    for row in rows:
        row["ok"] = (
            row["seconds"] <= row["budget_s"]
            and row.get("committed", True) is not False
            and not ("rerun" in row["name"] and row["rows_written"])  # a rerun sends nothing
        )
    return rows


def measure_background_jobs() -> list[dict]:
    """Every reminder sweep and its rerun (which must write nothing), and a batch evidence export
    of 1,000 people as the Celery task builds it — each in a transaction rolled back afterwards,
    so the dataset stays as built."""
    from unittest import mock

    from django.db import transaction

    from notifications import services

    from .evidence import measure_batch

    rows = []
    with transaction.atomic(), mock.patch.object(services, "enqueue_delivery"):
        for name in ("reminder sweep (every sweep)", "reminder sweep, rerun"):
            started = time.perf_counter()
            results = services.sweeps_run(schedule=None)
            rows.append(
                {
                    "name": name,
                    "seconds": round(time.perf_counter() - started, 2),
                    "rows_written": sum(r.created for r in results),
                    "budget_s": 30,
                }
            )
        transaction.set_rollback(True)
    with transaction.atomic():
        batch = measure_batch(1000)
        rows.append(
            {
                "name": f"batch evidence export, {batch['people']:,} people",
                "seconds": batch["total_s"],
                "file_mb": batch["file_mb"],
                "budget_s": 60,
            }
        )
        transaction.set_rollback(True)
    return rows


def main() -> int:
    args = parse_args()
    departments, windows = shape(args.staff, args.departments, args.windows)
    name = database_name(args.staff, departments, windows)
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/{name}"
    prepare_database(url, args.staff, args.rebuild, departments, windows)
    if args.build_only:
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    pages = measure_pages(args.repeat)
    jobs = measure_jobs()

    print(
        f"\nProvince benchmark: {args.staff} staff, {args.repeat} requests per page (PostgreSQL, in-process)\n"
    )
    print(
        f"{'page / endpoint':34} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>8}  budget"
    )
    for row in pages:
        mark = "ok" if row["ok"] else "OVER"
        print(
            f"{row['name']:34} {row['status']:>6} {row['queries']:>7} {row['median_ms']:>10} {row['p95_ms']:>8}  {mark}"
        )
    print(f"\n{'job':40} {'seconds':>8}  budget")
    for row in jobs:
        mark = "ok" if row["ok"] else "OVER"
        written = f"  ({row['rows_written']:,} rows written)" if "rows_written" in row else ""
        print(f"{row['name']:40} {row['seconds']:>8}  ≤ {row['budget_s']} s {mark}{written}")
    out = Path(args.json or ROOT / "bench" / "results" / f"bench-{args.staff}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"staff": args.staff, "repeat": args.repeat, "pages": pages, "jobs": jobs},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nWrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
