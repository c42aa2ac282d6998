"""The PostGIS way, for comparison: the same answer as the oracle, from the best index for it.

A copy of the match index (`bench_postgis_helper`) with a `geography` point, each helper's
service area as a box around their own circle, the weekly bitmap as three bigint words, and
the distance-free `quality` the match index stores. One GiST index over (skill_id, area)
(btree_gist puts the skill in the same index), and the table clustered on it, so the helpers
whose service area may cover a point sit in a few pages.

postgis-area, one prepared statement per request ("which helpers of this skill cover this
point?"): `area && point` in the index, then the exact filters of the oracle (own radius on
the sphere, invitation cap, a whole free hour of the window by weekly hours, and no absence
nor live booking over *every* such hour), scored in SQL, best first; the availability
subqueries run only on the rows the ordered stream pulls (an `OFFSET 0` fence keeps them
above the sort). The shortlist is re-scored in Python with the engine's own functions and
ordered by its rank key (rounded score, seeded turns), so scores and ties compare exactly;
when the shortlist could cut through the 10th place's rounded score, it is read again,
longer. Timed like the engine (wall clock around the Python call), plus the server's own
execution time (EXPLAIN ANALYZE on a sample of requests).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np

from bench.matching_brute import mask_words, window_hours

TABLE = """
CREATE TABLE bench_postgis_helper AS
SELECT helper_id, skill_id, latitude, longitude, radius_km, rating_mean, review_count,
       completed_jobs, reliability, response_minutes, weekly_hours, open_invitations, quality,
       ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography AS geog,
       ST_MakeEnvelope(
           longitude - radius_km / (111.19 * cos(radians(least(89.0, abs(latitude)
                                                    + radius_km / 111.19 + 0.01)))) * 1.001,
           latitude - radius_km / 111.19 * 1.001 - 0.0001,
           longitude + radius_km / (111.19 * cos(radians(least(89.0, abs(latitude)
                                                    + radius_km / 111.19 + 0.01)))) * 1.001,
           latitude + radius_km / 111.19 * 1.001 + 0.0001,
           4326) AS area,
       CASE WHEN weekly_hours = '' THEN NULL ELSE
           ('x' || lpad(substr(weekly_hours, 29, 14), 16, '0'))::bit(64)::bigint END AS w0,
       CASE WHEN weekly_hours = '' THEN NULL ELSE
           ('x' || lpad(substr(weekly_hours, 15, 14), 16, '0'))::bit(64)::bigint END AS w1,
       CASE WHEN weekly_hours = '' THEN NULL ELSE
           ('x' || lpad(substr(weekly_hours, 1, 14), 16, '0'))::bit(64)::bigint END AS w2
FROM matching_matchindex
"""
INDEXES = [
    "CREATE INDEX bench_postgis_area ON bench_postgis_helper USING gist (skill_id, area)",
    "CLUSTER bench_postgis_helper USING bench_postgis_area",
]
#: One whole hour of the window is free: on the weekly hours, and no absence nor live booking
#: overlaps it (the oracle's and availability.free_hours's rule).
_FREE_HOUR = """
    EXISTS (
        SELECT 1 FROM unnest(%(hours)s::timestamptz[], %(bits)s::int[]) AS w(at, bit)
        WHERE (c.w0 IS NULL OR (CASE WHEN w.bit < 56 THEN c.w0 >> w.bit
                                     WHEN w.bit < 112 THEN c.w1 >> (w.bit - 56)
                                     ELSE c.w2 >> (w.bit - 112) END) & 1 = 1)
          AND NOT EXISTS (
              SELECT 1 FROM bookings_availabilityexception e
              WHERE e.helper_id = c.helper_id
                AND e.starts_at < w.at + interval '1 hour' AND e.ends_at > w.at)
          AND NOT EXISTS (
              SELECT 1 FROM bookings_booking b
              WHERE b.helper_id = c.helper_id AND b.cancelled_at IS NULL
                AND b.starts_at < w.at + interval '1 hour' AND b.ends_at > w.at))
"""
_BUSY = """
    EXISTS (SELECT 1 FROM bookings_availabilityexception e
            WHERE e.helper_id = c.helper_id AND e.starts_at < %(end)s AND e.ends_at > %(start)s)
    OR EXISTS (SELECT 1 FROM bookings_booking b
               WHERE b.helper_id = c.helper_id AND b.cancelled_at IS NULL
                 AND b.starts_at < %(end)s AND b.ends_at > %(start)s)
"""
COLUMNS = (
    "helper_id, latitude, longitude, radius_km, rating_mean, review_count, completed_jobs,"
    " reliability, response_minutes, weekly_hours, open_invitations"
)
QUERY = f"""
SELECT {COLUMNS}, score FROM (
    SELECT h.*, %(w_distance)s * power(0.5,
               ST_Distance(h.geog, %(point)s::geography, false) / 1000.0 / %(half)s)
           + h.quality AS score
    FROM bench_postgis_helper h
    WHERE h.skill_id = %(skill)s::bigint AND h.area && %(point)s::geometry
      AND h.open_invitations < %(cap)s
      AND ST_DWithin(h.geog, %(point)s::geography, h.radius_km * 1000.0 * 1.000001, false)
      AND (h.w0 IS NULL OR (h.w0 & %(m0)s) <> 0 OR (h.w1 & %(m1)s) <> 0
           OR (h.w2 & %(m2)s) <> 0)
    ORDER BY score DESC
    OFFSET 0
) c
WHERE NOT ({_BUSY}) OR {_FREE_HOUR}
LIMIT %(shortlist)s
"""
SHORTLIST = 30


def available() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        return cursor.fetchone() is not None


def _load() -> tuple[int, float]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        cursor.execute("DROP TABLE IF EXISTS bench_postgis_helper")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(TABLE)
        for sql in INDEXES:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bench_postgis_helper")
        cursor.execute("SELECT count(*) FROM bench_postgis_helper")
        (rows,) = cursor.fetchone()
    return rows, time.perf_counter() - started


def measure(
    job: dict[str, Any],
    skill_ids: list[int],
    timed: Callable[..., dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """postgis-area: load time, plan, timings, server-side times (or why it was skipped)."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    from quartier.matching.engine import MatchQuery, rank_key, score_row
    from quartier.matching.ranking import ranking_params

    if not available():
        return {"postgis-area": {"skipped": "the postgis extension is not installed"}}
    rows, load_s = _load()
    connection.close()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as an OLTP server runs; JIT costs ~50 ms a statement
    params = ranking_params()
    fixed = {
        "w_distance": params["w_distance"],
        "half": params["distance_half_km"],
        "cap": settings.QUARTIER_MAX_OPEN_INVITATIONS,
    }

    def shortlist(request: dict[str, Any], limit: int) -> list[tuple[Any, ...]]:
        values = _values(request, skill_ids, fixed) | {"shortlist": limit}
        with psycopg.Cursor(connection.connection) as cursor:  # server-side, prepared
            cursor.execute(QUERY, values, prepare=True)
            return cursor.fetchall()

    def run(request: dict[str, Any]) -> list[tuple[int, float]]:
        query = MatchQuery(
            skill_id=skill_ids[request["skill"]],
            latitude=request["latitude"],
            longitude=request["longitude"],
            seed=request["seed"],
        )
        if not _values(request, skill_ids, fixed)["hours"]:
            return []  # no whole hour in the window: nobody is free
        limit = SHORTLIST
        found = shortlist(request, limit)
        # Ties: every row whose rounded score may equal the 10th's must be in the shortlist.
        while len(found) == limit and found[-1][-1] >= found[9][-1] - 0.002:
            limit *= 4
            found = shortlist(request, limit)
        scored = [score_row(row[:11], query, params) for row in found]
        ranked = sorted((c for c in scored if c is not None), key=rank_key)
        return [(c.helper_id, c.score) for c in ranked[:10]]

    result = {"rows": rows, "load_s": load_s} | timed(run, job)
    result |= _server_times(job["requests"][:100], skill_ids, fixed)
    return {"postgis-area": result}


def _server_times(
    requests: list[dict[str, Any]], skill_ids: list[int], fixed: dict[str, Any]
) -> dict[str, Any]:
    """The server's own planning + execution time (EXPLAIN ANALYZE) and one plan."""
    from django.db import connection

    times, plan = [], ""
    with connection.cursor() as cursor:
        for i, request in enumerate(requests):
            if not window_hours(
                datetime.fromisoformat(request["window_start"]),
                datetime.fromisoformat(request["window_end"]),
            ):
                continue
            values = _values(request, skill_ids, fixed) | {"shortlist": SHORTLIST}
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + QUERY, values)
            (raw,) = cursor.fetchone()
            doc = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            times.append(doc["Planning Time"] + doc["Execution Time"])
            if i == 0:
                cursor.execute("EXPLAIN ANALYZE " + QUERY, values)
                plan = "\n".join(row[0] for row in cursor.fetchall())
    ms = np.array(times)
    return {
        "server_p50_ms": float(np.percentile(ms, 50)),
        "server_p99_ms": float(np.percentile(ms, 99)),
        "plan": plan,
    }


def _values(request: dict[str, Any], skill_ids: list[int], fixed: dict[str, Any]) -> dict[str, Any]:
    """The query's parameters for one request."""
    start = datetime.fromisoformat(request["window_start"])
    end = datetime.fromisoformat(request["window_end"])
    hours = window_hours(start, end)
    m0, m1, m2 = mask_words(hours)
    return fixed | {
        "point": f"SRID=4326;POINT({request['longitude']} {request['latitude']})",
        "skill": skill_ids[request["skill"]],
        "m0": m0,
        "m1": m1,
        "m2": m2,
        "start": start,
        "end": end,
        "hours": [at for at, _ in hours],
        "bits": [bit for _, bit in hours],
    }
