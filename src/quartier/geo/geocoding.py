"""The geocoder interface and the offline default.

`Geocoder` is what the rest of Quartier depends on; `OfflinePostcodeGeocoder` answers from
the imported postcode table. A production deployment may plug an online geocoder (for
street-level precision) behind the same interface via QUARTIER_GEOCODER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from quartier.errors import field_error

from .models import Country, Postcode

#: Each market's currency: prices in Switzerland are in CHF, in Germany in EUR.
CURRENCY_BY_COUNTRY: dict[str, str] = {Country.CH: "CHF", Country.DE: "EUR"}
POSTCODE_FORMAT = {Country.CH: re.compile(r"^\d{4}$"), Country.DE: re.compile(r"^\d{5}$")}


@dataclass(frozen=True)
class Location:
    country: str
    postcode: str
    locality: str
    region: str
    latitude: float
    longitude: float
    h3_cell: int


class Geocoder(Protocol):
    def locate_postcode(self, country: str, postcode: str) -> Location: ...


class OfflinePostcodeGeocoder:
    """Postcode-centroid precision: good enough for matching within a few hundred metres."""

    def locate_postcode(self, country: str, postcode: str) -> Location:
        country = (country or "").strip().upper()
        postcode = (postcode or "").strip()
        if country not in Country.values:
            raise field_error("country", "Country must be CH or DE.", code="unknown_country")
        if not POSTCODE_FORMAT[Country(country)].match(postcode):
            digits = 4 if country == Country.CH else 5
            raise field_error(
                "postcode", f"A {country} postcode has {digits} digits.", code="bad_postcode"
            )
        row = Postcode.objects.filter(country=country, postcode=postcode).first()
        if row is None:
            raise field_error(
                "postcode", f"Unknown postcode {country}-{postcode}.", code="unknown_postcode"
            )
        return Location(
            country=row.country,
            postcode=row.postcode,
            locality=row.locality,
            region=row.region,
            latitude=row.latitude,
            longitude=row.longitude,
            h3_cell=row.h3_cell,
        )


@cache
def _geocoder(path: str) -> Geocoder:
    geocoder: Geocoder = import_string(path)()
    return geocoder


def get_geocoder() -> Geocoder:
    return _geocoder(
        getattr(settings, "QUARTIER_GEOCODER", "quartier.geo.geocoding.OfflinePostcodeGeocoder")
    )


def locate_postcode(country: str, postcode: str) -> Location:
    return get_geocoder().locate_postcode(country, postcode)
