"""Matching latency at 10 k / 100 k / 1 M helpers: the engine vs brute force vs PostGIS.

    python -m bench.matching [--sizes 10000,100000,1000000] [--requests 1000]
    python -m bench.matching --table bench/results/matching-<date>.json   (print a saved run)

Per size, each configuration runs in its own process (own settings, own peak memory):

* engine-sqlite / engine-pg: `rank(MatchQuery(...))` in process, exactly as production calls
  it, against a fresh SQLite file (under --tmp) or the PostgreSQL database `quartier_bench`
  (dropped and re-created; --pg-url / BENCH_DATABASE_URL), migrated, bulk-loaded;
* brute-numpy: every helper of the skill scored in numpy (bench/matching_brute.py), the
  oracle: the engines' top 10 must equal its top 10;
* postgis-knn / postgis-area: KNN over a GiST index, and a GiST index over each helper's
  service area (bench/matching_postgis.py), when the server has PostGIS (else a note);
* batch: 2,000 partner cases over 20,000 helpers, `assignment.engine_candidates` (numpy per
  skill over the match index) + `assignment.assign`; also one `rank` per case, for comparison.

Synthetic helpers and requests: bench/matching_data.py. The table compares everything side
by side; a small JSON summary goes to bench/results/matching-<date>.json.
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

from bench import matching_data

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/quartier_bench"
SEED = 20261127
TARGETS = {"p50_ms": 2.0, "p99_ms": 10.0, "vs_brute": 10.0, "vs_postgis_p99": 1.5, "batch_s": 1.0}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="helpers, comma-separated")
    parser.add_argument("--requests", type=int, default=1000, help="timed requests per config")
    parser.add_argument("--warmup", type=int, default=100, help="untimed requests first")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--knn-k", type=int, default=100, help="PostGIS: nearest rows scored")
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


def _table(summary: dict[str, Any]) -> list[str]:
    """One row per size and configuration. Times are wall clock (p50/p99/mean) and the
    measuring thread's CPU time (cpu: unaffected by other processes on a busy machine, but
    blind to a database server's work); `x brute` compares p50s; `diff/ties` counts top-10
    lists whose helpers differ from brute force's / differ only among equal rounded scores."""
    head = (
        f"{'helpers':>9} {'config':<16}{'rows':>10}{'load s':>7}{'p50':>8}{'p99':>8}{'mean':>8}"
        f"{'cpu p50':>9}{'cpu p99':>9}{'x brute':>9}{'diff/ties':>11}{'rss MiB':>9}"
    )
    lines = [head + "   (times in ms)", "-" * len(head)]
    for size, configs in summary["sizes"].items():
        brute = configs.get("brute-numpy", {})
        for name, r in configs.items():
            if "p50_ms" not in r:
                reason = r.get("failed") or r.get("skipped") or "no result"
                lines.append(f"{int(size):>9,} {name:<16}  {reason}")
                continue
            speedup = (
                f"{brute['p50_ms'] / r['p50_ms']:>8.1f}x"
                if "p50_ms" in brute and name != "brute-numpy"
                else f"{'':>9}"
            )
            agree = r.get("vs_brute")
            diff = f"{agree['set_mismatches']}/{agree['tie_mismatches']}" if agree else "oracle"
            cpu = (
                f"{r['cpu_p50_ms']:>9.2f}{r['cpu_p99_ms']:>9.2f}"
                if "cpu_p50_ms" in r
                else f"{'-':>9}{'-':>9}"
            )
            rss = f"{r['maxrss_mib']:>9.0f}" if "maxrss_mib" in r else f"{'-':>9}"
            lines.append(
                f"{int(size):>9,} {name:<16}{r.get('rows', 0):>10,}{r.get('load_s', 0):>7.1f}"
                f"{r['p50_ms']:>8.2f}{r['p99_ms']:>8.2f}{r['mean_ms']:>8.2f}{cpu}{speedup}"
                f"{diff:>11}{rss}"
            )
    batch = summary.get("batch")
    if batch and "failed" not in batch:
        lines.append(
            f"batch dispatch, {batch['cases']:,} cases x {batch['helpers']:,} helpers (SQLite),"
            f" {batch['per_case']} candidates per case ({batch['candidate_edges']:,} edges):"
            f" assign() {batch['assign_s']:.3f} s, {batch['assigned']:,} assigned,"
            f" {batch['unassigned']:,} unassigned; candidates: engine_candidates (numpy per"
            f" skill over the index) {batch['candidates_s']:.2f} s"
            + (
                f", one rank() per case {batch['rank_per_case_s']:.1f} s"
                f" ({batch['rank_per_case_differs']} cases differ)"
                if "rank_per_case_s" in batch
                else ""
            )
            + f", numpy over rows in memory {batch['numpy_candidates_s']:.2f} s"
        )
    elif batch:
        lines.append(f"batch dispatch: {batch['failed']}")
    return lines


def _targets(summary: dict[str, Any]) -> list[str]:
    """The targets at the largest size, met or missed."""
    size = max(summary["sizes"], key=int)
    configs = summary["sizes"][size]
    brute = configs.get("brute-numpy", {})
    lines = [f"targets at {int(size):,} helpers:"]
    for name in ("engine-sqlite", "engine-pg"):
        r = configs.get(name)
        if not r or "p50_ms" not in r:
            continue
        checks = [
            f"p50 {r['p50_ms']:.2f} <= {TARGETS['p50_ms']} ms",
            f"p99 {r['p99_ms']:.2f} <= {TARGETS['p99_ms']} ms",
        ]
        met = [r["p50_ms"] <= TARGETS["p50_ms"], r["p99_ms"] <= TARGETS["p99_ms"]]
        if "p50_ms" in brute:
            ratio = brute["p50_ms"] / r["p50_ms"]
            checks.append(f"{ratio:.1f}x brute >= {TARGETS['vs_brute']}x")
            met.append(ratio >= TARGETS["vs_brute"])
        for postgis in ("postgis-knn", "postgis-area"):
            if "p99_ms" in configs.get(postgis, {}):
                ratio = r["p99_ms"] / configs[postgis]["p99_ms"]
                checks.append(f"p99 {ratio:.2f}x {postgis} <= {TARGETS['vs_postgis_p99']}x")
                met.append(ratio <= TARGETS["vs_postgis_p99"])
        marks = ", ".join(
            f"{check} {'MET' if ok else 'MISSED'}" for check, ok in zip(checks, met, strict=True)
        )
        lines.append(f"  {name}: {marks}")
    batch = summary.get("batch", {})
    if "assign_s" in batch:
        totals = [
            ("assign() alone", batch["assign_s"]),
            ("engine_candidates() + assign()", batch["candidates_s"] + batch["assign_s"]),
            ("numpy candidates + assign()", batch["numpy_candidates_s"] + batch["assign_s"]),
        ]
        if "rank_per_case_s" in batch:
            totals.append(
                ("one rank() per case + assign()", batch["rank_per_case_s"] + batch["assign_s"])
            )
        for label, seconds in totals:
            met = seconds < TARGETS["batch_s"]
            lines.append(
                f"  batch {label}: {seconds:.2f} s < {TARGETS['batch_s']} s"
                f" {'MET' if met else 'MISSED'}"
            )
    return lines


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _arguments(argv)
    if args.table:
        summary: dict[str, Any] = json.loads(args.table.read_text())
        print("\n".join([*_table(summary), "", *_targets(summary)]))
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
            "knn_k": args.knn_k,
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
    if not args.no_batch:
        cases = matching_data.requests(places, 2000, SEED + 2, t0)
        job = {"kind": "batch", "size": 20_000, "data": str(data_file), "requests": cases}
        url = f"sqlite:///{args.tmp / 'bench-batch.sqlite3'}"
        summary["batch"] = _run(job | {"per_case": 10}, url, args.tmp)

    lines = [*_table(summary), "", *_targets(summary)]
    print()
    print("\n".join(lines))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    _write(summary, args.out)
    return summary


def _write(summary: dict[str, Any], out: Path) -> None:
    """The summary without per-request answers and long texts: a small, commit-friendly file."""
    small = json.loads(json.dumps(summary))
    for configs in small["sizes"].values():
        for result in configs.values():
            result.pop("answers", None)
            result.pop("plan", None)
            result.pop("profile", None)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"matching-{date.today().isoformat()}.json"
    path.write_text(json.dumps(small, indent=1, sort_keys=True) + "\n")
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
