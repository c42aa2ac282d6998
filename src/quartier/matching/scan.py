"""The match index's two reads for one request: a probe near the request, then a sweep.

Both are raw SQL with constant statement texts (prepared once, then cached by SQLite and the
driver): cells and their thresholds travel as one parameter (a JSON array read by SQLite's
json_each, or arrays bound to PostgreSQL's `= ANY` / `unnest`). Compiling a fresh statement
of a few hundred cells per request cost SQLite more than running it. The filters are plain
arithmetic, identical on both, and evaluated on the covering indexes (skill, cell, quality,
radius, latitude, longitude, then every other column the engine reads; see models.py), so
no table row is read at all:

* `dd`, a lower bound of the squared distance (equirectangular with the cosine of the highest
  latitude in reach, never longer than haversine), against the helper's own radius and the
  reach of the scan;
* per cell, the smallest integer radius and the quality a helper there needs to still matter,
  from a lower bound of the cell's distance (centre distance minus circumradius).

* per row, `UB`: an upper bound of the score (stored quality + the distance part at sqrt(dd)),
  the order rows come back in, and in the sweep a floor: the score to beat.

The rows that come out are flagged when the helper has an absence or a live booking in the
window (availability.busy_overlap_sql), and scored exactly in Python (engine.score_row) until
a row's bound falls below the score to beat.
"""

from __future__ import annotations

import functools
import json
import math
from datetime import datetime
from typing import Any

import h3.api.basic_int as h3i
import numpy as np
from django.db import connection

from quartier.bookings.availability import busy_overlap_params, busy_overlap_sql
from quartier.geo.distance import EARTH_RADIUS_KM

from .ranking import ranking_params

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
#: The h3 resolution of `cell_fine` (engine.FINE_RES), which the probe reads.
FINE_RES = 7
#: Distance bands (km) at which the sweep's needed quality steps down (a finer list is a
#: tighter filter and a longer parameter).
BANDS_KM = [0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80]
#: The columns of a match-index row as the engine scores it (engine.score_row unpacks them).
COLUMNS = (
    "helper_id, latitude, longitude, radius_km, rating_mean, review_count, completed_jobs,"
    " reliability, response_minutes, weekly_hours, open_invitations"
)
#: One match-index row as the scan returns it (see COLUMNS).
Row = tuple[Any, ...]
#: Where a row holds the bound of its score (see UB).
UB_AT = 12
#: A request's time window (start, end); either end may be open. Not Django's `Window`.
TimeWindow = tuple[datetime | None, datetime | None]

_DD = (
    "((m.latitude - %(lat)s) * (m.latitude - %(lat)s) * %(klat2)s"
    " + (m.longitude - %(lon)s) * (m.longitude - %(lon)s) * %(klon2)s)"
)
_COVERS = f"m.radius_km * m.radius_km >= {_DD} AND {_DD} <= %(reach2)s"
_BUSY = busy_overlap_sql("m.helper_id")
#: An upper bound of a row's score without the program part: its stored quality plus the
#: distance part at the lower bound sqrt(dd) of its distance. Rows come back in this order,
#: best first, so the engine stops reading at the first one that cannot reach the score to
#: beat (engine.rank) instead of scoring every row in Python.
UB = f"(m.quality + %(w_distance)s * power(0.5, sqrt({_DD}) / %(half_km)s))"
_M_COLUMNS = ", ".join(f"m.{name.strip()}" for name in COLUMNS.split(","))


def _rows(inner: str, vendor: str, extra: str = "") -> str:
    """Rows as the engine reads them: COLUMNS, then whether the helper has an absence or a
    live booking overlapping the request's window (then availability needs a closer look),
    then the bound of the score (`UB`, at UB_AT), best bound first. `inner` selects
    COLUMNS and `ub` straight from a covering index (no table row read, see models.py);
    the busy flag is worked out for the rows that come out of it only."""
    columns = ", ".join(f"p.{name.strip()}" for name in COLUMNS.split(","))
    busy = busy_overlap_sql("p.helper_id", per_row=vendor == "postgresql")
    return f"SELECT {columns}, {busy}, p.ub{extra} FROM ({inner}) p ORDER BY p.ub DESC"


_BOUNDS = (
    "(SELECT MAX(quality) FROM matching_matchindex WHERE skill_id = %(skill)s),"
    " (SELECT MAX(radius_km) FROM matching_matchindex WHERE skill_id = %(skill)s)"
)
_IN_LIST = {
    "sqlite": "IN (SELECT value FROM json_each(%({name})s))",
    "postgresql": "= ANY(%({name})s::text::bigint[])",
}
#: The skill's best quality and widest radius: one index seek each, so read every time
#: (a per-process cache could not see another process's index refresh).
BOUNDS_SQL = f"SELECT {_BOUNDS}"
#: The helpers of some fine cells with the best bound of their score (stored quality + the
#: distance part at their cell's nearest point) whose own radius may reach the request, each
#: row followed by the skill's bounds (saves a round trip; BOUNDS_SQL when no row comes back).
#: Ordering by quality alone let the best-rated helpers 3 km away set the score to beat in a
#: dense city, and the sweep then returned a thousand rows nearer the request.
_PROBE_SOURCE = {
    "sqlite": (
        "json_each(%(cells)s) g",
        "json_extract(g.value, '$[0]')",
        "json_extract(g.value, '$[1]')",
    ),
    "postgresql": (
        "unnest(%(cells_cell)s::text::bigint[], %(cells_radius)s::text::int[]) g(cell, radius)",
        "g.cell",
        "g.radius",
    ),
}
PROBE_SQL = {
    vendor: _rows(
        f"SELECT {_M_COLUMNS}, {UB} AS ub FROM {source}"
        f" JOIN matching_matchindex m ON m.skill_id = %(skill)s"
        f" AND m.cell_fine = {cell} AND m.radius_km >= {radius}"
        f" WHERE {_COVERS} ORDER BY ub DESC LIMIT %(limit)s",
        vendor,
        f", {_BOUNDS}",
    )
    for vendor, (source, cell, radius) in _PROBE_SOURCE.items()
}
#: Given helpers' rows for one skill (partner programs: only these helpers can match).
HELPERS_SQL = {
    vendor: f"SELECT {COLUMNS}, {_BUSY} FROM matching_matchindex m"
    f" WHERE skill_id = %(skill)s AND helper_id {in_list.format(name='helpers')}"
    for vendor, in_list in _IN_LIST.items()
}


#: Every row of a skill, with its quality (batch dispatch scores them all in numpy).
SKILL_SQL = f"SELECT {COLUMNS}, quality FROM matching_matchindex WHERE skill_id = %(skill)s"


def _sweep_sql(vendor: str) -> str:
    parts = []
    for column in ("cell_fine", "cell_coarse"):
        name = f"{column}s"
        if vendor == "sqlite":
            source = f"json_each(%({name})s) g"
            cell, radius, quality = (f"json_extract(g.value, '$[{i}]')" for i in range(3))
        else:
            source = (
                f"unnest(%({name}_cell)s::text::bigint[], %({name}_radius)s::text::int[],"
                f" %({name}_quality)s::text::float8[]) g(cell, radius, quality)"
            )
            cell, radius, quality = "g.cell", "g.radius", "g.quality"
        parts.append(
            f"SELECT {_M_COLUMNS}, {UB} AS ub FROM {source}"
            f" JOIN matching_matchindex m ON m.skill_id = %(skill)s AND m.{column} = {cell}"
            f" AND m.radius_km >= {radius} AND m.quality >= {quality}"
            f" WHERE {_COVERS} AND {UB} >= %(floor)s"
        )
    return _rows(" UNION ALL ".join(parts), vendor)


SWEEP_SQL = {vendor: _sweep_sql(vendor) for vendor in _IN_LIST}


def _vendor() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _id_list(ids: list[int], vendor: str | None = None) -> str:
    """Ids as one parameter: a JSON array (SQLite) or an array literal (PostgreSQL; one short
    string binds much faster than a list of numbers with psycopg's client-side binding)."""
    return json.dumps(ids) if (vendor or _vendor()) == "sqlite" else _pg_array(ids)


def _pg_array(values: list[Any]) -> str:
    return "{" + ",".join(map(repr, values)) + "}"


def fetch(sql: str, params: dict[str, Any], vendor: str | None = None) -> list[Row]:
    if (vendor or _vendor()) == "postgresql":
        return _fetch_prepared(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[Row] = cursor.fetchall()
    return rows


def _fetch_prepared(sql: str, params: dict[str, Any]) -> list[Row]:
    """PostgreSQL: a server-side prepared statement on Django's connection (same session and
    transaction). Django's cursors bind client-side, so every execution would be planned
    anew; planning the sweep took as long as running it. Bypasses Django's query logging."""
    import psycopg  # only with PostgreSQL

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's prepared statements off (None), and then prepare=True is
        # ignored too: every execution was parsed and planned (~0.3 ms a statement). A
        # threshold no count reaches prepares only the statements that ask for it.
        raw.prepare_threshold = 2**31 - 1
    with psycopg.Cursor(raw) as cursor:  # server-side binding
        cursor.execute(sql, params, prepare=True, binary=True)
        rows: list[Row] = cursor.fetchall()
    return rows


def skill_bounds(skill_id: int) -> tuple[float, int] | None:
    """The skill's best stored quality and widest radius; None when nobody offers it."""
    best, radius = fetch(BOUNDS_SQL, {"skill": skill_id})[0]
    return None if best is None else (float(best), int(radius))


def helper_rows(skill_id: int, helper_ids: list[int], window: TimeWindow) -> list[Row]:
    """The given helpers' rows of the skill (scan.COLUMNS, then the busy flag)."""
    params = {"skill": skill_id, "helpers": _id_list(helper_ids)} | busy_overlap_params(*window)
    return fetch(HELPERS_SQL[_vendor()], params)


def skill_rows(skill_id: int) -> list[Row]:
    """Every row of the skill: scan.COLUMNS, then quality."""
    return fetch(SKILL_SQL, {"skill": skill_id})


@functools.lru_cache(maxsize=50_000)
def grid_disk(cell: int, k: int) -> tuple[int, ...]:
    return tuple(h3i.grid_disk(cell, k))


@functools.lru_cache(maxsize=20_000)
def disk_geometry(cell: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The cells of a grid disk: ids, centres (radians) and (a little more than) the distance
    from each centre to its farthest vertex, so every point of a cell is within it. Cached per
    process, per disk and per cell (cells never change; neighbouring requests share most)."""
    cells = grid_disk(cell, k)
    missing = [c for c in cells if c not in _CELLS]
    if missing:
        _cells_add(missing)
    lat, lon, radius = np.array([_CELLS[c] for c in cells]).T
    return np.array(cells, dtype=np.int64), lat, lon, radius


#: Per cell: centre latitude and longitude (radians) and circumradius (km, with a margin).
_CELLS: dict[int, tuple[float, float, float]] = {}


def _cells_add(cells: list[int]) -> None:
    """Work out the geometry of `cells` in one go (a cold disk of 127 cells took 0.8 ms
    one cell at a time, a noticeable share of a request)."""
    if len(_CELLS) > 1_000_000:
        _CELLS.clear()
    centres = np.radians(np.array([h3i.cell_to_latlng(c) for c in cells]))
    boundaries = [h3i.cell_to_boundary(c) for c in cells]
    counts = np.array([len(b) for b in boundaries])
    vertices = np.radians(np.array([v for b in boundaries for v in b]))
    lat, lon = np.repeat(centres[:, 0], counts), np.repeat(centres[:, 1], counts)
    a = (
        np.sin((vertices[:, 0] - lat) / 2) ** 2
        + np.cos(lat) * np.cos(vertices[:, 0]) * np.sin((vertices[:, 1] - lon) / 2) ** 2
    )
    far = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    radius = np.maximum.reduceat(far, starts) * 1.01 + 0.01
    for c, (c_lat, c_lon), r in zip(cells, centres.tolist(), radius.tolist(), strict=True):
        _CELLS[c] = (c_lat, c_lon, r)


class Scan:
    """The parameters of one request: a lower bound `dd` of each row's squared distance, and
    per distance band the quality a helper there needs to still matter (`need`, falling with
    distance; None: no threshold known yet, every helper in reach matters)."""

    def __init__(
        self,
        skill_id: int,
        latitude: float,
        longitude: float,
        reach_km: float,
        window: TimeWindow,
        need: list[tuple[float, float]] | None = None,
        busy_params: dict[str, object] | None = None,
        weights: dict[str, float] | None = None,
    ) -> None:
        """`busy_params`: `busy_overlap_params(*window)` when already known (one per request);
        `weights`: `ranking_params()`, likewise."""
        self.latitude, self.longitude, self.reach, self.need = latitude, longitude, reach_km, need
        self.vendor = _vendor()
        weights = weights if weights is not None else ranking_params()
        self.edges = [edge for edge, _ in need or []]
        # Equirectangular with the cosine of the highest latitude in reach (+0.01 degrees for
        # a great circle's poleward bulge): never longer than the haversine distance.
        top = abs(latitude) + reach_km / KM_PER_DEGREE + 0.01
        k_lat = KM_PER_DEGREE * (1 - 1e-9)
        k_lon = KM_PER_DEGREE * math.cos(math.radians(min(89.0, top))) * (1 - 1e-9)
        self.params: dict[str, Any] = {
            "lat": latitude,
            "lon": longitude,
            "klat2": k_lat * k_lat,
            "klon2": k_lon * k_lon,
            "reach2": reach_km * reach_km,
            "skill": skill_id,
            "w_distance": weights["w_distance"],
            "half_km": weights["distance_half_km"],
        } | (busy_params if busy_params is not None else busy_overlap_params(*window))

    def needed(self, near: np.ndarray) -> np.ndarray:
        """The quality a helper at least `near` km away needs (-1: no threshold known yet)."""
        if not self.need:
            return np.full(len(near), -1.0)
        # need is ordered by distance, its quality falling: the last edge at or below near.
        edges = np.array([edge for edge, _ in self.need])
        quality = np.array([q for _, q in self.need])
        at = np.searchsorted(edges, near + 1e-9, side="right") - 1
        return quality[np.maximum(at, 0)]

    def probe(self, k: int, limit: int) -> tuple[list[Row], tuple[float, int] | None]:
        """The `limit` helpers of the fine disk of radius k around the request with the best
        bound of their score (`UB`) whose own radius may cover, best first, and the skill's
        bounds (best quality, widest radius; None when nobody offers the skill)."""
        centre = h3i.latlng_to_cell(self.latitude, self.longitude, FINE_RES)
        cells, near = self._cells(centre, k, 0.0)
        radius = np.ceil(near - 1e-9).astype(np.int64).tolist()
        if self.vendor == "sqlite":
            values: dict[str, Any] = {"cells": json.dumps(list(zip(cells, radius, strict=True)))}
        else:
            values = {"cells_cell": _pg_array(cells), "cells_radius": _pg_array(radius)}
        params = self.params | values | {"limit": limit}
        rows = fetch(PROBE_SQL[self.vendor], params, self.vendor)
        if not rows:
            return [], skill_bounds(self.params["skill"])
        best, widest = rows[0][UB_AT + 1 : UB_AT + 3]  # after the bound
        return rows, (float(best), int(widest))

    def _cells(self, centre: int, k: int, floor_km: float) -> tuple[list[int], np.ndarray]:
        """The cells of a grid disk within reach, and a lower bound of each one's distance
        (never below `floor_km`, the distance finer disks already cover)."""
        phi = math.radians(self.latitude)
        ids, lat, lon, c_radius = disk_geometry(centre, k)
        dphi, dlmb = lat - phi, lon - math.radians(self.longitude)
        a = np.sin(dphi / 2) ** 2 + math.cos(phi) * np.cos(lat) * np.sin(dlmb / 2) ** 2
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        near = np.maximum(distance - c_radius, max(floor_km, 0.0))
        keep = near <= self.reach
        return ids[keep].tolist(), near[keep]

    def sweep(self, disks: list[tuple[str, int, int, float]], floor: float) -> list[Row]:
        """Every row that can still matter, in the given grid disks
        [(column, resolution, k, km already covered by finer disks), ...], best bound first:
        per cell, a lower bound of its distance sets the own radius and quality a helper
        there needs; per row, the bound of its score (`UB`) must reach `floor`."""
        values: dict[str, Any] = {}
        sqlite = self.vendor == "sqlite"
        for column in ("cell_fine", "cell_coarse"):
            cells: list[int] = []
            radius: list[int] = []
            quality: list[float] = []
            for disk_column, res, k, floor_km in disks:
                if disk_column != column:
                    continue
                centre = h3i.latlng_to_cell(self.latitude, self.longitude, res)
                ids, near = self._cells(centre, k, floor_km)
                cells += ids
                radius += np.ceil(near - 1e-9).astype(np.int64).tolist()
                quality += self.needed(near).tolist()
            name = f"{column}s"
            if sqlite:
                values[name] = json.dumps(list(zip(cells, radius, quality, strict=True)))
            else:
                values[f"{name}_cell"] = _pg_array(cells)
                values[f"{name}_radius"] = _pg_array(radius)
                values[f"{name}_quality"] = _pg_array(quality)
        values["floor"] = max(floor, -1e300)
        return fetch(SWEEP_SQL[self.vendor], self.params | values, self.vendor)
