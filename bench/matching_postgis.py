"""The PostGIS way, for comparison: two statements over GiST indexes, scored in SQL.

A copy of the match index with a `geography` point, the box around each helper's own service
circle, and the weekly bitmap as three bigint words. Both statements keep helpers who offer the
skill, whose own radius covers the request (`ST_DWithin` on the sphere, as haversine), who are
below the invitation cap, free by their weekly hours and without an absence or live booking
overlapping the window, and score them with ranking.py's formula:

* postgis-knn (the textbook query): GiST (skill_id, geog), `ORDER BY geog <-> point` within the
  largest service radius, the nearest `knn_k` that pass, best 10 of those. Not exact: a better
  helper beyond the nearest `knn_k` is missed; and where fewer than `knn_k` pass (own radius,
  calendar) the scan reads every helper of the skill within 100 km.
* postgis-area (reverse range query): GiST (skill_id, area) over each helper's service box,
  `area && point` finds exactly the helpers whose circle may cover the request; best 10 of all.

Both exclude a helper with any overlapping absence (the engine needs one free hour only), so
a few top-10 lists differ from brute force's; the benchmark counts them. btree_gist compares
bigint with bigint only: the skill parameter is cast, or the skill would not be in the index.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bench.matching_brute import mask_words, window_hours

TABLE = """
CREATE TABLE bench_postgis_helper AS
SELECT helper_id, skill_id, radius_km, rating_mean, completed_jobs, reliability,
       response_minutes, open_invitations,
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
    "CREATE INDEX bench_postgis_knn ON bench_postgis_helper USING gist (skill_id, geog)",
    "CREATE INDEX bench_postgis_area ON bench_postgis_helper USING gist (skill_id, area)",
]
SCORE = """
    %(w_distance)s * power(0.5, ST_Distance(geog, %(point)s::geography, false) / 1000.0 / %(half)s)
    + %(w_rating)s * least(1.0, greatest(0.0, (rating_mean - 1.0) / 4.0))
    + %(w_reliability)s * reliability
    + %(w_response)s * coalesce(1.0 / (1.0 + response_minutes / 60.0), 0.5)
    + %(w_exploration)s * greatest(0.0, 1.0 - completed_jobs / %(exploration_jobs)s)
"""
FILTERS = """
    skill_id = %(skill)s::bigint
    AND open_invitations < %(cap)s
    AND ST_DWithin(geog, %(point)s::geography, radius_km * 1000.0, false)
    AND (w0 IS NULL OR (w0 & %(m0)s) <> 0 OR (w1 & %(m1)s) <> 0 OR (w2 & %(m2)s) <> 0)
    AND NOT EXISTS (
        SELECT 1 FROM bookings_availabilityexception e
        WHERE e.helper_id = h.helper_id AND e.starts_at < %(end)s AND e.ends_at > %(start)s)
    AND NOT EXISTS (
        SELECT 1 FROM bookings_booking b
        WHERE b.helper_id = h.helper_id AND b.cancelled_at IS NULL
          AND b.starts_at < %(end)s AND b.ends_at > %(start)s)
"""
QUERIES = {
    "postgis-knn": f"""
SELECT helper_id, score FROM (
    SELECT helper_id, {SCORE} AS score
    FROM bench_postgis_helper h
    WHERE {FILTERS} AND ST_DWithin(geog, %(point)s::geography, %(reach_m)s, false)
    ORDER BY geog <-> %(point)s::geography
    LIMIT %(k)s
) nearest
ORDER BY score DESC, helper_id
LIMIT 10
""",
    "postgis-area": f"""
SELECT helper_id, {SCORE} AS score
FROM bench_postgis_helper h
WHERE {FILTERS} AND area && %(point)s::geometry
ORDER BY score DESC, helper_id
LIMIT 10
""",
}


def available() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        return cursor.fetchone() is not None


def measure(
    job: dict[str, Any],
    skill_ids: list[int],
    timed: Callable[..., dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Per PostGIS configuration: load time, plan and timings (or why it was skipped)."""
    from django.conf import settings
    from django.db import connection

    from quartier.matching.ranking import ranking_params

    if not available():
        return {"postgis-knn": {"skipped": "the postgis extension is not installed"}}
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
    load_s = time.perf_counter() - started
    connection.close()
    with connection.cursor() as cursor:
        # The planner prices these statements high enough to JIT-compile each one (~50 ms);
        # an OLTP server turns JIT off, so PostGIS gets that here.
        cursor.execute("SET jit = off")
        cursor.execute("SELECT count(*) FROM bench_postgis_helper")
        (rows,) = cursor.fetchone()
    params = ranking_params()
    fixed = {
        "w_distance": params["w_distance"],
        "half": params["distance_half_km"],
        "w_rating": params["w_rating"],
        "w_reliability": params["w_reliability"],
        "w_response": params["w_response"],
        "w_exploration": params["w_exploration"],
        "exploration_jobs": params["exploration_jobs"],
        "cap": settings.QUARTIER_MAX_OPEN_INVITATIONS,
        "k": job["knn_k"],
        "reach_m": settings.QUARTIER_MAX_SERVICE_RADIUS_KM * 1000.0,
    }
    results = {}
    for name, query in QUERIES.items():

        def run(request: dict[str, Any], query: str = query) -> list[tuple[int, float]]:
            with connection.cursor() as cursor:
                cursor.execute(query, _values(request, skill_ids, fixed))
                return [(int(h), float(s)) for h, s in cursor.fetchall()]

        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query, _values(job["requests"][0], skill_ids, fixed))
            plan = "\n".join(row[0] for row in cursor.fetchall())
        results[name] = {"rows": rows, "load_s": load_s, "plan": plan} | timed(run, job)
    results["postgis-knn"]["knn_k"] = job["knn_k"]
    return results


def _values(request: dict[str, Any], skill_ids: list[int], fixed: dict[str, Any]) -> dict[str, Any]:
    """The query's parameters for one request."""
    start = datetime.fromisoformat(request["window_start"])
    end = datetime.fromisoformat(request["window_end"])
    m0, m1, m2 = mask_words(window_hours(start, end))
    return fixed | {
        "point": f"SRID=4326;POINT({request['longitude']} {request['latitude']})",
        "skill": skill_ids[request["skill"]],
        "m0": m0,
        "m1": m1,
        "m2": m2,
        "start": start,
        "end": end,
    }
