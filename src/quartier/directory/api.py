"""Directory API: search the public listings of helpers and pros (no log-in needed)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from quartier.geo.geocoding import locate_postcode

from .selectors import Near, listing_search

router = Router(tags=["directory"])


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="Words: a skill, a name, a place …")
    skill: str | None = Field(None, description="A skill slug, e.g. `furniture-assembly`.")
    country: Literal["CH", "DE"] | None = None
    postcode: str | None = Field(None, description="With `country`: search around it.")
    within_km: float = Field(25, gt=0, le=200)
    min_rating: float | None = Field(None, ge=1, le=5)
    max_rate_minor: int | None = Field(None, gt=0, description="Hourly rate at most.")
    sort: Literal["relevance", "rating", "distance", "price"] = "relevance"
    limit: int = Field(20, ge=1, le=100)


class ListingOut(Schema):
    helper_id: int
    name: str
    locality: str
    country: str
    distance_km: float | None
    hourly_rate_minor: int = Field(description="With `skill`: that skill's rate.")
    fixed_price_minor: int | None = Field(
        None, description="With `skill`: a fixed price for a standard job (bookable at once)."
    )
    currency: str
    rating_average: float
    rating_count: int
    skills: list[str]


@router.get("/helpers", response=list[ListingOut], auth=None)
def search(request: HttpRequest, filters: Query[SearchIn]) -> list[ListingOut]:
    """Find helpers by words (every word must appear, as a prefix; umlauts optional), skill,
    distance from a postcode, rating and hourly rate."""
    near = None
    if filters.postcode:
        place = locate_postcode(filters.country or "CH", filters.postcode)
        near = Near(place.latitude, place.longitude, filters.within_km)
    hits = listing_search(
        query=filters.q,
        skill=filters.skill,
        near=near,
        min_rating=filters.min_rating,
        max_rate_minor=filters.max_rate_minor,
        sort=filters.sort,
        limit=filters.limit,
    )
    return [
        ListingOut(
            helper_id=hit.listing.helper_id,
            name=hit.listing.helper.full_name,
            locality=hit.listing.locality,
            country=hit.listing.country,
            distance_km=round(hit.distance_km, 1) if hit.distance_km is not None else None,
            hourly_rate_minor=hit.hourly_rate_minor,
            fixed_price_minor=hit.fixed_price_minor,
            currency=hit.listing.currency,
            rating_average=hit.listing.rating_average,
            rating_count=hit.listing.rating_count,
            skills=hit.listing.skills.split(),
        )
        for hit in hits
    ]
