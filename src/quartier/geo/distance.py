"""Great-circle distance and h3 cells."""

from __future__ import annotations

import math

import h3
from django.conf import settings

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def h3_cell(latitude: float, longitude: float, resolution: int | None = None) -> int:
    """The h3 cell as a (signed-safe) 64-bit integer: h3 indexes never set the top bit."""
    res = settings.QUARTIER_H3_RESOLUTION if resolution is None else resolution
    return int(h3.str_to_int(h3.latlng_to_cell(latitude, longitude, res)))


def approximate_km(distance_km: float) -> float:
    """Distance shown before booking: rounded to 0.5 km (at least 0.5) so it hides the address."""
    return max(0.5, round(distance_km * 2) / 2)


KM_PER_DEGREE = 111.32  # of latitude (and of longitude at the equator)


def bounding_box(
    latitude: float, longitude: float, half_km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(latitude range, longitude range) of the square ±`half_km` around the point: a cheap,
    index-friendly prefilter before the exact haversine distance."""
    dlat = half_km / KM_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    return (latitude - dlat, latitude + dlat), (longitude - dlon, longitude + dlon)
