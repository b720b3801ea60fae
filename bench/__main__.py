"""`python -m bench [--staff N]`: build (or reuse) the province dataset in PostgreSQL and measure.

Prints a table and writes JSON to bench/results/bench-<N>.json. Everything runs in-process with
Django's test client, so the figures are server time without network or browser.

Long because: a benchmark script read top to bottom — build the dataset, then time each page in
turn and write the table; no runtime code imports it.
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
# The planner settings of docker-compose's PostgreSQL (solid-state storage: a random read costs
# about what a sequential one does), so the benchmark plans queries as production does.
PG_SETTINGS = {"random_page_cost": "1.1"}


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
        "--after-repeat",
        type=int,
        default=None,
        help="writes (each followed by a request) per scenario; min(repeat, 10) by default",
    )
    parser.add_argument("--only", default=None, help="only scenarios whose name contains this")
    parser.add_argument("--pages-only", action="store_true", help="skip the jobs")
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
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    import psycopg2

    def admin_sql(sql: str) -> list:
        connection = psycopg2.connect(admin_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
        connection.close()
        return rows

    def tune() -> None:
        # the planner settings docker-compose's PostgreSQL runs with (docs/operations.md)
        for setting, value in PG_SETTINGS.items():
            admin_sql(f'ALTER DATABASE "{name}" SET {setting} = {value}')

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
                tune()
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
                )
                return
        except psycopg2.Error:
            pass
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    tune()
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


def clear_caches() -> None:
    """Empty every Django cache there is: a "cold" request finds nothing cached (kept so that the
    figure stays honest if a cache ever comes back)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def _timed_get(client, url: str, *, cold: bool = False, capture: bool = False):
    """One request: (milliseconds, status, query count or None)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        clear_caches()
    if capture:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status_code, len(queries.captured_queries)
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response.status_code, None


def _figures(times: list[float], queries: int | None) -> dict:
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": queries,
    }


def measure_scenario(scenario, client, repeat: int, after_repeat: int) -> dict:
    """Cold (caches emptied before each request), after a write (the scenario's write before
    each request; a login's request is its new session's first), warm (the same request again)
    and the bare view, in that order. The query count of each is its first request's."""
    from .scenarios import BUDGETS
    from .writes import run as run_write

    url = scenario.url() if callable(scenario.url) else scenario.url
    bare_url = scenario.bare() if callable(scenario.bare) else scenario.bare
    statuses = set()
    for _ in range(2):  # templates loaded, connection open
        _, status, _ = _timed_get(client, url)

    def series(n: int, **kwargs) -> tuple[list[float], int | None]:
        times, first_queries = [], None
        for i in range(n):
            elapsed, status, queries = _timed_get(client, url, capture=i == 0, **kwargs)
            statuses.add(status)
            times.append(elapsed)
            first_queries = queries if i == 0 else first_queries
        return times, first_queries

    cold_times, cold_queries = series(repeat, cold=True)

    after_times, after_queries, write_times = [], None, []
    for i in range(after_repeat):
        seconds, fresh = run_write(scenario.write, persona=scenario.persona)
        write_times.append(seconds * 1000)
        elapsed, status, queries = _timed_get(fresh or client, url, capture=i == 0)
        statuses.add(status)
        after_times.append(elapsed)
        after_queries = queries if i == 0 else after_queries

    _timed_get(client, url)
    warm_times, warm_queries = series(repeat)

    bare = None
    if bare_url:
        _timed_get(client, bare_url)
        bare_times, bare_queries, bare_statuses = [], None, set()
        for i in range(repeat):
            elapsed, status, queries = _timed_get(client, bare_url, cold=True, capture=i == 0)
            bare_statuses.add(status)
            bare_times.append(elapsed)
            bare_queries = queries if i == 0 else bare_queries
        bare = {
            "url": bare_url,
            "status": sorted(bare_statuses),
            **_figures(bare_times, bare_queries),
        }

    budget = BUDGETS[scenario.kind]
    row = {
        "name": scenario.name,
        "url": url,
        "kind": scenario.kind,
        "persona": scenario.persona,
        "write": scenario.write,
        "status": sorted(statuses),
        "cold": _figures(cold_times, cold_queries),
        "after_write": {
            **(_figures(after_times, after_queries) if after_times else {}),
            "write_median_ms": round(statistics.median(write_times), 1) if write_times else None,
        },
        "warm": _figures(warm_times, warm_queries),
        "bare": bare,
        "budget": budget,
    }
    row["ratio"] = (
        round(row["cold"]["median_ms"] / bare["median_ms"], 1)
        if bare and bare["median_ms"]
        else None
    )
    row["ok"] = (
        row["status"] == [200]
        and (budget["queries"] is None or row["cold"]["queries"] <= budget["queries"])
        and row["cold"]["median_ms"] <= budget["median"]
        and (
            budget.get("bare_ratio") is None
            or row["ratio"] is None
            or row["ratio"] <= budget["bare_ratio"]
        )
    )
    return row


def current_password_hashes(usernames: set[str]) -> None:
    """Rehash the personas' passwords with the preferred hasher now, if a dataset seeded under
    other settings has them otherwise: a login that upgrades a hash also ends the user's other
    sessions (the session hash covers the password), which would log the benchmark's client out."""
    from django.contrib.auth.hashers import get_hasher, identify_hasher

    from demo.staff import DEMO_PASSWORD
    from staff.models import User

    preferred = get_hasher()
    for user in User.objects.filter(username__in=usernames):
        current = identify_hasher(user.password)
        if current.algorithm != preferred.algorithm or preferred.must_update(user.password):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


def measure_pages(
    repeat: int, after_repeat: int | None = None, only: str | None = None
) -> list[dict]:
    """Every scenario of bench/scenarios.py (those whose name contains ``only``), through the
    benchmark's URLconf (the project's URLs and the bare views)."""
    from django.test import Client, override_settings

    from staff.models import User

    from .scenarios import SCENARIOS

    after_repeat = min(repeat, 10) if after_repeat is None else after_repeat
    current_password_hashes({s.persona for s in SCENARIOS})
    clients: dict = {}
    results = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        for scenario in SCENARIOS:
            if only and only.lower() not in scenario.name.lower():
                continue
            if scenario.persona not in clients:
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(User.objects.get(username=scenario.persona))
                clients[scenario.persona] = client
            row = measure_scenario(scenario, clients[scenario.persona], repeat, after_repeat)
            results.append(row)
            print(  # as it goes: a slow scenario at 100,000 staff takes minutes
                f"  {row['name']}: cold {row['cold']['median_ms']} ms "
                f"({row['cold']['queries']} q), after {row['write']} "
                f"{row['after_write'].get('median_ms')} ms, warm {row['warm']['median_ms']} ms, "
                f"bare {row['bare']['median_ms'] if row['bare'] else '-'} ms",
                flush=True,
            )
    return results


def print_pages(pages: list[dict]) -> None:
    header = (
        f"{'page / endpoint':32} {'write':>8} {'cold':>7} {'p95':>7} {'q':>3} "
        f"{'after':>7} {'p95':>7} {'w ms':>6} {'warm':>7} {'p95':>7} {'bare':>6} {'bq':>3} "
        f"{'ratio':>5}  budget"
    )
    print(header)
    for row in pages:
        cold, after, warm, bare = row["cold"], row["after_write"], row["warm"], row["bare"] or {}
        budget = row["budget"]
        limit = f"≤{budget['median']:.0f} ms" + (
            f", ≤{budget['bare_ratio']:.0f}× bare" if budget.get("bare_ratio") else ""
        )
        status = "" if row["status"] == [200] else f" status {row['status']}"
        print(
            f"{row['name'][:32]:32} {row['write']:>8} {cold['median_ms']:>7} {cold['p95_ms']:>7} "
            f"{cold['queries']:>3} {after.get('median_ms', '-'):>7} {after.get('p95_ms', '-'):>7} "
            f"{after.get('write_median_ms') or '-':>6} {warm['median_ms']:>7} {warm['p95_ms']:>7} "
            f"{bare.get('median_ms', '-'):>6} {bare.get('queries', '-'):>3} "
            f"{row['ratio'] or '-':>5}  {limit} {'ok' if row['ok'] else 'OVER'}{status}"
        )


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
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    pages = measure_pages(args.repeat, args.after_repeat, args.only)
    jobs = [] if args.pages_only else measure_jobs()

    print(
        f"\nBenchmark: {args.staff} staff, {departments} departments, "
        f"{windows or 'one per four people'} windows; {args.repeat} requests per page cold "
        f"(caches emptied before each) and warm, {args.after_repeat or min(args.repeat, 10)} after "
        f"a write; medians, p95 and query counts; PostgreSQL, in-process\n"
    )
    print_pages(pages)
    print(f"\n{'job':40} {'seconds':>8}  budget")
    for row in jobs:
        mark = "ok" if row["ok"] else "OVER"
        written = f"  ({row['rows_written']:,} rows written)" if "rows_written" in row else ""
        print(f"{row['name']:40} {row['seconds']:>8}  ≤ {row['budget_s']} s {mark}{written}")
    out = Path(args.json or ROOT / "bench" / "results" / f"bench-{args.staff}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "staff": args.staff,
                "departments": departments,
                "windows": windows,
                "repeat": args.repeat,
                "pages": pages,
                "jobs": jobs,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nWrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
