"""The HTTP edge: Quartier served as in production, driven by concurrent clients on 127.0.0.1.

Run: python -m bench.http [--quick] [--sizes demo,100000] [--clients 8,64] [--seconds 6]
     [--database-url postgres://…/NAME] [--redis-url redis://…/N]

For each data set (the demo alone; the demo plus N synthetic helpers) it prepares a database
once (bench/http_data.py: cached under --tmp, copied fresh for each run), starts gunicorn with
deploy/gunicorn.conf.py — one worker process per core, QUARTIER_ENV=production settings apart
from TLS (QUARTIER_HTTPS=0), DEBUG off, a JSON access line per request (into the run's
gunicorn.log) — and drives each scenario with a closed loop of N clients (bench/http_load.py)
for --seconds after a short warm-up:

  hello          GET /healthz: the full middleware stack and a JSON view, the ceiling
  home           GET /  (a signed-in customer)
  request        GET /requests/<id>  (the customer's request page, with its matches)
  matches        GET /api/v1/requests/<id>/matches  (bearer token)
  inbox          GET /helper/inbox  (a signed-in helper)
  create request POST /api/v1/requests  (written and dispatched: the first wave invited)
  case create    POST /api/v1/partner/cases  (partner key; dispatched to the program's pool)
  case list      GET /api/v1/partner/cases

It prints p50 / p99, requests per second (per machine core and per core the server actually
used) and the CPU the load client itself used, then the targets MET / MISSED, and writes
bench/results/http-<date>.json. The partner API's rate limit is lifted for the run
(QUARTIER_PARTNER_RATE_LIMIT), since one key sends thousands of calls a minute here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.http_db import Store
from bench.http_load import drive
from bench.http_report import print_report, targets
from bench.http_scenarios import scenarios

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "http-bench-" + "0123456789abcdef" * 4
SIZES = {"demo": 0}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="40 demo helpers, demo + 10,000 "
                        "synthetic, 8 and 32 clients, 2 s per scenario: to try it")  # fmt: skip
    parser.add_argument("--sizes", help="data sets: demo and/or a number of synthetic helpers "
                        "added to the demo (default demo,100000)")  # fmt: skip
    parser.add_argument("--demo-helpers", type=int, help="the demo's helpers (default 200)")
    parser.add_argument("--clients", help="concurrent clients, comma-separated (default 8,64)")
    parser.add_argument("--seconds", type=float, help="measured seconds per scenario (6)")
    parser.add_argument("--only", help="scenarios to run, comma-separated (default all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/quartier-bench-http"))
    parser.add_argument("--fresh", action="store_true", help="prepare the databases again")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--database-url", help="postgres://…/NAME: PostgreSQL databases named "
                        "NAME_… instead of SQLite files (see bench/http_db.py)")  # fmt: skip
    parser.add_argument("--redis-url", help="redis://…/N: cache, rate limits and sessions in "
                        "Redis, as production runs (the database N is emptied)")  # fmt: skip
    args = parser.parse_args(argv)
    args.store = Store(args.database_url, args.redis_url)
    quick = args.quick
    args.sizes = args.sizes or ("demo,10000" if quick else "demo,100000")
    args.demo_helpers = args.demo_helpers or (40 if quick else 200)
    args.clients = [int(c) for c in (args.clients or ("8,32" if quick else "8,64")).split(",")]
    # 6 s + 1.5 s of warm-up: the full run (two data sets, 8 scenarios, 2 crowds) then
    # takes about 4 minutes, plus preparing the databases the first time (about 4 more).
    args.seconds = args.seconds or (2.0 if quick else 6.0)
    args.warmup = 0.5 if quick else 1.5
    return args


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _env(
    var: Path, port: int, workers: int, store: Store, key: str, *, redis: bool = True
) -> dict[str, str]:
    """The server's environment (and the preparing process's: the data does not depend on
    Redis, whose queue would only hold the demo's dispatch tasks)."""
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return (
        keep
        | {
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "quartier.settings",
            "QUARTIER_ENV": "production",
            "QUARTIER_HTTPS": "0",  # no TLS proxy in front of the bench
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "QUARTIER_VAR_DIR": str(var),
            "QUARTIER_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "QUARTIER_PARTNER_RATE_LIMIT": "100000000",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        | store.env(key, redis=redis)
    )


def _fingerprint() -> str:
    """What the prepared database depends on: migrations, the demo and this bench's data."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("src/quartier/*/migrations/*.py"))
    files += [*sorted(ROOT.glob("src/quartier/demo/*.py")), ROOT / "bench" / "http_data.py"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _prepared(args: argparse.Namespace, synthetic: int) -> Path:
    """A var directory with the prepared database, built once per fingerprint: the demo,
    and for synthetic helpers a copy of it with them added."""
    name = f"prepared-{args.demo_helpers}-{synthetic}-{_fingerprint()}{args.store.suffix}"
    var = args.tmp / name
    store: Store = args.store
    if args.fresh:
        shutil.rmtree(var, ignore_errors=True)
    if (var / "bench.json").exists() and store.exists(name):
        return var
    shutil.rmtree(var, ignore_errors=True)
    if synthetic:
        demo = _prepared(args, 0)
        shutil.copytree(demo, var)
        store.create(name, copy_of=demo.name)
        step = ["synthetic", str(var), str(synthetic)]
    else:
        var.mkdir(parents=True)
        store.create(name)
        step = ["demo", str(var), str(args.demo_helpers)]
    print(f"preparing {name} ({step[0]}) ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.http_data", *step],
        env=_env(var, 0, 1, store, name, redis=False) | {"LOG_LEVEL": "WARNING"},
        cwd=ROOT,
        check=True,
        stdout=sys.stderr,
    )
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
    return var


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(var: Path, workers: int, store: Store) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    store.flush_redis()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "quartier.wsgi"],
        env=_env(var, port, workers, store, var.name),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(var / "gunicorn.log").open("wb"),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            break
    _stop(server)
    raise RuntimeError(f"gunicorn did not answer; see {var / 'gunicorn.log'}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _run_size(args: argparse.Namespace, label: str, synthetic: int) -> dict[str, Any]:
    prepared = _prepared(args, synthetic)
    var = args.tmp / f"run-{label}"
    shutil.rmtree(var, ignore_errors=True)
    shutil.copytree(prepared, var)
    args.store.create(var.name, copy_of=prepared.name)
    fixtures = json.loads((var / "bench.json").read_text())
    server, port = _serve(var, args.workers, args.store)
    rows = []
    only = set(args.only.split(",")) if args.only else None
    try:
        for scenario in scenarios(fixtures):
            if only and scenario.name not in only:
                continue
            for clients in args.clients:
                row = drive(
                    port, server.pid, scenario, clients=clients, seconds=args.seconds,
                    warmup=args.warmup,
                )  # fmt: skip
                row["load"] = _load()
                rows.append(row)
                print(
                    f"  {label:>7} {scenario.name:<15} {clients:>3} clients: "
                    f"{row['rps']:>7.1f} req/s  p50 {row['p50_ms']:>6.1f} ms  "
                    f"p99 {row['p99_ms']:>7.1f} ms  errors {row['errors']}",
                    flush=True,
                )
    finally:
        _stop(server)
    return {
        "size": label,
        "demo_helpers": fixtures["demo_helpers"],
        "synthetic_helpers": synthetic,
        "synthetic_index_rows": fixtures["synthetic_index_rows"],
        "prepare": fixtures["prepare"],
        "rows": rows,
    }


def _no_nan(value: Any) -> Any:
    """JSON has no NaN: a latency with no answer in the window is written as null."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _arguments(argv)
    started, cpu = time.perf_counter(), time.process_time()
    summary: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_before": _load(),
        },
        "config": {
            "workers": args.workers,
            "threads": int(os.environ.get("QUARTIER_THREADS", "4")),
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "database": args.store.label,
            "quick": args.quick,
        },
        "sizes": [],
    }
    for size in args.sizes.split(","):
        synthetic = SIZES.get(size)
        synthetic = int(size) if synthetic is None else synthetic
        label = "demo" if synthetic == 0 else f"{synthetic // 1000}k"
        summary["sizes"].append(_run_size(args, label, synthetic))
    summary["machine"]["load_after"] = _load()
    summary["run"] = {
        "wall_s": round(time.perf_counter() - started, 1),
        "load_client_cpu_s": round(time.process_time() - cpu, 1),
    }
    summary["targets"] = targets(summary)
    print_report(summary)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"http-{summary['date'][:10]}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps(_no_nan(summary), indent=1) + "\n")
    print(f"written: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return summary


if __name__ == "__main__":
    main()
