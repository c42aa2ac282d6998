"""A prototype of the engine changes this benchmark proposes, measured next to the engine.

Not production code: it lives here so the proposal comes with figures and with the same
top-10 check against brute force. It reuses the engine's scoring (`score_row`, `rank_key`,
`AvailabilityCheck.weekly_ok`) and changes how rows are found:

1. A stored `quality` column (the distance-free part of the score without the partner bonus:
   rating + reliability + response + exploration, weighted), filled by the index refresh, and
   the skill's real best quality and largest radius as index seeks (cached for a minute).
   The engine bounds unread helpers by the *theoretical* best quality (0.63); nobody reaches
   it, so its ring scan rarely stops before 100 km.
2. Two statements instead of up to 14 plus ORM queries: a probe (the best-quality helpers of
   the nearest fine cells, `ORDER BY quality DESC LIMIT 80`, widened once if too few are
   free) gives a 10th score; then one statement reads every row that can still beat it:
   cells are grouped by a lower bound of their distance (centre distance minus circumradius),
   and a group only yields helpers whose own radius reaches that far and whose quality can
   make up for the distance. The beyond-reach distance comes from ranking.distance_for_score.
3. Filters in SQL, plain arithmetic (same on SQLite and PostgreSQL), evaluated on covering
   indexes (skill, cell, quality/radius, latitude, longitude) before any table row is read:
   a lower bound `dd` of the squared distance (equirectangular with the cosine of the highest
   latitude in reach, never longer than haversine), the own radius (`radius_km^2 >= dd`) and
   the quality needed at that distance (a CASE over distance bands). Rows are then fetched by
   id, and scored exactly in Python.
4. Availability of the best candidates in one raw statement (absences UNION ALL live bookings,
   no ORDER BY) instead of `free_hours`' two ORM querysets, whose compilation (and the models'
   default ordering) costs more than the whole scan; same rule as `free_hours`.

Statement texts are constant (prepared once, then cached): cells and their thresholds travel
as one JSON parameter (SQLite's json_each) or three arrays (PostgreSQL's unnest). Compiling a
fresh 20 KB statement per request cost SQLite more than running it.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import h3
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quartier.geo.distance import haversine_km
from quartier.matching import engine
from quartier.matching.ranking import distance_for_score, distance_score, ranking_params

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
BANDS_KM = [0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80]
PROBE_K, PROBE_ROWS = (2, 6), 80
FINE_RINGS = 6
DISTANCE_STEPS_KM = [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 65, 80, 100]
_stats: dict[int, tuple[float, float, int]] = {}  # skill -> (expires, best quality, max radius)
HOUR = timedelta(hours=1)
#: What the proposed migration adds (the first two could replace match_skill_fine/_coarse).
INDEXES = {
    "match_skill_fine_quality": "skill_id, cell_fine, quality, radius_km, latitude, longitude",
    "match_skill_coarse_radius": "skill_id, cell_coarse, radius_km, quality, latitude, longitude",
    "match_skill_quality": "skill_id, quality",
    "match_skill_radius": "skill_id, radius_km",
}
BUSY_SQL = (
    "SELECT helper_id, starts_at, ends_at FROM bookings_availabilityexception"
    " WHERE helper_id IN ({ids}) AND starts_at < %s AND ends_at > %s"
    " UNION ALL SELECT helper_id, starts_at, ends_at FROM bookings_booking"
    " WHERE helper_id IN ({ids}) AND cancelled_at IS NULL AND starts_at < %s AND ends_at > %s"
)


def _aware(value: datetime | str) -> datetime:
    """SQLite hands back naive UTC datetimes (or text in a UNION); PostgreSQL aware ones."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert moment is not None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Availability(engine.AvailabilityCheck):
    """engine.AvailabilityCheck with one raw statement per chunk instead of `free_hours`."""

    def __init__(self, window_start: datetime | None, window_end: datetime | None) -> None:
        super().__init__(window_start, window_end)
        self.hours: list[tuple[datetime, int]] = []
        if self.window:
            start, end = self.window[0].astimezone(UTC), self.window[1]
            hour = start.replace(minute=0, second=0, microsecond=0)
            hour += HOUR if hour < start else timedelta(0)
            while hour + HOUR <= min(end, start + timedelta(days=60)):
                local = timezone.localtime(hour)
                self.hours.append((hour, local.weekday() * 24 + local.hour))
                hour += HOUR

    def _busy(self, ids: list[int]) -> dict[int, list[tuple[datetime, datetime]]]:
        first, last = self.hours[0][0], self.hours[-1][0] + HOUR
        bounds = [connection.ops.adapt_datetimefield_value(t) for t in (last, first)]
        marks = ",".join(["%s"] * len(ids))
        busy: dict[int, list[tuple[datetime, datetime]]] = {}
        with connection.cursor() as cursor:
            cursor.execute(BUSY_SQL.format(ids=marks), [*ids, *bounds, *ids, *bounds])
            for helper_id, starts_at, ends_at in cursor.fetchall():
                busy.setdefault(helper_id, []).append((_aware(starts_at), _aware(ends_at)))
        return busy

    def confirm(self, pool: list[engine.Candidate], limit: int) -> list[engine.Candidate]:
        if self.window is None:
            return pool[:limit]
        confirmed: list[engine.Candidate] = []
        for start in range(0, len(pool), 2 * limit):
            chunk = pool[start : start + 2 * limit]
            unknown = [c for c in chunk if c.helper_id not in self.free]
            if unknown and self.hours:
                busy = self._busy([c.helper_id for c in unknown])
                for c in unknown:
                    blocks = busy.get(c.helper_id, [])
                    self.free[c.helper_id] = any(
                        (c.weekly_hours is None or c.weekly_hours >> bit & 1)
                        and not any(s < hour + HOUR and e > hour for s, e in blocks)
                        for hour, bit in self.hours
                    )
            for c in unknown:
                self.free.setdefault(c.helper_id, False)
            confirmed += [c for c in chunk if self.free[c.helper_id]]
            if len(confirmed) >= limit:
                break
        return confirmed[:limit]


def quality_sql(vendor: str, params: dict[str, float]) -> str:
    low, high = ("MAX", "MIN") if vendor == "sqlite" else ("GREATEST", "LEAST")
    return (
        f"{params['w_rating']} * {high}(1.0, {low}(0.0, (rating_mean - 1.0) / 4.0))"
        f" + {params['w_reliability']} * reliability"
        f" + {params['w_response']} * COALESCE(1.0 / (1.0 + response_minutes / 60.0), 0.5)"
        f" + {params['w_exploration']}"
        f" * {low}(0.0, 1.0 - completed_jobs / {params['exploration_jobs']})"
    )


def add_quality_column() -> float:
    """What the proposed migration + reindex would do; returns the seconds it took."""
    started = time.perf_counter()
    real = "REAL" if connection.vendor == "sqlite" else "double precision"
    expression = quality_sql(connection.vendor, ranking_params())
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE matching_matchindex ADD COLUMN quality {real}")
        cursor.execute(f"UPDATE matching_matchindex SET quality = {expression}")
        for name, columns in INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON matching_matchindex ({columns})")
        cursor.execute("ANALYZE matching_matchindex")
    return time.perf_counter() - started


def _skill_stats(skill_id: int) -> tuple[float, int]:
    cached = _stats.get(skill_id)
    if cached and cached[0] > time.monotonic():
        return cached[1], cached[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(quality) FROM matching_matchindex WHERE skill_id = %s", [skill_id]
        )
        best = cursor.fetchone()[0]
        cursor.execute(
            "SELECT MAX(radius_km) FROM matching_matchindex WHERE skill_id = %s", [skill_id]
        )
        radius = cursor.fetchone()[0]
    best, radius = (best or 0.0) + 1e-9, radius or 0
    _stats[skill_id] = (time.monotonic() + 60, best, radius)
    return best, radius


_DD = (
    "((m.latitude - %(lat)s) * (m.latitude - %(lat)s) * %(klat2)s"
    " + (m.longitude - %(lon)s) * (m.longitude - %(lon)s) * %(klon2)s)"
)
_COVERS = f"m.radius_km * m.radius_km >= {_DD} AND {_DD} <= %(reach2)s"
_ROWS = f"SELECT {engine._COLUMNS} FROM matching_matchindex WHERE id IN ({{ids}})"
# Constant statement texts (prepared once, then cached by the driver / SQLite): the cells and
# their thresholds travel as one JSON (SQLite) or three array (PostgreSQL) parameters.
PROBE_SQL = {
    "sqlite": _ROWS.format(
        ids="SELECT m.id FROM matching_matchindex m WHERE m.skill_id = %(skill)s"
        " AND m.cell_fine IN (SELECT value FROM json_each(%(cells)s))"
        f" AND {_COVERS} ORDER BY m.quality DESC LIMIT %(limit)s"
    ),
    "postgresql": _ROWS.format(
        ids="SELECT m.id FROM matching_matchindex m WHERE m.skill_id = %(skill)s"
        " AND m.cell_fine = ANY(%(cells)s::bigint[])"
        f" AND {_COVERS} ORDER BY m.quality DESC LIMIT %(limit)s"
    ),
}


def _sweep_sql(vendor: str) -> str:
    parts = []
    for column in ("cell_fine", "cell_coarse"):
        name = f"{column}s"
        if vendor == "sqlite":
            source = f"json_each(%({name})s) g"
            cell, radius, quality = (f"json_extract(g.value, '$[{i}]')" for i in range(3))
        else:
            source = (
                f"unnest(%({name}_cell)s::bigint[], %({name}_radius)s::int[],"
                f" %({name}_quality)s::float8[]) g(cell, radius, quality)"
            )
            cell, radius, quality = "g.cell", "g.radius", "g.quality"
        parts.append(
            f"SELECT m.id FROM {source} JOIN matching_matchindex m ON m.skill_id = %(skill)s"
            f" AND m.{column} = {cell} AND m.radius_km >= {radius} AND m.quality >= {quality}"
            f" WHERE {_COVERS}"
        )
    return _ROWS.format(ids=" UNION ALL ".join(parts))


SWEEP_SQL = {vendor: _sweep_sql(vendor) for vendor in ("sqlite", "postgresql")}


class _Scan:
    """The parameters of one request: a lower bound `dd` of each row's squared distance, and
    per cell the own radius and the quality a helper there needs to still matter."""

    def __init__(
        self, query: engine.MatchQuery, reach_km: float, need: list[tuple[float, float]] | None
    ) -> None:
        self.query, self.reach, self.need = query, reach_km, need
        self.edges = [edge for edge, _ in need or []]
        # Equirectangular with the cosine of the highest latitude in reach (+0.01 degrees for
        # a great circle's poleward bulge): never longer than the haversine distance.
        top = abs(query.latitude) + reach_km / KM_PER_DEGREE + 0.01
        k_lat = KM_PER_DEGREE * (1 - 1e-9)
        k_lon = KM_PER_DEGREE * math.cos(math.radians(min(89.0, top))) * (1 - 1e-9)
        self.params: dict[str, Any] = {
            "lat": query.latitude,
            "lon": query.longitude,
            "klat2": k_lat * k_lat,
            "klon2": k_lon * k_lon,
            "reach2": reach_km * reach_km,
            "skill": query.skill_id,
        }

    def needed_at(self, km: float) -> float:
        """The quality a helper at least `km` away needs (-1: no 10th score known yet)."""
        if not self.need:
            return -1.0
        # need is ordered by distance, its quality falling: the last edge at or below km.
        return self.need[max(0, bisect.bisect_right(self.edges, km + 1e-9) - 1)][1]

    def probe(self, cells: list[int], limit: int) -> tuple[str, dict[str, Any]]:
        """The best `limit` helpers by quality in `cells` whose own radius may cover."""
        vendor = connection.vendor
        listed: Any = json.dumps(cells) if vendor == "sqlite" else cells
        return PROBE_SQL[vendor], self.params | {"cells": listed, "limit": limit}

    def sweep(self) -> tuple[str, dict[str, Any]]:
        """Every row that can still matter: per cell, a lower bound of its distance (centre
        distance minus circumradius) sets the own radius and quality a helper there needs.
        Fine cells up to ~8 km, coarse cells beyond (fine-disk rows met again are skipped)."""
        lat, lon, reach = self.query.latitude, self.query.longitude, self.reach
        fine_k = next(
            (
                k
                for k in range(FINE_RINGS + 1)
                if engine.covered_within(engine.FINE_RES, k) >= reach
            ),
            FINE_RINGS,
        )
        fine_km = engine.covered_within(engine.FINE_RES, fine_k)
        disks = {"cell_fines": (engine.FINE_RES, fine_k, 0.0), "cell_coarses": None}
        if fine_km < reach:
            coarse_k = next(
                k for k in range(14) if engine.covered_within(engine.COARSE_RES, k) >= reach
            )
            disks["cell_coarses"] = (engine.COARSE_RES, coarse_k, fine_km)
        values: dict[str, Any] = {}
        for name, disk in disks.items():
            groups: list[tuple[int, int, float]] = []
            if disk is not None:
                res, k, floor_km = disk
                for cell in h3.grid_disk(h3.latlng_to_cell(lat, lon, res), k):
                    c_lat, c_lon, c_radius = _cell_geometry(cell)
                    near = max(haversine_km(lat, lon, c_lat, c_lon) - c_radius, floor_km, 0.0)
                    if near <= reach:
                        groups.append(
                            (h3.str_to_int(cell), math.ceil(near - 1e-9), self.needed_at(near))
                        )
            if connection.vendor == "sqlite":
                values[name] = json.dumps(groups)
            else:
                values[f"{name}_cell"] = [g[0] for g in groups]
                values[f"{name}_radius"] = [g[1] for g in groups]
                values[f"{name}_quality"] = [g[2] for g in groups]
        return SWEEP_SQL[connection.vendor], self.params | values


@functools.lru_cache(maxsize=200_000)
def _cell_geometry(cell: str) -> tuple[float, float, float]:
    """A cell's centre and (a little more than) the distance to its farthest vertex: every
    point of the cell is within it (process-wide cache: cells never change)."""
    lat, lon = h3.cell_to_latlng(cell)
    far = max(haversine_km(lat, lon, v_lat, v_lon) for v_lat, v_lon in h3.cell_to_boundary(cell))
    return lat, lon, far * 1.01 + 0.01


def _fetch(statement: tuple[str, dict[str, Any]]) -> list[engine.Row]:
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[engine.Row] = cursor.fetchall()
    return rows


def rank(query: engine.MatchQuery) -> list[engine.Candidate]:
    """Same answer as engine.rank (checked against brute force by the benchmark)."""
    params = ranking_params()
    partner = query.qualified_helper_ids is not None
    program = params["w_program"] if partner else 0.0
    available = Availability(query.window_start, query.window_end)
    cap = settings.QUARTIER_MAX_OPEN_INVITATIONS
    excluded = set(query.exclude_helper_ids)
    qualified = set(query.qualified_helper_ids) if query.qualified_helper_ids is not None else None
    best_quality, max_radius = _skill_stats(query.skill_id)
    reach = float(min(max_radius, settings.QUARTIER_MAX_SERVICE_RADIUS_KM))
    seen: set[int] = set()
    pool: list[engine.Candidate] = []

    def take(rows: list[engine.Row]) -> list[engine.Candidate]:
        for row in rows:
            helper_id = row[0]
            if helper_id in seen or helper_id in excluded or row[10] >= cap:
                continue
            if qualified is not None and helper_id not in qualified:
                continue
            seen.add(helper_id)
            candidate = engine.score_row(row, query, params)
            if candidate is not None and available.weekly_ok(candidate):
                pool.append(candidate)
        pool.sort(key=engine.rank_key)
        return available.confirm(pool, query.limit)

    # 1. Probe: the best-quality helpers of the nearest fine cells give a 10th score; where
    #    they are too few (countryside, a night-time window), a wider disk of fine cells.
    fine = h3.latlng_to_cell(query.latitude, query.longitude, engine.FINE_RES)
    for k in PROBE_K:
        cells = [h3.str_to_int(c) for c in h3.grid_disk(fine, k)]
        confirmed = take(_fetch(_Scan(query, reach, None).probe(cells, PROBE_ROWS)))
        if len(confirmed) >= query.limit:
            break
    need = None
    if len(confirmed) >= query.limit:
        # Any helper scoring below this rounds below the 10th and ranks after it.
        threshold = round(confirmed[query.limit - 1].score, 3) - 0.0005 - 1e-9
        reach = min(reach, distance_for_score(threshold - best_quality - program, params) + 1e-6)
        need = [
            (edge, threshold - program - params["w_distance"] * distance_score(edge, params) - 1e-9)
            for edge in [0.0, *[b for b in BANDS_KM if b < reach]]
        ]
    # 2. Everything else that can still beat it, one statement of per-ring range scans.
    confirmed = take(_fetch(_Scan(query, reach, need).sweep()))
    return confirmed[: query.limit]
