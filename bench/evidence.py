"""`python -m bench.evidence [--staff N]`: the evidence pack and the batch export, measured.

1. The evidence pack of one person with a 5-year record (the demo seed gives two years; three
   earlier years of monthly and annual scores, deductions, bonuses, ratings, training and
   appraisals are added to that person first): queries, median and p95 over repeats, for
   ``build_pack`` alone, the printable page, the API's JSON and the xlsx.
2. A batch export of 1,000 people (or everyone, when fewer) through the real task path: the
   service that records the export, then the Celery task (``apply``: in this process, no broker)
   building the workbook in batches. Total seconds and the file size.

The database is built by ``bench.__main__.prepare_database`` (``seed_demo --staff N``), by default
``ws_evidence_bench_<N>``; a batch of 1,000 needs ``--staff 1000`` or more.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

from .__main__ import ROOT, percentile, prepare_database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30, help="pack builds per measure")
    parser.add_argument("--batch", type=int, default=1000, help="people in the batch export")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", default=None)
    return parser.parse_args()


def extend_record(person, years: int) -> int:
    """Add ``years`` earlier years of record to ``person`` (idempotent: skipped when the record
    already goes back that far). Returns the rows added."""
    from django.utils import timezone

    from assessments.models import (
        AssessmentRule,
        Entry,
        PeriodKind,
        Rating,
        RuleKind,
        Score,
    )
    from assessments.services.scores import period_get_or_create
    from promotions.evidence.pack import default_period
    from promotions.models import Appraisal
    from staff.models import User
    from training.models import Course, Enrollment, EnrollmentStatus, Session
    from windows.models import Stationing

    first_year = Score.objects.filter(staff=person).order_by("period__year").first().period.year
    wanted = default_period()[0].year
    if first_year <= wanted:
        return 0
    author = User.objects.filter(is_superuser=True).first() or User.objects.first()
    deduction = AssessmentRule.objects.filter(kind=RuleKind.DEDUCTION).order_by("code").first()
    bonus = AssessmentRule.objects.filter(kind=RuleKind.BONUS).order_by("code").first()
    window = Stationing.objects.filter(staff=person).order_by("start_date").first().window
    courses = list(Course.objects.order_by("code")[:4])
    zone = timezone.get_current_timezone()
    rows = 0
    for year in range(wanted, first_year):
        scores, entries, ratings = [], [], []
        for month in range(1, 13):
            period = period_get_or_create(kind=PeriodKind.MONTH, year=year, number=month)
            day = date(year, month, 10)
            scores.append(
                Score(
                    period=period,
                    staff=person,
                    department=person.department,
                    window=window,
                    deductions=Decimal("1"),
                    bonus=Decimal("1"),
                    bonus_raw=Decimal("1"),
                    total=Decimal("100"),
                    entry_count=2,
                    rank_center=month,
                    rank_department=1,
                )
            )
            for rule in (deduction, bonus):
                entries.append(
                    Entry(
                        period=period,
                        staff=person,
                        window=window,
                        rule=rule,
                        kind=rule.kind,
                        date=day,
                        points=rule.points,
                        original_points=rule.points,
                        appeal_deadline=day + timedelta(days=7),
                        recorded_by=author,
                    )
                )
            for n, level in enumerate(("5", "5", "4", "3", "")):
                ratings.append(
                    Rating(
                        event_ref=f"BENCH-{person.pk}-{year}-{month}-{n}",
                        window=window,
                        department=person.department,
                        staff=person,
                        level=level,
                        served_at=datetime(year, month, 11, 10, tzinfo=zone),
                    )
                )
        annual = period_get_or_create(kind=PeriodKind.YEAR, year=year)
        scores.append(
            Score(
                period=annual,
                staff=person,
                department=person.department,
                window=window,
                monthly_average=Decimal("100"),
                total=Decimal("100"),
                rank_center=1,
                rank_department=1,
                suggested_grade="excellent",
                department_grade="excellent",
            )
        )
        Score.objects.bulk_create(scores)
        Entry.objects.bulk_create(entries)
        Rating.objects.bulk_create(ratings)
        for n, course in enumerate(courses):
            starts = datetime(year, 3 + n, 5, 19, tzinfo=zone)
            session = Session.objects.create(
                course=course, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=30
            )
            Enrollment.objects.create(
                session=session,
                staff=person,
                status=EnrollmentStatus.COMPLETED,
                hours_credited=course.hours,
            )
        Appraisal.objects.create(
            staff=person, date=date(year, 12, 20), text=f"{year}年度表现良好", written_by=author
        )
        rows += len(scores) + len(entries) + len(ratings) + 2 * len(courses) + 1
    return rows


def timed_queries(call, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    count = len(queries.captured_queries)  # read now: the next request resets the log
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "queries": count,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def measure_pack(repeat: int) -> tuple[dict, list[dict]]:
    from django.db.models import Count
    from django.test import Client

    from promotions.evidence.pack import build_pack, default_period
    from staff.models import Role, Staff, User

    hr = User.objects.filter(role=Role.HR, is_active=True).order_by("id").first()
    person = (
        Staff.objects.annotate(n=Count("scores")).order_by("-n", "id").select_related("department")
    ).first()
    added = extend_record(person, 5)
    start, end = default_period()
    pack = build_pack(person, start=start, end=end, viewer=hr)
    record = {
        "person": person.staff_number,
        "period": f"{start}..{end}",
        "rows_added": added,
        "monthly_scores": len(pack["monthly_scores"]),
        "annual_scores": len(pack["annual_scores"]),
        "deductions": len(pack["deductions"]),
        "bonuses": len(pack["bonuses"]),
        "ratings": pack["ratings"]["events"],
        "training_sessions": pack["training"]["sessions"],
        "appraisals": len(pack["appraisals"]),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr)
    page = f"/promotions/staff/{person.pk}/evidence/"
    api = f"/api/v1/staff/{person.pk}/evidence/"
    rows = [
        {
            "name": "build_pack (5 years)",
            **timed_queries(lambda: build_pack(person, start=start, end=end, viewer=hr), repeat),
        },
        {"name": "page " + page, **timed_queries(lambda: _ok(client.get(page)), repeat)},
        {"name": "API JSON", **timed_queries(lambda: _ok(client.get(api)), repeat)},
        {
            "name": "API xlsx",
            **timed_queries(lambda: _ok(client.get(api, {"format": "xlsx"})), repeat),
        },
    ]
    return record, rows


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def measure_batch(size: int) -> dict:
    from promotions.evidence.exports import evidence_export_request
    from promotions.evidence.pack import default_period
    from promotions.models import EvidenceExport, ExportState
    from promotions.tasks import build_evidence_export
    from staff.models import Role, Staff, User

    hr = User.objects.filter(role=Role.HR, is_active=True).order_by("id").first()
    ids = list(
        Staff.objects.order_by("department__code", "staff_number").values_list("pk", flat=True)[
            :size
        ]
    )
    start, end = default_period()
    started = time.perf_counter()
    # The real request queues the task after commit; here the task runs in this process.
    with mock.patch.object(build_evidence_export, "delay"):
        export = evidence_export_request(actor=hr, staff_ids=ids, start=start, end=end)
    queued = time.perf_counter()
    build_evidence_export.apply(args=[export.pk])
    finished = time.perf_counter()
    export = EvidenceExport.objects.get(pk=export.pk)
    assert export.state == ExportState.DONE, export.error
    return {
        "people": export.total,
        "request_s": round(queued - started, 2),
        "build_s": round(finished - queued, 1),
        "total_s": round(finished - started, 1),
        "per_person_ms": round(1000 * (finished - queued) / export.total, 1),
        "file_mb": round(export.file.size / 1_000_000, 2),
    }


def main() -> int:
    args = parse_args()
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/ws_evidence_bench_{args.staff}"
    prepare_database(url, args.staff, args.rebuild)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(ROOT / "var" / "bench-media")},
        },
    }
    record, pack_rows = measure_pack(args.repeat)
    batch = measure_batch(min(args.batch, args.staff))
    print(f"\nEvidence benchmark: {args.staff} staff (PostgreSQL, in-process)")
    print("record of the measured person: " + ", ".join(f"{k} {v}" for k, v in record.items()))
    print(f"\n{'measure':44} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for row in pack_rows:
        print(f"{row['name']:44} {row['queries']:>7} {row['median_ms']:>10} {row['p95_ms']:>8}")
    print(
        f"\nbatch export of {batch['people']} people: {batch['total_s']} s in total "
        f"(request {batch['request_s']} s, build {batch['build_s']} s, "
        f"{batch['per_person_ms']} ms per person), workbook {batch['file_mb']} MB"
    )
    out = Path(args.json or ROOT / "bench" / "results" / f"evidence-{args.staff}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"staff": args.staff, "record": record, "pack": pack_rows, "batch": batch},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
