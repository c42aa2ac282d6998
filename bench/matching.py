"""Matching latency at 10 k / 100 k / 1 M helpers: the engine vs brute force vs PostGIS.

    python -m bench.matching [--sizes 10000,100000,1000000] [--requests 1000]
    python -m bench.matching --table bench/results/matching-<date>.json   (print a saved run)

Per size, each configuration runs in its own process (own settings, own peak memory):

* engine-sqlite / engine-pg: `rank(MatchQuery(...))` in process, exactly as production calls
  it, against a fresh SQLite file (under --tmp) or the PostgreSQL database `quartier_bench`
  (dropped and re-created; --pg-url / BENCH_DATABASE_URL), migrated, bulk-loaded;
* brute-numpy: every helper of the skill scored in numpy (bench/matching_brute.py), the
  oracle: the engines' top 10 must equal its top 10;
* postgis-area: the same answer from PostGIS, a GiST index over (skill, each helper's service
  area), timed the same way plus its server-side time (bench/matching_postgis.py), when the
  server has PostGIS (else a note in the table);
* batch: 2,000 partner cases over 20,000 helpers, `assignment.engine_candidates` (numpy per
  skill over the match index) + `assignment.assign`; also one `rank` per case, for comparison.

Synthetic helpers and requests: bench/matching_data.py. One table per size compares everything
side by side, shows p50/p99 by local density and skill size (where the tail comes from) and
the targets MET / MISSED with the next step (bench/matching_report.py); a small JSON summary
goes to bench/results/matching-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import matching_data, matching_report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/quartier_bench"
SEED = 20261127


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="helpers, comma-separated")
    parser.add_argument("--requests", type=int, default=1000, help="timed requests per config")
    parser.add_argument("--warmup", type=int, default=100, help="untimed requests first")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/quartier-bench"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--table", type=Path, help="only print the table of a summary written before (JSON)"
    )
    return parser.parse_args(argv)


def _postgres_reachable(url: str) -> str | None:
    """None when the server answers, else why not."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def _run(job: dict[str, Any], database_url: str | None, tmp: Path) -> dict[str, Any]:
    """One configuration in a subprocess; its result, or {"failed": reason}."""
    name = f"{job['kind']}-{job.get('backend', 'mem')}-{job['size']}"
    job_path, result_path = tmp / f"{name}.job.json", tmp / f"{name}.result.json"
    job_path.write_text(json.dumps(job))
    result_path.unlink(missing_ok=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "QUARTIER_VAR_DIR": str(tmp / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    print(f"  {name} ...", flush=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.matching_worker", str(job_path), str(result_path)],
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode or not result_path.exists():
        return {"failed": f"exit status {done.returncode}"}
    result: dict[str, Any] = json.loads(result_path.read_text())
    print(f"    done in {time.perf_counter() - started:.0f} s", flush=True)
    return result


def _compare(answers: list[list[list[Any]]], oracle: list[list[list[Any]]]) -> dict[str, Any]:
    """How many top-10 lists differ from the oracle's: in their set of helpers (a real
    mismatch), only among equal rounded scores at the cut (ties, whose turn order may
    differ), or only in order. A few real mismatches are kept as examples."""
    counts = {"set_mismatches": 0, "tie_mismatches": 0, "order_mismatches": 0}
    examples: list[dict[str, Any]] = []
    for i, (mine, theirs) in enumerate(zip(answers, oracle, strict=True)):
        mine_ids, their_ids = [h for h, _ in mine], [h for h, _ in theirs]
        if mine_ids == their_ids:
            continue
        if set(mine_ids) == set(their_ids):
            counts["order_mismatches"] += 1
            continue
        mine_rounded = [round(s, 3) for _, s in mine]
        their_rounded = [round(s, 3) for _, s in theirs]
        cut = their_rounded[-1] if their_rounded else None
        above = {h for h, s in mine if round(s, 3) != cut} == {
            h for h, s in theirs if round(s, 3) != cut
        }
        if mine_rounded == their_rounded and above:
            counts["tie_mismatches"] += 1
            continue
        counts["set_mismatches"] += 1
        if len(examples) < 3:
            examples.append({"request": i, "got": mine, "expected": theirs})
    return counts | {"examples": examples}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _arguments(argv)
    if args.table:
        summary: dict[str, Any] = json.loads(args.table.read_text())
        print("\n".join(matching_report.table(summary)))
        return summary
    sizes = [int(s) for s in args.sizes.split(",") if s]
    backends = [b for b in args.backends.split(",") if b]
    args.tmp.mkdir(parents=True, exist_ok=True)
    print("\n== Matching benchmark ==", flush=True)
    started = time.perf_counter()
    places = matching_data.load_places()
    largest = max([*sizes, 0 if args.no_batch else 20_000])
    data_file = matching_data.data_file(places, largest, SEED, args.tmp)
    t0 = matching_data.first_hour()
    requests = matching_data.requests(places, args.requests, SEED, t0)
    warmup = matching_data.requests(places, args.warmup, SEED + 1, t0)
    print(f"data ready in {time.perf_counter() - started:.0f} s ({data_file.name})", flush=True)

    pg_problem = _postgres_reachable(args.pg_url) if "postgres" in backends else None
    if pg_problem:
        print(f"NOTE: PostgreSQL unreachable ({pg_problem}): PostgreSQL and PostGIS skipped.")
    summary = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "requests": args.requests,
        "warmup": args.warmup,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "sizes": {},
    }
    for size in sizes:
        print(f"{size:,} helpers", flush=True)
        base = {
            "size": size,
            "data": str(data_file),
            "requests": requests,
            "warmup": warmup,
            "busy": matching_data.busy_times(size, SEED, t0),
        }
        configs: dict[str, Any] = {}
        configs["brute-numpy"] = _run(base | {"kind": "brute"}, None, args.tmp)
        if "sqlite" in backends:
            url = f"sqlite:///{args.tmp / f'bench-{size}.sqlite3'}"
            job = base | {"kind": "engine", "backend": "sqlite"}
            configs["engine-sqlite"] = _run(job, url, args.tmp)
        if "postgres" in backends and not pg_problem:
            job = base | {"kind": "engine", "backend": "pg"}
            result = _run(job | {"postgis": not args.no_postgis}, args.pg_url, args.tmp)
            configs["engine-pg"] = result
        for name, result in configs.get("engine-pg", {}).pop("postgis", {}).items():
            configs[name] = result
            if "skipped" in result:
                print(f"NOTE: PostGIS skipped: {result['skipped']}", flush=True)
        for name, result in configs.items():  # profiles and plans: for reading, not committing
            for key in ("profile", "plan"):
                if key in result:
                    (args.tmp / f"{key}-{name}-{size}.txt").write_text(result[key])
        oracle = configs["brute-numpy"].get("answers")
        for name, result in configs.items():
            if oracle and name != "brute-numpy" and "answers" in result:
                result["vs_brute"] = _compare(result["answers"], oracle)
        summary["sizes"][str(size)] = configs
        groups = matching_report.request_groups(str(data_file), size, requests)
        summary.setdefault("groups", {})[str(size)] = matching_report.breakdown(configs, groups)
    if not args.no_batch:
        cases = matching_data.requests(places, 2000, SEED + 2, t0)
        job = {"kind": "batch", "size": 20_000, "data": str(data_file), "requests": cases}
        url = f"sqlite:///{args.tmp / 'bench-batch.sqlite3'}"
        summary["batch"] = _run(job | {"per_case": 10}, url, args.tmp)

    print("\n".join(matching_report.table(summary)))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    _write(summary, args.out)
    return summary


def _write(summary: dict[str, Any], out: Path) -> None:
    """The summary without per-request answers and long texts: a small, commit-friendly file."""
    small = json.loads(json.dumps(summary))
    for configs in small["sizes"].values():
        for result in configs.values():
            result.pop("answers", None)
            result.pop("latencies_ms", None)
            result.pop("plan", None)
            result.pop("profile", None)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"matching-{date.today().isoformat()}.json"
    path.write_text(json.dumps(small, indent=1, sort_keys=True) + "\n")
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
