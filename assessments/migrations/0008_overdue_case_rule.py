"""The assessment rule overdue cases are recorded under (E03, issue #18)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.rules_seed import load as load_rules

    load_rules(apps.get_model("assessments", "AssessmentRule"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_cases_and_group_places")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
