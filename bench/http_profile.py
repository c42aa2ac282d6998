"""One HTTP bench scenario profiled in-process: where a request's time goes, end to end.

Run: python -m bench.http_profile [--scenario matches] [--requests 200] [--var DIR]

It copies a prepared data set of bench/http.py (run that first; by default the newest demo
under /tmp/quartier-bench-http), sets up Django as the bench's server does (production
settings without TLS, the same environment), then sends the scenario's requests through
Django's WSGI handler with cProfile on: middleware, session and token look-ups, the rate
limit, the matcher, serialisation, templates. It prints the queries of one request, the
time per request (wall and CPU) and the functions that took the most time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

from bench.http import _env
from bench.http_db import Store
from bench.http_scenarios import scenarios


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="matches")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--var", type=Path, help="a prepared directory of bench/http.py")
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/quartier-bench-http"))
    parser.add_argument("--sort", default="cumulative", help="pstats order (or tottime)")
    parser.add_argument("--top", type=int, default=45)
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    prepared = args.var or max(args.tmp.glob("prepared-*-0-*"), key=lambda p: p.stat().st_mtime)
    var = args.tmp / "profile"
    shutil.rmtree(var, ignore_errors=True)
    shutil.copytree(prepared, var)
    os.environ.update(_env(var, 0, 1, Store(None, None), var.name) | {"LOG_LEVEL": "WARNING"})
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    scenario = next(
        s
        for s in scenarios(json.loads((var / "bench.json").read_text()))
        if s.name == args.scenario
    )
    client = Client(HTTP_HOST="127.0.0.1")

    def send(n: int) -> int:
        method, path, headers, body = scenario.build(n)
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
        cookie = extra.pop("HTTP_COOKIE", None)
        if cookie:
            name, _, value = cookie.partition("=")
            client.cookies[name] = value
        if method == "GET":
            return client.get(path, **extra).status_code  # type: ignore[arg-type]
        kind = extra.pop("HTTP_CONTENT_TYPE", "application/json")
        return client.post(path, body, content_type=kind, **extra).status_code  # type: ignore[arg-type]

    for n in range(10):  # warm: connections, caches, templates
        assert send(n) == scenario.expect, send(n)
    with CaptureQueriesContext(connection) as captured:
        send(10)
    print(f"{len(captured.captured_queries)} queries in one {scenario.name} request:")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms", query["sql"][:150])
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(args.requests):
        send(11 + n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"\n{args.requests} requests: {wall / args.requests * 1000:.2f} ms wall, "
        f"{cpu / args.requests * 1000:.2f} ms CPU each (load {os.getloadavg()[0]:.1f})"
    )
    profiler = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for n in range(args.requests):
        send(11 + args.requests + n)
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"\n{args.requests} requests: {wall / args.requests * 1000:.2f} ms wall, "
        f"{cpu / args.requests * 1000:.2f} ms CPU each under the profiler"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
