"""Import of the postcode table from the gazetteer built from installed packages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .distance import h3_cell
from .gazetteer import PostcodeRecord, load_postcodes
from .gazetteer_names import exact_key
from .models import Postcode


def postcodes_import(records: Iterable[PostcodeRecord] | None = None) -> int:
    """Insert or refresh every CH and DE postcode (idempotent); returns the row count."""
    rows = [
        Postcode(
            country=r.country,
            postcode=r.postcode,
            locality=r.locality,
            region=r.region,
            latitude=r.latitude,
            longitude=r.longitude,
            h3_cell=h3_cell(r.latitude, r.longitude),
            precision=r.precision,
            search_key=exact_key(r.locality),
        )
        for r in (load_postcodes() if records is None else records)
    ]
    with transaction.atomic():
        Postcode.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["country", "postcode"],
            update_fields=[
                "locality",
                "region",
                "latitude",
                "longitude",
                "h3_cell",
                "precision",
                "search_key",
            ],
        )
    return Postcode.objects.count()
