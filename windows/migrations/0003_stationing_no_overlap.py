"""On PostgreSQL, refuse overlapping stationings of one person (see windows/constraints.py)."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from windows.constraints import stationing_no_overlap

    schema_editor.add_constraint(apps.get_model("windows", "Stationing"), stationing_no_overlap())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from windows.constraints import stationing_no_overlap

    schema_editor.remove_constraint(
        apps.get_model("windows", "Stationing"), stationing_no_overlap()
    )


class Migration(migrations.Migration):
    dependencies = [("windows", "0002_transfers_vetting_appointments")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
