from django.db import migrations, models

from quartier.geo.gazetteer_names import exact_key


def fill_search_keys(apps, schema_editor):
    Postcode = apps.get_model("geo", "Postcode")
    rows = list(Postcode.objects.only("pk", "locality"))
    for row in rows:
        row.search_key = exact_key(row.locality)
    Postcode.objects.bulk_update(rows, ["search_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_postcode_precision_help")]

    operations = [
        migrations.AddField(
            model_name="postcode",
            name="search_key",
            field=models.CharField(
                db_index=True,
                default="",
                help_text="Folded locality for search: 'zurich'.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
