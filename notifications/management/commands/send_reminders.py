"""`manage.py send_reminders [--dry-run] [--date YYYY-MM-DD] [--sweep NAME] [--deliver]`: run every
reminder sweep once (what beat does at 08:00) and print what was, or would be, sent."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications import registry, relay, services


class Command(BaseCommand):
    help = "Run every reminder sweep once and print what it sends (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="write and send nothing")
        parser.add_argument("--date", help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument(
            "--sweep", action="append", default=[], help="run only this sweep (repeatable)"
        )
        parser.add_argument(
            "--schedule",
            choices=[*registry.SCHEDULES, "all"],
            default="all",
            help="which sweeps to run (default: all)",
        )
        parser.add_argument(
            "--deliver", action="store_true", help="also e-mail pending rows now, in this process"
        )

    def handle(self, *args, dry_run, date: str | None, sweep, schedule, deliver, **options):
        try:
            today = _parse(date) if date else timezone.localdate()
            selected = (
                [registry.get_sweep(name) for name in sweep]
                if sweep
                else registry.sweeps(None if schedule == "all" else schedule)
            )
        except (ValueError, KeyError) as exc:
            raise CommandError(f"Bad argument: {exc}") from exc
        verb = "would be sent" if dry_run else "sent"
        total = 0
        for item in selected:
            result = services.sweep_run(sweep=item, today=today, dry_run=dry_run, keep_planned=True)
            total += result.created
            self.stdout.write(
                f"{item.name}: {result.due} due, {result.created} new notifications {verb}"
            )
            for planned in result.planned:
                self.stdout.write(
                    f"  → {planned.recipient} [{planned.kind} {planned.period}] {planned.title}"
                )
        self.stdout.write(self.style.SUCCESS(f"{total} notifications {verb} for {today}."))
        if deliver and not dry_run:
            delivered = relay.deliver_pending()
            self.stdout.write(
                f"E-mail: {delivered.sent} sent, {delivered.skipped} not e-mailed, "
                f"{delivered.retry} to retry, {delivered.failed} failed."
            )


def _parse(value: str) -> date:
    return date.fromisoformat(value)
