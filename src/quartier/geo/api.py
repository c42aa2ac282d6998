from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from .selectors import postcode_search

router = Router(tags=["geo"])


class PostcodeQuery(Schema):
    q: str = Field(min_length=1, max_length=50, description="Postcode prefix or locality start.")
    country: Literal["CH", "DE"] | None = None


class PostcodeOut(Schema):
    country: str
    postcode: str
    locality: str
    region: str


@router.get("/postcodes", response=list[PostcodeOut], auth=None)
def postcodes(request: HttpRequest, filters: Query[PostcodeQuery]) -> list[PostcodeOut]:
    """Postcode autocomplete for Switzerland and Germany."""
    return [
        PostcodeOut(country=p.country, postcode=p.postcode, locality=p.locality, region=p.region)
        for p in postcode_search(query=filters.q, country=filters.country)
    ]
