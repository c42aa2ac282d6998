"""Reads of the postcode table (autocomplete)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Postcode


def postcode_search(
    *, query: str, country: str | None = None, limit: int = 10
) -> QuerySet[Postcode]:
    """Postcodes starting with `query`, or localities starting with it."""
    query = query.strip()
    rows = Postcode.objects.all()
    if country:
        rows = rows.filter(country=country.upper())
    if query.isdigit():
        rows = rows.filter(postcode__startswith=query)
    else:
        rows = rows.filter(Q(locality__istartswith=query))
    return rows.order_by("postcode")[:limit]


def postcode_count() -> int:
    return Postcode.objects.count()
