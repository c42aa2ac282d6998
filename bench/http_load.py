"""The HTTP bench's load client: N threads, one keep-alive connection each, for a while.

Each client sends its next request as soon as the previous answer is read (a closed loop),
so N bounds the requests in flight. Latency is measured from sending the request to having
read the whole answer; requests sent and answered within the measured window count (so
throughput is answers in the window over its length). A keep-alive connection the server
closed meanwhile (a recycled worker) is reopened and the request sent again, as browsers
do; any other failure, and any status other than the scenario's, counts as an error.
"""

from __future__ import annotations

import http.client
import itertools
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: (method, path, headers, body) for the n-th request of a scenario.
Build = Callable[[int], tuple[str, str, dict[str, str], bytes | None]]
_RETRIABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Scenario:
    name: str
    build: Build
    expect: int = 200
    writes: bool = False


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    reconnects: int = 0


def _server_cpu_seconds(pid: int) -> float:
    """CPU time of gunicorn's master, its reaped workers and its live workers."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own = int(stat.parent.name) == pid
        if own or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if own:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime (reaped)
    return total / tick


def _client(
    port: int,
    scenario: Scenario,
    counter: itertools.count[int],
    start: float,
    measure_from: float,
    stop: float,
    tally: _Tally,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < stop:
        method, path, headers, body = scenario.build(next(counter))
        sent = time.perf_counter()
        status = 0
        for attempt in (0, 1):
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                break
            except _RETRIABLE as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                if attempt == 1:
                    tally.errors[type(error).__name__] += 1
                else:
                    tally.reconnects += 1
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                tally.errors[type(error).__name__] += 1
                break
        done = time.perf_counter()
        if sent < measure_from or done > stop:
            continue  # warming up (connections, caches), or answered after the window
        tally.latencies.append(done - sent)
        tally.statuses[status] += 1
        if status and status != scenario.expect:
            tally.errors[f"HTTP {status}"] += 1
    connection.close()


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drive(
    port: int, server_pid: int, scenario: Scenario, *, clients: int, seconds: float, warmup: float
) -> dict[str, Any]:
    """Runs `clients` closed-loop clients for warmup + seconds; figures of the measured part."""
    counter = itertools.count()
    tallies = [_Tally() for _ in range(clients)]
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(port, scenario, counter, start, measure_from, stop, tally),
            daemon=True,
        )
        for tally in tallies
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu0, server0 = time.process_time(), _server_cpu_seconds(server_pid)
    time.sleep(max(0.0, stop - time.perf_counter()))
    client_cpu = time.process_time() - cpu0
    server_cpu = _server_cpu_seconds(server_pid) - server0
    wall = seconds
    for thread in threads:
        thread.join()
    latencies = sorted(x for t in tallies for x in t.latencies)
    errors: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for t in tallies:
        errors.update(t.errors)
        statuses.update(t.statuses)
    cores = os.cpu_count() or 1
    rps = len(latencies) / wall
    return {
        "scenario": scenario.name,
        "clients": clients,
        "requests": len(latencies),
        "seconds": round(wall, 2),
        "rps": round(rps, 1),
        "rps_per_core": round(rps / cores, 1),
        "server_cores_busy": round(server_cpu / wall, 2),
        "rps_per_server_core": round(rps / (server_cpu / wall), 1) if server_cpu else None,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "statuses": {str(k): v for k, v in statuses.items()},
        "reconnects": sum(t.reconnects for t in tallies),
        "client_cores_busy": round(client_cpu / wall, 2),
    }
