from django.db import migrations

from quartier.catalog.taxonomy import seed_taxonomy


def seed(apps, schema_editor):
    seed_taxonomy(apps.get_model("catalog", "SkillCategory"), apps.get_model("catalog", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
