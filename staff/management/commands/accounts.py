"""`manage.py accounts create|disable|enable`: the accounts page from the command line.

    manage.py accounts create --actor admin [--department CODE] [--window CODE] --output a.xlsx
    manage.py accounts create --actor admin --department D01 --initial-password-stdin < pw.txt
    manage.py accounts disable --actor admin --not-stationed --reason "派驻结束"
    manage.py accounts enable --actor admin --department D01 --reason "重新派驻"

``--actor`` names the center administrator the audit trail attributes the change to. Random
passwords go to ``--output`` only (an xlsx readable by its owner alone, never overwritten);
a typed initial password is read from standard input, never from the command line (where
``ps`` and the shell history would show it).
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from staff import accounts
from staff.models import Department, User


class Command(BaseCommand):
    help = "Create, disable or re-enable the logins of the roster's people in bulk."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "disable", "enable"])
        parser.add_argument("--actor", required=True, help="username of a center administrator")
        parser.add_argument("--department", help="home department code")
        parser.add_argument("--window", help="people stationed now at this window (its code)")
        parser.add_argument(
            "--not-stationed", action="store_true", help="only people with no open stationing"
        )
        parser.add_argument("--output", help="create: the xlsx of the random passwords")
        parser.add_argument(
            "--initial-password-stdin",
            action="store_true",
            help="create: one initial password for everyone, read from standard input",
        )
        parser.add_argument("--reason", default="", help="disable/enable: why (required)")

    def handle(self, *args, **options):
        try:
            actor = User.objects.get(username=options["actor"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {options['actor']!r}.") from exc
        department = None
        if options["department"]:
            department = Department.objects.filter(code=options["department"]).first()
            if department is None:
                raise CommandError(f"No department with code {options['department']!r}.")
        people = accounts.people_for_accounts(
            department=department,
            window_code=options["window"] or "",
            stationed="no" if options["not_stationed"] else "",
        )
        try:
            if options["action"] == "create":
                self.create(actor, people, options)
            else:
                users = User.objects.filter(
                    pk__in=people.filter(user__isnull=False).values("user_id")
                )
                changed = accounts.accounts_set_active(
                    actor=actor,
                    users=users,
                    active=options["action"] == "enable",
                    reason=options["reason"],
                )
                self.stdout.write(f"{changed} account(s) {options['action']}d.")
        except (PermissionDenied, ValidationError) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError("; ".join(str(m) for m in messages)) from exc

    def create(self, actor, people, options):
        typed = ""
        if options["initial_password_stdin"]:
            typed = sys.stdin.readline().rstrip("\n")
            if not typed:
                raise CommandError("No password on standard input.")
        elif not options["output"]:
            raise CommandError("Give --output for the random passwords (or a typed password).")
        output = options["output"]
        if output and os.path.exists(output):
            raise CommandError(f"{output} exists; it is never overwritten.")
        with transaction.atomic():  # no file written, no account made
            result = accounts.accounts_create(actor=actor, people=people, initial_password=typed)
            if output and result.created:
                descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(accounts.accounts_sheet(result.created))
        for number, name, why in result.skipped:
            self.stderr.write(f"skipped {number} {name}: {why}")
        where = f" (passwords in {output})" if output and not typed and result.created else ""
        self.stdout.write(f"{len(result.created)} account(s) created{where}.")
