"""A helper's service area as a small map drawn on the server (SVG, no tiles, no network):
the home, the radius as a circle, every postcode around it as a dot, larger places named.

The view is a local flat projection around the home (equirectangular scaled by the cosine of
the latitude), exact enough at the scale of a service radius.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from quartier.geo.distance import KM_PER_DEGREE
from quartier.geo.selectors import postcodes_within

SIZE = 320  # px, square
LABELS = 6
LABEL_GAP = 48  # px between named places, so that names do not overlap


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    inside: bool


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class AreaMap:
    size: int
    centre: float
    radius_px: float
    radius_km: int
    home: str
    dots: list[Point]
    labels: list[Label]
    places_inside: int


def area_map(*, latitude: float, longitude: float, radius_km: int, home: str) -> AreaMap:
    half_km = radius_km * 1.25  # some country around the circle
    scale = (SIZE / 2) / half_km  # px per km
    cos_lat = math.cos(math.radians(latitude))
    dots: list[Point] = []
    by_place: defaultdict[str, list[Point]] = defaultdict(list)
    for postcode in postcodes_within(latitude=latitude, longitude=longitude, half_km=half_km):
        dx = (postcode.longitude - longitude) * cos_lat * KM_PER_DEGREE
        dy = (postcode.latitude - latitude) * KM_PER_DEGREE
        if max(abs(dx), abs(dy)) > half_km:
            continue
        dot = Point(SIZE / 2 + dx * scale, SIZE / 2 - dy * scale, math.hypot(dx, dy) <= radius_km)
        dots.append(dot)
        by_place[postcode.locality].append(dot)
    return AreaMap(
        size=SIZE,
        centre=SIZE / 2,
        radius_px=radius_km * scale,
        radius_km=radius_km,
        home=home,
        dots=dots,
        labels=_labels(by_place, home),
        places_inside=sum(any(d.inside for d in points) for points in by_place.values()),
    )


def _labels(by_place: dict[str, list[Point]], home: str) -> list[Label]:
    """Name the places inside with the most postcodes first (farther ones first among equals:
    they show the reach), skipping any too close to a name already placed or to the home."""
    centre = SIZE / 2
    candidates = []
    for name, points in by_place.items():
        inside = [p for p in points if p.inside]
        if name == home or not inside:
            continue
        x = sum(p.x for p in inside) / len(inside)
        y = sum(p.y for p in inside) / len(inside)
        candidates.append((len(points), math.hypot(x - centre, y - centre), Label(x, y, name)))
    placed: list[Label] = []
    for _size, _reach, label in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2].text)):
        if all(math.hypot(label.x - o.x, label.y - o.y) >= LABEL_GAP for o in placed) and (
            math.hypot(label.x - centre, label.y - centre) >= LABEL_GAP
        ):
            placed.append(label)
        if len(placed) == LABELS:
            break
    return placed
