from django.db import migrations


def forwards(apps, schema_editor):
    from training.catalog_seed import seed

    seed(apps.get_model("training", "Skill"), apps.get_model("training", "CategorySkill"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
