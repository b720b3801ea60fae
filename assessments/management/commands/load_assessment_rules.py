"""`manage.py load_assessment_rules`: add the common rules of domain/RULES.md that are missing."""

from django.core.management.base import BaseCommand

from core.audit import log_bulk

from ...models import AssessmentRule
from ...rules_seed import load


class Command(BaseCommand):
    help = "Add the common assessment rules (existing codes are left unchanged)."

    def handle(self, *args, **options):
        created = load(AssessmentRule)
        if created:
            log_bulk(
                actor=None,
                model=AssessmentRule,
                action="load_assessment_rules",
                count=created,
                reason="load_assessment_rules",
            )
        self.stdout.write(f"{created} rule(s) added.")
