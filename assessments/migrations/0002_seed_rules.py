"""Seed the common rules of domain/RULES.md (production needs them too)."""

from django.db import migrations


def seed(apps, schema_editor):
    from assessments.rules_seed import load

    load(apps.get_model("assessments", "AssessmentRule"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
