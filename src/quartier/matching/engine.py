"""Candidate generation and ranking: the best nearby helpers for one skill at one place.

The scan goes nearest-first over the h3 cells of helpers' homes (see models.MatchIndex):
fine rings (resolution 7) up to ~8 km, then coarse rings (resolution 5, excluding the fine
cells already read) up to the largest service radius. After each batch of rings it knows a
distance G within which every helper has been read; no unread helper can score more than
`w_distance · distance_score(G) + best static quality of the skill`. Once `limit` available
candidates beat that bound, the answer is final: it equals ranking every helper in the
country (the brute-force oracle in the tests and the benchmark checks exactly this).

The hot query is raw SQL on purpose: one indexed range scan per batch with no model
instantiation, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import h3
from django.conf import settings
from django.db import connection
from django.utils import timezone

from quartier.bookings.availability import free_hours
from quartier.geo.distance import haversine_km

from .ranking import (
    ScoreParts,
    distance_score,
    max_static_quality,
    ranking_params,
    static_quality,
)

FINE_RES, COARSE_RES = 7, 5
# Ring batches, in grid distance k: disks are read ring by ring, nearest first.
FINE_BATCHES = [(0, 2), (3, 4), (5, 6)]
COARSE_RINGS = range(0, 12)
# Cells sit within one edge of their centre and h3 edges vary a little in size over Europe:
# a safety factor keeps the "everything within G has been read" promise conservative.
_SAFETY = 0.85
_EDGE_KM = {res: h3.average_hexagon_edge_length(res, "km") for res in (FINE_RES, COARSE_RES)}

#: One match-index row as the hot query returns it (see _COLUMNS).
Row = tuple[Any, ...]
_COLUMNS = (
    "helper_id, latitude, longitude, radius_km, rating_mean, review_count, completed_jobs,"
    " reliability, response_minutes, weekly_hours, open_invitations"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    helper_id: int
    distance_km: float
    radius_km: int
    rating_mean: float
    review_count: int
    completed_jobs: int
    reliability: float
    response_minutes: float | None
    weekly_hours: int | None
    parts: ScoreParts
    tie_break: int = field(compare=False)

    @property
    def score(self) -> float:
        return self.parts.total


@dataclass(frozen=True)
class MatchQuery:
    skill_id: int
    latitude: float
    longitude: float
    window_start: datetime | None = None
    window_end: datetime | None = None
    limit: int = 10
    exclude_helper_ids: Collection[int] = ()
    qualified_helper_ids: Collection[int] | None = None  # partner programs: only these
    seed: int = 0  # varies the order among equal scores from one request to the next


class AvailabilityCheck:
    """Is a candidate free in the request's window? Weekly hours first (from the index row,
    free), then holidays and existing bookings for the best candidates only (two queries)."""

    def __init__(self, window_start: datetime | None, window_end: datetime | None) -> None:
        self.window = (window_start, window_end) if window_start and window_end else None
        self.mask = weekly_mask(window_start, window_end) if self.window else 0
        self.free: dict[int, bool] = {}

    def weekly_ok(self, candidate: Candidate) -> bool:
        return (
            self.window is None
            or candidate.weekly_hours is None
            or bool(candidate.weekly_hours & self.mask)
        )

    def confirm(self, pool: list[Candidate], limit: int) -> list[Candidate]:
        """The first `limit` candidates of `pool` (ranked) with a free hour in the window."""
        if self.window is None:
            return pool[:limit]
        confirmed: list[Candidate] = []
        for start in range(0, len(pool), 2 * limit):
            chunk = pool[start : start + 2 * limit]
            unknown = {c.helper_id: c.weekly_hours for c in chunk if c.helper_id not in self.free}
            if unknown:
                hours = free_hours(
                    helpers=unknown, window_start=self.window[0], window_end=self.window[1]
                )
                for helper_id in unknown:
                    self.free[helper_id] = hours.get(helper_id, 0) >= 1
            confirmed += [c for c in chunk if self.free[c.helper_id]]
            if len(confirmed) >= limit:
                break
        return confirmed[:limit]


def weekly_mask(window_start: datetime | None, window_end: datetime | None) -> int:
    """Bits (weekday·24 + local hour) of every hour the window touches, one week at most."""
    if not window_start or not window_end:
        return 0
    mask, hour = 0, window_start.replace(minute=0, second=0, microsecond=0)
    end = min(window_end, window_start + timedelta(days=7, hours=1))
    while hour < end:
        local = timezone.localtime(hour)
        mask |= 1 << (local.weekday() * 24 + local.hour)
        hour += timedelta(hours=1)
    return mask


def bounding_box(latitude: float, longitude: float, km: float) -> dict[str, float]:
    """Latitude/longitude bounds (ORM lookups) of a square around a point, for coarse filters."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(0.01, math.cos(math.radians(latitude))))
    return {
        "latitude__gte": latitude - dlat,
        "latitude__lte": latitude + dlat,
        "longitude__gte": longitude - dlon,
        "longitude__lte": longitude + dlon,
    }


def covered_within(res: int, k: int) -> float:
    """Every home within this many km of the query point lies in the grid disk of radius k."""
    return max(0.0, _SAFETY * (1.5 * k - 2) * float(_EDGE_KM[res]))


def _ring(cell: str, k: int) -> list[int]:
    return [h3.str_to_int(c) for c in (h3.grid_ring(cell, k) if k else [cell])]


def _fetch(column: str, skill_id: int, cells: list[int], exclude_fine: list[int]) -> list[Row]:
    marks = ",".join(["%s"] * len(cells))
    sql = (
        f"SELECT {_COLUMNS} FROM matching_matchindex WHERE skill_id = %s AND {column} IN ({marks})"
    )
    params: list[int] = [skill_id, *cells]
    if exclude_fine:
        sql += f" AND cell_fine NOT IN ({','.join(['%s'] * len(exclude_fine))})"
        params += exclude_fine
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[Row] = cursor.fetchall()
        return rows


def _batches(query: MatchQuery) -> Iterator[tuple[list[Row], float]]:
    """Rows ring batch by ring batch, each with the distance G now fully covered."""
    fine = h3.latlng_to_cell(query.latitude, query.longitude, FINE_RES)
    fine_read: list[int] = []
    for first, last in FINE_BATCHES:
        cells = [c for k in range(first, last + 1) for c in _ring(fine, k)]
        fine_read += cells
        yield _fetch("cell_fine", query.skill_id, cells, []), covered_within(FINE_RES, last)
    coarse = h3.latlng_to_cell(query.latitude, query.longitude, COARSE_RES)
    fine_reach = covered_within(FINE_RES, FINE_BATCHES[-1][1])
    for k in COARSE_RINGS:
        rows = _fetch("cell_coarse", query.skill_id, _ring(coarse, k), fine_read)
        yield rows, max(fine_reach, covered_within(COARSE_RES, k))


def score_row(row: Row, query: MatchQuery, params: dict[str, float]) -> Candidate | None:
    """Score one index row, or None when the helper's own radius does not reach the request."""
    (helper_id, lat, lon, radius, rating_mean, reviews, jobs, kept, response, weekly, _) = row
    distance = haversine_km(query.latitude, query.longitude, lat, lon)
    if distance > radius:
        return None
    d = params["w_distance"] * distance_score(distance, params)
    rating, rel, resp, program, explore = static_quality(
        rating_mean=rating_mean,
        reliability_share=kept,
        response_minutes=response,
        completed_jobs=jobs,
        program_qualified=query.qualified_helper_ids is not None,
        params=params,
    )
    parts = ScoreParts(
        d, rating, rel, resp, program, explore, d + rating + rel + resp + program + explore
    )
    return Candidate(
        helper_id=helper_id,
        distance_km=distance,
        radius_km=radius,
        rating_mean=rating_mean,
        review_count=reviews,
        completed_jobs=jobs,
        reliability=kept,
        response_minutes=response,
        weekly_hours=int(weekly, 16) if weekly else None,
        parts=parts,
        # Integer hashing is not randomised per process, so the order is reproducible.
        tie_break=hash((query.seed, helper_id)),
    )


def rank_key(candidate: Candidate) -> tuple[float, int]:
    """Best first; equal scores (to 3 decimals) take turns, varying with the query's seed."""
    return (-round(candidate.score, 3), candidate.tie_break)


def rank(query: MatchQuery, available: AvailabilityCheck | None = None) -> list[Candidate]:
    """The top `query.limit` helpers for `query`, best first, each available in the window."""
    available = available or AvailabilityCheck(query.window_start, query.window_end)
    params = ranking_params()
    cap = settings.QUARTIER_MAX_OPEN_INVITATIONS
    quality_bound = max_static_quality(params, partner_case=query.qualified_helper_ids is not None)
    excluded = set(query.exclude_helper_ids)
    qualified = set(query.qualified_helper_ids) if query.qualified_helper_ids is not None else None
    seen: set[int] = set()
    pool: list[Candidate] = []
    confirmed: list[Candidate] = []
    for rows, covered_km in _batches(query):
        for row in rows:
            helper_id, open_invitations = row[0], row[10]
            if helper_id in seen or helper_id in excluded or open_invitations >= cap:
                continue
            if qualified is not None and helper_id not in qualified:
                continue
            seen.add(helper_id)
            candidate = score_row(row, query, params)
            if candidate is not None and available.weekly_ok(candidate):
                pool.append(candidate)
        bound = params["w_distance"] * distance_score(covered_km, params) + quality_bound
        reach_done = covered_km >= settings.QUARTIER_MAX_SERVICE_RADIUS_KM
        pool.sort(key=rank_key)
        confirmed = available.confirm(pool, query.limit)
        if reach_done or (
            len(confirmed) >= query.limit
            # Ranking compares scores rounded to 3 decimals (then takes turns), so an unread
            # helper that would tie after rounding could still take the last place.
            and round(confirmed[query.limit - 1].score, 3) > round(bound, 3)
        ):
            break
    return confirmed[: query.limit]
