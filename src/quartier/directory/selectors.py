"""Search the public directory: words, skill, distance, rating and price.

Words are matched in the database's own full-text index (every word, as a prefix: "zur tv"
finds a TV helper in Zürich); filters narrow in SQL; distance is exact (haversine) on what
remains, inside a bounding box the index on (country, latitude, longitude) can serve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from quartier.catalog.models import Skill
from quartier.catalog.selectors import skill_prices
from quartier.geo.distance import bounding_box, haversine_km
from quartier.geo.gazetteer_names import exact_key
from quartier.matching.ranking import bayesian_mean, ranking_params

from .models import Listing

Sort = Literal["relevance", "rating", "distance", "price"]
MAX_RESULTS = 200


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    within_km: float


@dataclass(frozen=True)
class Hit:
    listing: Listing
    distance_km: float | None
    #: The rate shown: the searched skill's own rate where the helper set one.
    hourly_rate_minor: int = 0
    fixed_price_minor: int | None = None  # the searched skill's fixed price, if any


def _words(query: str) -> list[str]:
    return exact_key(query).split()[:8]


def _matching(rows: QuerySet[Listing], words: list[str]) -> QuerySet[Listing]:
    """Listings containing every word as a prefix. Words are folded [a-z0-9] tokens, so they
    are safe inside the full-text query syntax."""
    if connection.vendor == "sqlite":
        sql = "SELECT rowid FROM directory_fts WHERE directory_fts MATCH %s"
        match = " ".join(f'"{word}"*' for word in words)
    else:
        sql = (
            "SELECT id FROM directory_listing "
            "WHERE to_tsvector('simple', document) @@ to_tsquery('simple', %s)"
        )
        match = " & ".join(f"{word}:*" for word in words)
    return rows.filter(id__in=RawSQL(sql, [match]))


def listing_search(
    *,
    query: str = "",
    skill: str | None = None,
    near: Near | None = None,
    min_rating: float | None = None,
    max_rate_minor: int | None = None,
    sort: Sort = "relevance",
    limit: int = 20,
) -> list[Hit]:
    """Listings matching every filter given, best first by `sort` (relevance = rating with
    its review count, then distance)."""
    rows = Listing.objects.select_related("helper")
    if words := _words(query):
        rows = _matching(rows, words)
    if skill:
        rows = rows.filter(skills__contains=f" {skill} ")
    if min_rating is not None:
        rows = rows.filter(rating_average__gte=min_rating)
    if max_rate_minor is not None and not skill:  # with a skill: its own rates, below
        rows = rows.filter(hourly_rate_minor__lte=max_rate_minor)
    if near is not None:
        lat_range, lon_range = bounding_box(near.latitude, near.longitude, near.within_km)
        rows = rows.filter(latitude__range=lat_range, longitude__range=lon_range)
    hits: list[Hit] = []
    for listing in rows.order_by("-rating_average", "-rating_count", "id")[: MAX_RESULTS * 5]:
        distance = None
        if near is not None:
            distance = haversine_km(
                near.latitude, near.longitude, listing.latitude, listing.longitude
            )
            if distance > near.within_km:
                continue
        hits.append(Hit(listing, distance, listing.hourly_rate_minor))
    if skill:
        hits = _priced_for_skill(hits, skill, max_rate_minor)
    hits.sort(key=_sort_key(sort))
    return hits[:limit]


def _priced_for_skill(hits: list[Hit], skill: str, max_rate_minor: int | None) -> list[Hit]:
    """The hits with the skill's prices (its own hourly rate, else the profile's), at most
    `max_rate_minor` an hour when given."""
    skill_id = Skill.objects.filter(slug=skill).values_list("pk", flat=True).first()
    if skill_id is None:
        return []
    prices = skill_prices(helper_ids=[h.listing.helper_id for h in hits], skill_id=skill_id)
    priced = []
    for hit in hits:
        price = prices.get(hit.listing.helper_id)
        rate = price.hourly_rate_minor if price else hit.hourly_rate_minor
        if max_rate_minor is not None and rate > max_rate_minor:
            continue
        fixed = price.fixed_price_minor if price else None
        priced.append(Hit(hit.listing, hit.distance_km, rate, fixed))
    return priced


def _sort_key(sort: Sort) -> Callable[[Hit], tuple[float, ...]]:
    if sort == "distance":
        return lambda h: (h.distance_km if h.distance_km is not None else 0, h.listing.id)
    if sort == "price":
        return lambda h: (h.hourly_rate_minor, h.listing.id)
    if sort == "rating":
        return lambda h: (-h.listing.rating_average, -h.listing.rating_count, h.listing.id)
    # relevance: the rating as the matcher's Bayesian average (one 5-star review does not
    # beat forty at 4.8), then nearer first
    params = ranking_params()
    return lambda h: (
        -bayesian_mean(
            h.listing.rating_average * h.listing.rating_count, h.listing.rating_count, params
        ),
        h.distance_km or 0,
        h.listing.id,
    )
