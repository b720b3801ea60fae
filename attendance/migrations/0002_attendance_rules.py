"""The assessment rules the month's attendance deductions are recorded under (A01–A05)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.rules_seed import load as load_rules

    load_rules(apps.get_model("assessments", "AssessmentRule"))


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("assessments", "0002_seed_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
