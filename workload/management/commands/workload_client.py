"""Issue a token for the queue-and-call system (a system client with scope ``workload.push``)
and print it once, with an example record of a person stationed today, for docs/integration.md.

    .venv/bin/python manage.py workload_client [--name 叫号系统]
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.system_clients import client_create
from windows.models import Stationing


class Command(BaseCommand):
    help = "Issue a queue-system client token (scope workload.push) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--name", default="排队叫号系统")

    def handle(self, *args, name, **options):
        _client, raw = client_create(actor=None, name=name, kind="queue", scopes=["workload.push"])
        self.stdout.write(f"TOKEN={raw}")
        today = timezone.localdate()
        stationing = (
            Stationing.objects.filter(end_date__isnull=True, start_date__lte=today)
            .select_related("staff", "window")
            .order_by("window__code", "id")
            .first()
        )
        if stationing is not None:
            self.stdout.write(
                f"STAFF={stationing.staff.staff_number} WINDOW={stationing.window.code}"
                f" DATE={today.isoformat()}"
            )
