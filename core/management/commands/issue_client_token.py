"""Issue a system client and print its token once (for an integrator's first curl):

    python manage.py issue_client_token --name 好差评平台 --kind rating --scope ratings.push

The center manages clients (rotate, revoke) in the admin; the token is never shown again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import SystemClientKind
from core.system_clients import client_create


class Command(BaseCommand):
    help = "Create a system client with the given scopes and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=SystemClientKind.values)
        parser.add_argument("--scope", action="append", required=True, dest="scopes")

    def handle(self, *args, name, kind, scopes, **options):
        try:
            client, token = client_create(actor=None, name=name, kind=kind, scopes=scopes)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"client #{client.pk} {client.name}: {', '.join(client.scopes)}")
        self.stdout.write(token)
