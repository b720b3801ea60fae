"""Recompute the monthly rating rows (``RatingMonth``) from the ratings and their cases. The
services keep them in step; this is for a restore or a check (``--check`` changes nothing and
exits 1 when the kept rows differ)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import Rating, RatingMonth
from assessments.services.rating_months import rebuild


def _rows() -> dict[tuple, dict[str, int]]:
    keys = ("month", "window_id", "department_id", "service_item_id", "channel")
    found = {}
    for row in RatingMonth.objects.values(*keys, *RatingMonth.COUNTS):
        counts = {name: row[name] for name in RatingMonth.COUNTS if row[name]}
        if counts:
            found[tuple(row[k] for k in keys)] = counts
    return found


class Command(BaseCommand):
    help = "Recompute the monthly rating rows from the ratings (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")

    def handle(self, *args, check: bool = False, **options):
        with transaction.atomic():
            kept = _rows()
            count = rebuild(Rating, RatingMonth)
            rebuilt = _rows()
            if check:
                transaction.set_rollback(True)
        differ = sorted(set(kept) ^ set(rebuilt) | {k for k in kept if kept[k] != rebuilt.get(k)})
        self.stdout.write(f"{count} rows; {len(differ)} differed")
        if check and differ:
            raise SystemExit(1)
