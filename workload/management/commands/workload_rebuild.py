"""Recompute the monthly workload rows from the records (repair; after a change of the
``KIND_WEIGHTS`` setting, with ``--reprice`` first re-price every record at today's weights)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.audit import audited
from workload.services.aggregates import workload_rebuild, workload_reprice
from workload.services.records import lock_writes


class Command(BaseCommand):
    help = "Recompute the monthly workload rows from the records."

    def add_arguments(self, parser):
        parser.add_argument("--reprice", action="store_true", help="re-price the records first")

    def handle(self, *args, reprice=False, **options):
        with transaction.atomic(), audited(actor=None, reason="workload_rebuild"):
            lock_writes()
            if reprice:
                self.stdout.write(f"re-priced {workload_reprice()} records")
            written = workload_rebuild()
        for table, count in written.items():
            self.stdout.write(f"{table}: {count} rows")
