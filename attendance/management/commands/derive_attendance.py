"""``manage.py derive_attendance --month 2026-11 [--processes N]``: derive (or re-derive) the
attendance days of a span for everyone, e.g. a whole month before the month-end proposals, in N
forked processes (default: the machine's cores). The beat task keeps the last days current; this
is for a month after a late import, a changed schedule or a corrected calendar."""

from __future__ import annotations

import os
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from attendance.services.days import days_derive
from attendance.services.month import month_bounds


class Command(BaseCommand):
    help = "Derive the attendance days of a month or a span for everyone."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM: the whole month")
        parser.add_argument("--start", help="YYYY-MM-DD (with --end)")
        parser.add_argument("--end", help="YYYY-MM-DD")
        parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)

    def handle(self, *args, **options):
        start, end = self._span(options)
        started = time.perf_counter()
        result = days_derive(start=start, end=end, processes=max(1, options["processes"]))
        self.stdout.write(
            f"{start}..{end}: {result.created} created, {result.updated} updated, "
            f"{result.deleted} removed, {result.unchanged} unchanged "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _span(self, options) -> tuple[date, date]:
        if options["month"]:
            first = parse_date(f"{options['month']}-01")
            if first is None:
                raise CommandError("--month is YYYY-MM")
            return month_bounds(first)
        start = parse_date(options["start"] or "")
        end = parse_date(options["end"] or "") or start
        if start is None or end < start:
            raise CommandError("give --month YYYY-MM, or --start YYYY-MM-DD [--end YYYY-MM-DD]")
        return start, end
