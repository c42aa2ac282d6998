"""One configuration of the matching benchmark, in its own process (own settings, own memory).

    python -m bench.matching_worker JOB.json RESULT.json

`bench/matching.py` writes the job (kind, size, data file, requests, absences and bookings)
and sets DATABASE_URL; this process migrates a fresh database, bulk-loads the match index
straight into `matching_matchindex` (indexes dropped during the load and rebuilt after, then
ANALYZE), times `rank(MatchQuery(...))` exactly as production calls it (DEBUG off, a fresh
connection), and writes latencies, answers, load times and peak memory as JSON.

Foreign keys are not enforced during the bulk load (SQLite: PRAGMA foreign_keys=OFF; PostgreSQL:
session_replication_role=replica, which needs a superuser on the bench database), so no
user, request or offer rows are created for the synthetic helpers and bookings: the matcher
reads neither.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench import matching_data

INDEX_COLUMNS = (
    "id, helper_id, skill_id, latitude, longitude, cell_fine, cell_coarse, radius_km,"
    " rating_mean, review_count, completed_jobs, reliability, response_minutes, weekly_hours,"
    " open_invitations, quality, joined_at, updated_at"
)
JOINED = "2025-01-01 00:00:00+00:00"


def _rows(data: dict[str, np.ndarray], skill_ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """Match-index rows as tuples in INDEX_COLUMNS order (None for a NULL); the quality
    column as the index refresh writes it (ranking.index_quality)."""
    from quartier.matching.ranking import index_quality, ranking_params

    params = ranking_params()
    columns = [
        data["helper_id"].tolist(),
        [skill_ids[s] for s in data["skill"].tolist()],
        data["latitude"].tolist(),
        data["longitude"].tolist(),
        data["cell_fine"].tolist(),
        data["cell_coarse"].tolist(),
        data["radius_km"].tolist(),
        data["rating_mean"].tolist(),
        data["review_count"].tolist(),
        data["completed_jobs"].tolist(),
        data["reliability"].tolist(),
        [None if np.isnan(v) else v for v in data["response_minutes"].tolist()],
        [
            matching_data.weekly_hex(w, f)
            for w, f in zip(data["words"], data["flexible"].tolist(), strict=True)
        ],
        data["open_invitations"].tolist(),
    ]
    columns.append(
        [
            index_quality(
                rating_mean=rating,
                reliability_share=kept,
                response_minutes=response,
                completed_jobs=jobs,
                params=params,
            )
            for rating, kept, response, jobs in zip(
                columns[7], columns[10], columns[11], columns[9], strict=True
            )
        ]
    )
    for i, row in enumerate(zip(*columns, strict=True), start=1):
        yield (i, *row, JOINED, JOINED)


def _copy_text(rows: Iterator[tuple[Any, ...]], chunk: int = 50_000) -> Iterator[str]:
    lines: list[str] = []
    for row in rows:
        lines.append("\t".join(r"\N" if v is None else str(v) for v in row))
        if len(lines) >= chunk:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _load_sqlite(data: dict[str, np.ndarray], skill_ids: list[int]) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-800000")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            " AND tbl_name = 'matching_matchindex' AND sql IS NOT NULL"
        )
        indexes = cursor.fetchall()
    connection.disable_constraint_checking()
    try:
        with transaction.atomic():
            raw = connection.connection
            for name, _ in indexes:
                raw.execute(f'DROP INDEX "{name}"')
            marks = ",".join(["?"] * 18)
            raw.executemany(
                f"INSERT INTO matching_matchindex ({INDEX_COLUMNS}) VALUES ({marks})",
                _rows(data, skill_ids),
            )
            for _, sql in indexes:
                raw.execute(sql)
    finally:
        connection.enable_constraint_checking()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _load_postgres(data: dict[str, np.ndarray], skill_ids: list[int]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'matching_matchindex'::regclass AND contype = 'u'"
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'matching_matchindex'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint"
            " WHERE conrelid = 'matching_matchindex'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE matching_matchindex DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        raw = connection.connection
        with (
            raw.cursor() as raw_cursor,
            raw_cursor.copy(f"COPY matching_matchindex ({INDEX_COLUMNS}) FROM STDIN") as copy,
        ):
            for text in _copy_text(_rows(data, skill_ids)):
                copy.write(text)
        for _, sql in indexes:
            cursor.execute(sql)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE matching_matchindex ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('matching_matchindex', 'id'),"
            " (SELECT max(id) FROM matching_matchindex))"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE matching_matchindex")


def _load_busy(busy: dict[str, list[list[Any]]]) -> None:
    """Absences and bookings (with placeholder request/offer/customer ids: FKs are off)."""
    from django.db import connection, transaction

    from quartier.bookings.models import AvailabilityException, Booking

    def at(value: str) -> datetime:
        return datetime.fromisoformat(value)

    absences = [
        AvailabilityException(helper_id=h, starts_at=at(s), ends_at=at(e))
        for h, s, e in busy["absences"]
    ]
    bookings = [
        Booking(
            request_id=i,
            offer_id=i,
            helper_id=h,
            customer_id=1,
            starts_at=at(s),
            ends_at=at(e),
            price_minor=9000,
            currency="CHF",
            cancelled_at=at(c) if c else None,
        )
        for i, (h, s, e, c) in enumerate(busy["bookings"], start=1)
    ]
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        connection.disable_constraint_checking()
    try:
        with transaction.atomic():
            if not sqlite:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            AvailabilityException.objects.bulk_create(absences, batch_size=1000)
            Booking.objects.bulk_create(bookings, batch_size=1000)
    finally:
        if sqlite:
            connection.enable_constraint_checking()


def _recreate_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    admin = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _setup_django(job: dict[str, Any]) -> float:
    """Fresh database, migrated; returns the migration time."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _recreate_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def _skill_ids() -> list[int]:
    from quartier.catalog.models import Skill

    ids = dict(Skill.objects.values_list("slug", "id"))
    return [ids[slug] for slug in matching_data.SKILL_SLUGS]


def _query(request: dict[str, Any], skill_ids: list[int], limit: int = 10) -> Any:
    from quartier.matching.engine import MatchQuery

    return MatchQuery(
        skill_id=skill_ids[request["skill"]],
        latitude=request["latitude"],
        longitude=request["longitude"],
        window_start=datetime.fromisoformat(request["window_start"]),
        window_end=datetime.fromisoformat(request["window_end"]),
        limit=limit,
        seed=request["seed"],
    )


def _percentiles(latencies: list[float], prefix: str = "") -> dict[str, float]:
    ms = np.array(latencies) * 1000
    return {
        f"{prefix}p50_ms": float(np.percentile(ms, 50)),
        f"{prefix}p99_ms": float(np.percentile(ms, 99)),
        f"{prefix}mean_ms": float(ms.mean()),
        f"{prefix}max_ms": float(ms.max()),
    }


def _timed(
    run: Callable[[dict[str, Any]], list[tuple[int, float]]], job: dict[str, Any]
) -> dict[str, Any]:
    """Warm up, then time `run` per request: wall clock, and this thread's CPU time (which
    other processes on a busy machine do not inflate; it misses a database server's work).
    Answers as [[helper id, score], ...]."""
    for request in job["warmup"]:
        run(request)
    latencies, cpu, answers = [], [], []
    for request in job["requests"]:
        started, cpu_started = time.perf_counter(), time.thread_time()
        answer = run(request)
        cpu.append(time.thread_time() - cpu_started)
        latencies.append(time.perf_counter() - started)
        answers.append([[h, s] for h, s in answer])
    return (
        _percentiles(latencies)
        | _percentiles(cpu, "cpu_")
        | {"answers": answers, "latencies_ms": [t * 1000 for t in latencies]}
    )


def _profile(run: Callable[[dict[str, Any]], object], requests: list[dict[str, Any]]) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for request in requests:
        run(request)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
    return out.getvalue()


def _engine_counts(
    run: Callable[[dict[str, Any]], object], requests: list[dict[str, Any]], module: Any
) -> dict[str, float]:
    """Queries and match-index rows read per request (an instrumented pass over `requests`),
    and per statement of the scan (probe, sweep, other): calls, rows and this thread's CPU
    time inside it (SQLite runs in it; PostgreSQL: the client's share only). `module` is
    the one whose `fetch` reads the match index."""
    from django.db import connection

    counts = {"queries": 0, "rows": 0, "cpu_ns": 0}
    kinds = dict.fromkeys(getattr(module, "PROBE_SQL", {}).values(), "probe")
    kinds |= dict.fromkeys(getattr(module, "SWEEP_SQL", {}).values(), "sweep")
    fetch = module.fetch

    def counting_fetch(sql: str, *args: Any, **kwargs: Any) -> list[Any]:
        started = time.thread_time_ns()
        rows: list[Any] = fetch(sql, *args, **kwargs)
        spent = time.thread_time_ns() - started
        counts["rows"] += len(rows)
        kind = kinds.get(sql, "other")
        for key, value in (("calls", 1), ("rows", len(rows)), ("cpu_ns", spent)):
            counts[f"{kind}_{key}"] = counts.get(f"{kind}_{key}", 0) + value
        if connection.vendor == "postgresql":
            counts["queries"] += 1  # prepared statements bypass Django's execute wrappers
        return rows

    def count_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts["queries"] += 1
        return execute(sql, params, many, context)

    module.fetch = counting_fetch
    started = time.thread_time_ns()
    try:
        with connection.execute_wrapper(count_query):
            for request in requests:
                run(request)
    finally:
        module.fetch = fetch
    counts["cpu_ns"] = time.thread_time_ns() - started
    n = len(requests)
    out = {f"{k}_per_request": v / n for k, v in counts.items() if not k.endswith("cpu_ns")}
    out |= {
        f"{k[:-3]}_ms_per_request": v / n / 1e6 for k, v in counts.items() if k.endswith("cpu_ns")
    }
    return out


def _measure(
    run: Callable[[dict[str, Any]], list[tuple[int, float]]], job: dict[str, Any], module: Any
) -> dict[str, Any]:
    """Latencies and answers, then reads per request, query-phase memory and a profile."""
    result = _timed(run, job)
    result |= _engine_counts(run, job["requests"][:50], module)
    tracemalloc.start()
    for request in job["requests"][:20]:
        run(request)
    result["query_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    result["profile"] = _profile(run, job["requests"][:50])
    return result


def _engine(job: dict[str, Any]) -> dict[str, Any]:
    migrate_s = _setup_django(job)
    from django.db import connection

    from quartier.matching import engine, scan

    assert (engine.FINE_RES, engine.COARSE_RES) == (
        matching_data.FINE_RES,
        matching_data.COARSE_RES,
    )
    data = matching_data.load(job["data"], job["size"])
    skill_ids = _skill_ids()
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        _load_sqlite(data, skill_ids)
    else:
        _load_postgres(data, skill_ids)
    _load_busy(job["busy"])
    load_s = time.perf_counter() - started
    rows = len(data["helper_id"])
    del data
    connection.close()  # measure on a fresh connection, configured as in production
    print(f"    loaded {rows:,} rows in {load_s:.1f} s", flush=True)

    def run(request: dict[str, Any]) -> list[tuple[int, float]]:
        return [(c.helper_id, c.score) for c in engine.rank(_query(request, skill_ids))]

    result: dict[str, Any] = {"rows": rows, "migrate_s": migrate_s, "load_s": load_s}
    result |= _measure(run, job, scan)
    if connection.vendor == "postgresql" and job.get("postgis"):
        from bench.matching_postgis import measure

        result["postgis"] = measure(job, skill_ids, _timed)
    return result


def _brute(job: dict[str, Any]) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings

    from bench.matching_brute import BruteForce
    from quartier.matching.ranking import ranking_params

    started = time.perf_counter()
    data = matching_data.load(job["data"], job["size"])
    brute = BruteForce(data, job["busy"], ranking_params(), settings.QUARTIER_MAX_OPEN_INVITATIONS)
    load_s = time.perf_counter() - started
    rows = len(data["helper_id"])
    del data

    def run(request: dict[str, Any]) -> list[tuple[int, float]]:
        return brute.rank(
            skill=request["skill"],
            latitude=request["latitude"],
            longitude=request["longitude"],
            window_start=datetime.fromisoformat(request["window_start"]),
            window_end=datetime.fromisoformat(request["window_end"]),
            seed=request["seed"],
        )

    return {"rows": rows, "load_s": load_s} | _timed(run, job)


@dataclass(frozen=True)
class _Offer:
    helper_id: int
    score: float


def _batch(job: dict[str, Any]) -> dict[str, Any]:
    """2,000 partner cases over 20,000 helpers: candidates (`assignment.engine_candidates`,
    numpy per skill over the match index; one `rank` per case; numpy over the rows already in
    memory), then one `assignment.assign` on the engine's candidates."""
    migrate_s = _setup_django(job)
    from django.conf import settings
    from django.db import connection

    from bench.matching_brute import BruteForce
    from quartier.matching import assignment, engine
    from quartier.matching.ranking import ranking_params

    data = matching_data.load(job["data"], job["size"])
    skill_ids = _skill_ids()
    _load_sqlite(data, skill_ids)
    connection.close()
    cases = [
        assignment.OpenJob(
            id=i,
            latitude=r["latitude"],
            longitude=r["longitude"],
            skill_id=skill_ids[r["skill"]],
            window_start=datetime.fromisoformat(r["window_start"]),
            window_end=datetime.fromisoformat(r["window_end"]),
        )
        for i, r in enumerate(job["requests"], start=1)
    ]
    rng = np.random.default_rng(5)
    helpers = np.unique(data["helper_id"])
    capacity = dict(zip(helpers.tolist(), rng.integers(1, 4, len(helpers)).tolist(), strict=True))
    engine.rank(_query(job["requests"][0], skill_ids))  # warm the connection
    started = time.perf_counter()
    candidates = assignment.engine_candidates(cases, per_case=job["per_case"])
    candidates_s = time.perf_counter() - started
    started = time.perf_counter()
    result = assignment.assign(cases, candidates, capacity)
    assign_s = time.perf_counter() - started
    timings: dict[str, float] = {}
    started = time.perf_counter()
    one_by_one = {
        case.id: engine.rank(assignment.open_job_query(case, job["per_case"])) for case in cases
    }
    timings["rank_per_case_s"] = time.perf_counter() - started
    timings["rank_per_case_differs"] = sum(
        [(c.helper_id, c.score) for c in candidates[case.id]]
        != [(c.helper_id, c.score) for c in one_by_one[case.id]]
        for case in cases
    )
    started = time.perf_counter()
    brute = BruteForce(
        data,
        {"absences": [], "bookings": []},
        ranking_params(),
        settings.QUARTIER_MAX_OPEN_INVITATIONS,
    )
    in_memory = {
        i: [
            _Offer(h, s)
            for h, s in brute.rank(
                skill=r["skill"],
                latitude=r["latitude"],
                longitude=r["longitude"],
                window_start=datetime.fromisoformat(r["window_start"]),
                window_end=datetime.fromisoformat(r["window_end"]),
                seed=i,
                limit=job["per_case"],
            )
        ]
        for i, r in enumerate(job["requests"], start=1)
    }
    timings["numpy_candidates_s"] = time.perf_counter() - started
    same = assignment.assign(cases, in_memory, capacity)
    return timings | {
        "migrate_s": migrate_s,
        "cases": len(cases),
        "helpers": job["size"],
        "per_case": job["per_case"],
        "candidate_edges": sum(len(v) for v in candidates.values()),
        "candidates_s": candidates_s,
        "assign_s": assign_s,
        "assigned": len(result.pairs),
        "unassigned": len(result.unassigned),
        "total_cost": result.total_cost,
        "numpy_total_cost": same.total_cost,
    }


def main() -> None:
    job_path, result_path = sys.argv[1:3]
    job = json.loads(Path(job_path).read_text())
    started = time.perf_counter()
    result = {"engine": _engine, "brute": _brute, "batch": _batch}[job["kind"]](job)
    result["wall_s"] = time.perf_counter() - started
    result["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["finished_at"] = datetime.now(UTC).isoformat()
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
