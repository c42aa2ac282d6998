"""Reads of the postcode table (autocomplete)."""

from __future__ import annotations

from collections import Counter

from .distance import bounding_box
from .gazetteer_names import exact_key
from .models import Postcode

# Prefix matches read for ranking; a two-letter prefix matches at most a few thousand rows.
_CANDIDATES = 4000


def postcode_search(*, query: str, country: str | None = None, limit: int = 10) -> list[Postcode]:
    """Postcodes starting with `query`, or postcodes of localities whose name starts with it.

    Names match spelling-insensitively ("Zurich", "zürich" and "Zürich" alike). Localities
    named exactly like the query come first, then larger ones (more postcodes: the cities
    people mean), so "Münch" offers München before Münchenstein.
    """
    query = query.strip()
    rows = Postcode.objects.all()
    if country:
        rows = rows.filter(country=country.upper())
    if query.isdigit():
        return list(rows.filter(postcode__startswith=query).order_by("postcode")[:limit])
    key = exact_key(query)
    if not key:
        return []
    found = list(rows.filter(search_key__startswith=key)[:_CANDIDATES])
    size = Counter((p.country, p.search_key) for p in found)
    found.sort(key=lambda p: (p.search_key != key, -size[(p.country, p.search_key)], p.postcode))
    return found[:limit]


def postcode_count() -> int:
    return Postcode.objects.count()


def postcodes_within(*, latitude: float, longitude: float, half_km: float) -> list[Postcode]:
    """Postcodes in the square of ±`half_km` around the point (for maps; at most 3,000)."""
    lat_range, lon_range = bounding_box(latitude, longitude, half_km)
    return list(
        Postcode.objects.filter(latitude__range=lat_range, longitude__range=lon_range).only(
            "locality", "latitude", "longitude"
        )[:3000]
    )
