"""The match index's `quality` column (ranking.index_quality) and covering indexes.

Existing rows get their quality from the columns they already hold, with the ranking settings
in force when the migration runs (the same thing `quartier reindex` writes).
"""

from typing import Any

from django.db import migrations, models

from quartier.matching.ranking import index_quality, ranking_params


def fill_quality(apps: Any, schema_editor: Any) -> None:
    MatchIndex = apps.get_model("matching", "MatchIndex")
    params = ranking_params()
    rows = MatchIndex.objects.using(schema_editor.connection.alias).only(
        "id", "rating_mean", "reliability", "response_minutes", "completed_jobs"
    )
    batch = []
    for row in rows.order_by("id").iterator(chunk_size=2000):
        row.quality = index_quality(
            rating_mean=row.rating_mean,
            reliability_share=row.reliability,
            response_minutes=row.response_minutes,
            completed_jobs=row.completed_jobs,
            params=params,
        )
        batch.append(row)
        if len(batch) >= 2000:
            MatchIndex.objects.bulk_update(batch, ["quality"])
            batch = []
    if batch:
        MatchIndex.objects.bulk_update(batch, ["quality"])


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="matchindex",
            name="quality",
            field=models.FloatField(
                default=0.0,
                help_text="Distance-free score without the program part (ranking.index_quality).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_quality, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="matchindex", name="match_skill_fine"),
        migrations.RemoveIndex(model_name="matchindex", name="match_skill_coarse"),
        migrations.AddIndex(
            model_name="matchindex",
            index=models.Index(
                fields=["skill", "cell_fine", "quality", "radius_km", "latitude", "longitude"],
                name="match_skill_fine_quality",
            ),
        ),
        migrations.AddIndex(
            model_name="matchindex",
            index=models.Index(
                fields=["skill", "cell_coarse", "radius_km", "quality", "latitude", "longitude"],
                name="match_skill_coarse_radius",
            ),
        ),
        migrations.AddIndex(
            model_name="matchindex",
            index=models.Index(fields=["skill", "quality"], name="match_skill_quality"),
        ),
        migrations.AddIndex(
            model_name="matchindex",
            index=models.Index(fields=["skill", "radius_km"], name="match_skill_radius"),
        ),
    ]
