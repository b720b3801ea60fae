"""Time the score paths of issue #15 on a synthetic province built with bulk SQL in the current
database (DATABASE_URL, PostgreSQL): 300 departments, 3,000 windows, 100,000 staff stationed,
one open month with ~30,000 entries.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.scores [--staff N] [--keep] [--pages]

Prints the median of a few runs (ms) of: recompute the month, close it (on a copy of the
period), record an entry (score_refresh), and the reads (rankings first/last page with their
ranks, the board's window card, period_people, the evidence pack's score part). Without
``--keep`` the synthetic rows are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def _ms(call, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def build(staff: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO staff_department (code, name, short_name, active) "
            "SELECT 'BD' || g, 'Bench department ' || g, 'BD' || g, true "
            "FROM generate_series(1, 300) g"
        )
        c.execute(
            "INSERT INTO windows_window (code, name, hall_area, floor, headcount_quota, active,"
            " department_id) SELECT 'BW' || g, 'Bench window ' || g, '', 1, 40, true, d.id "
            "FROM generate_series(1, 3000) g JOIN staff_department d ON d.code = 'BD' || "
            "(1 + (g - 1) % 300)"
        )
        c.execute(
            "INSERT INTO staff_staff (staff_number, name, gender, id_number, mobile,"
            " political_status, employment_type, rank, education, center_role, status,"
            " is_reserve_cadre, created_at, updated_at, department_id) "
            "SELECT 'BS' || g, 'Bench ' || g, 'male', lpad(g::text, 18, '0'), '', 'masses',"
            " 'civil_servant', '', 'bachelor', 'window', 'active', false, now(), now(), w.department_id "
            "FROM generate_series(1, %s) g JOIN windows_window w ON w.code = 'BW' || "
            "(1 + (g - 1) %% 3000)",
            [staff],
        )
        c.execute(
            "INSERT INTO windows_stationing (post, start_date, end_reason, is_early_end, staff_id,"
            " window_id) SELECT 'staff', DATE '2025-01-01', '', false, s.id, w.id "
            "FROM staff_staff s JOIN windows_window w ON w.code = 'BW' || "
            "(1 + (substr(s.staff_number, 3)::int - 1) % 3000) WHERE s.staff_number LIKE 'BS%'"
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")


def pages(period, person) -> None:
    """The pages and endpoints through the test client, cache emptied before each request."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from staff.models import User

    settings.ALLOWED_HOSTS = ["*"]
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "center_admin"})
    client = Client()
    client.force_login(admin)
    q = f"?period={period.pk}"
    urls = [
        reverse("assessments:board") + q,
        reverse("assessments:rankings") + q,
        reverse("assessments:rankings") + q + "&page=1500",
        reverse("assessments:appeal_list"),
        reverse("assessments:rectification_list"),
        reverse("score-list") + q,
        reverse("score-list") + q + "&ordering=rank_center",
        reverse("entry-list"),
        f"/api/v1/staff/{person.pk}/evidence/",
        reverse("promotions:evidence", args=[person.pk]),
    ]
    for url in urls:
        times = []
        for _ in range(5):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{url}: {response.status_code}, median {statistics.median(times):.0f} ms cold, "
            f"{len(queries)} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--pages", action="store_true", help="also time the pages (cold)")
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import date
    from decimal import Decimal

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from assessments import selectors
    from assessments.models import AssessmentRule, Entry, EntryStatus, Period, Score
    from assessments.services import totals
    from assessments.services.scores import (
        period_close,
        period_get_or_create,
        score_recompute,
        score_refresh,
    )
    from staff.models import Staff

    if not Staff.objects.filter(staff_number="BS1").exists():
        started = time.perf_counter()
        build(args.staff)
        print(f"built {args.staff} staff in {time.perf_counter() - started:.1f}s")
    period = period_get_or_create(kind="month", year=2026, number=3)
    rules = list(AssessmentRule.objects.filter(active=True).order_by("id")[:6])
    if not Entry.objects.filter(period=period).exists():
        with connection.cursor() as c:
            c.execute(
                "INSERT INTO assessments_entry (period_id, staff_id, rule_id, kind, date, quantity,"
                " points, original_points, status, notes, appeal_deadline, recorded_at) "
                "SELECT %s, s.id, r.id, r.kind, DATE '2026-03-10', 1, r.points, r.points,"
                " 'active', '', DATE '2026-03-20', now() "
                "FROM staff_staff s JOIN assessments_assessmentrule r "
                "ON r.id = (%s::bigint[])[1 + s.id %% %s] "
                "WHERE s.staff_number LIKE 'BS%%' AND s.id %% 10 < 3",
                [period.pk, [r.pk for r in rules], len(rules)],
            )
            c.execute("ANALYZE assessments_entry")
    print("entries in the month:", Entry.objects.filter(period=period).count())

    class Rollback(Exception):
        pass

    def in_rollback(call):
        def run():
            try:
                with transaction.atomic():
                    call()
                    raise Rollback
            except Rollback:
                pass

        return run

    score_recompute(actor=None, period=period)  # the month's scores exist from here on
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE assessments_score")
    n = Score.objects.filter(period=period).count()
    print(f"scores in the month: {n}")
    ms, _ = _ms(lambda: score_recompute(actor=None, period=period), runs=3)
    print(f"score_recompute (month, {n} people, nothing changed): {ms:.0f} ms")
    with connection.cursor() as c:  # every score changes: the worst case
        c.execute("UPDATE assessments_score SET total = 0 WHERE period_id = %s", [period.pk])
    ms, _ = _ms(lambda: score_recompute(actor=None, period=period), runs=1)
    print(f"score_recompute (month, {n} people, every score rewritten): {ms:.0f} ms")
    with connection.cursor() as c:  # every rank moved, totals current: what a close meets
        c.execute(
            "UPDATE assessments_score SET rank_center = rank_center + 1 WHERE period_id = %s",
            [period.pk],
        )
        c.execute("VACUUM assessments_score")  # autovacuum's work after the rewrites above
    ms, _ = _ms(lambda: score_recompute(actor=None, period=period), runs=1)
    print(f"score_recompute (month, every stored rank moved, totals current): {ms:.0f} ms")
    ms, _ = _ms(in_rollback(lambda: period_close(actor=None, period=period)), runs=3)
    print(f"period_close (month, rolled back): {ms:.0f} ms")

    with connection.cursor() as c:  # the rewrites above left dead rows: autovacuum's work
        c.execute("VACUUM ANALYZE assessments_score")
    person = Staff.objects.get(staff_number="BS4242")
    rule = rules[0]

    def record():
        Entry.objects.create(
            period=period,
            staff=person,
            rule=rule,
            kind=rule.kind,
            date=date(2026, 3, 11),
            points=rule.points,
            original_points=rule.points,
            status=EntryStatus.ACTIVE,
            appeal_deadline=date(2026, 3, 25),
        )
        score_refresh(period=period, staff_ids=[person.pk], reason="bench")

    ms, _ = _ms(in_rollback(record), runs=5)
    print(f"record an entry (insert + score_refresh, rolled back): {ms:.1f} ms")

    from django.contrib.auth import get_user_model

    admin = get_user_model()(username="bench-admin", role="center_admin", is_superuser=True)

    from assessments.views.lists import ScorePaginator

    def page(number):  # as the rankings view: the count, the page's ids, the rows, their ranks
        qs = selectors.score_ranking_for_user(admin, period)
        return list(ScorePaginator(qs, 50).page(number).object_list)

    last = (n + 49) // 50
    for label, number in (("first", 1), ("last", last)):
        with CaptureQueriesContext(connection) as q:
            ms, rows = _ms(lambda number=number: page(number))
        print(f"rankings page {label} (50 rows, ranks read): {ms:.1f} ms, {len(q) // 5} queries")
    department = Staff.objects.get(staff_number="BS7").department_id
    ms, _ = _ms(
        lambda: list(
            ScorePaginator(selectors.score_ranking_for_user(admin, period, department), 50)
            .page(1)
            .object_list
        )
    )
    print(f"rankings page in one department: {ms:.1f} ms")
    ms, board = _ms(lambda: selectors.window_board(admin, period))
    print(f"period board window card ({len(board)} rows): {ms:.1f} ms")
    ms, people = _ms(lambda: selectors.period_people([period.pk]))
    print(f"period_people: {ms:.1f} ms ({people[period.pk]} people)")
    ms, _ = _ms(lambda: selectors.dashboard_figures(admin))
    print(f"dashboard_figures (assessments): {ms:.1f} ms")
    from promotions.evidence.pack import _scores

    with CaptureQueriesContext(connection) as q:
        ms, _ = _ms(lambda: _scores([person.pk], date(2021, 1, 1), date(2026, 12, 31), None))
    print(f"evidence pack, score part (ranks, sizes): {ms:.1f} ms, {len(q) // 5} queries")
    ms, _ = _ms(lambda: totals.score_totals_rebuild(reason="bench"), runs=1)
    print(f"score_totals_rebuild (every period): {ms:.0f} ms")
    exact = Decimal(
        sum(Score.objects.filter(period=period).values_list("total", flat=True))
    ) == sum(
        t
        for t in totals.PeriodDepartmentTotal.objects.filter(period=period).values_list(
            "total_sum", flat=True
        )
    )
    print("totals exact:", exact)
    if args.pages:
        pages(period, person)
    if not args.keep:
        with transaction.atomic():
            Entry.objects.filter(period=period).delete()
            Period.objects.filter(pk=period.pk).delete()
            with connection.cursor() as c:
                c.execute(
                    "DELETE FROM windows_stationing WHERE staff_id IN "
                    "(SELECT id FROM staff_staff WHERE staff_number LIKE 'BS%')"
                )
                c.execute("DELETE FROM staff_staff WHERE staff_number LIKE 'BS%'")
                c.execute("DELETE FROM windows_window WHERE code LIKE 'BW%'")
                c.execute("DELETE FROM staff_department WHERE code LIKE 'BD%'")


if __name__ == "__main__":
    main()
