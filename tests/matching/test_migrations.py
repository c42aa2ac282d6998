"""Upgrading keeps existing helpers matchable: the new `quality` column is filled in."""

from __future__ import annotations

from collections.abc import Iterator

import h3
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from quartier.matching.ranking import index_quality, ranking_params
from tests.races import reference_data_load


@pytest.fixture
def latest_migrations_after() -> Iterator[None]:
    """Leave the database at the newest migrations: later tests on the same database (the
    live server's, too) need every table, including ones added after 0002."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_quality_is_filled_for_rows_that_existed_before(latest_migrations_after: None) -> None:
    reference_data_load()  # an earlier transactional test may have flushed the catalogue
    before, after = [("matching", "0001_initial")], [("matching", "0002_matchindex_quality")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    User = old_apps.get_model("accounts", "User")
    Skill = old_apps.get_model("catalog", "Skill")
    OldIndex = old_apps.get_model("matching", "MatchIndex")
    helper = User.objects.create(email="old@example.com", full_name="Old Helper", is_helper=True)
    lat, lon = 47.3769, 8.5417
    OldIndex.objects.create(
        helper_id=helper.pk,
        skill_id=Skill.objects.get(slug="cleaning").pk,
        latitude=lat,
        longitude=lon,
        cell_fine=h3.str_to_int(h3.latlng_to_cell(lat, lon, 7)),
        cell_coarse=h3.str_to_int(h3.latlng_to_cell(lat, lon, 5)),
        radius_km=10,
        rating_mean=4.6,
        completed_jobs=2,
        reliability=0.9,
        response_minutes=30.0,
        joined_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    NewIndex = executor.loader.project_state(after).apps.get_model("matching", "MatchIndex")
    (row,) = NewIndex.objects.filter(helper_id=helper.pk)
    assert row.quality == index_quality(
        rating_mean=4.6,
        reliability_share=0.9,
        response_minutes=30.0,
        completed_jobs=2,
        params=ranking_params(),
    )
    assert row.quality > 0.5
    # Leave the database as every later test expects it: fully migrated (0002 is not the
    # last matching migration any more; without this the pools table stayed missing).
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
