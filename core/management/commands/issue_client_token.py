"""``manage.py issue_client_token --name 办件系统 --kind case --scope cases.push``: create a system
client (or, with ``--rotate``, replace the token of the one of that name) and print its token,
the only time it is readable. For scripts and the curl examples of docs/integration.md; center
administrators use the portal's system-client pages. Audited as the system (no user)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import SystemClient, SystemClientKind
from core.scopes import scope_choices
from core.system_clients import client_create, client_rotate


class Command(BaseCommand):
    help = "Issue a system client's token (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--kind", default=SystemClientKind.OTHER, choices=SystemClientKind.values
        )
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="a scope the client may hold (repeat for several): "
            + ", ".join(name for name, _label in scope_choices()),
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="the client exists: replace its token (the old one stops working)",
        )

    def handle(self, *args, name, kind, scope, rotate, **options):
        try:
            if rotate:
                client = SystemClient.objects.filter(name=name.strip(), is_active=True).first()
                if client is None:
                    raise CommandError(f"No active client named {name!r}.")
                raw = client_rotate(actor=None, client=client)
            else:
                client, raw = client_create(actor=None, name=name, kind=kind, scopes=scope)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(f"{client.name} (#{client.pk}) {client.kind} {','.join(client.scopes)}")
        self.stdout.write(raw)
