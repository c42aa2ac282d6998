"""Real processes on a real (SQLite) database: supervision and crash safety.

Two slow tests sharing one migrated database (copied for each):
supervisord restarts a web server killed with SIGKILL; and a web server killed with SIGKILL
in the middle of a load of bookings loses no acknowledged write and breaks no invariant.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> dict[int, str]:
    """Processes whose parent is `pid`, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                found[int(stat.parent.name)] = cmdline.decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


def _wait_until(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _env(var: Path, port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "QUARTIER_VAR_DIR": str(var),
        "QUARTIER_BIND": f"127.0.0.1:{port}",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A var directory with a migrated SQLite database, postcodes and static files. On a
    SQLite run the database is a copy of the run's migrated template (tests/dbtemplate.py);
    on PostgreSQL `quartier migrate` and `quartier import postcodes` make it here."""
    var = tmp_path_factory.mktemp("var")
    env = _env(var, 0)
    commands = [["collectstatic", "--no-input"]]
    if connection.vendor == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), var / "quartier.sqlite3")
    else:
        commands = [["migrate", "--no-input"], ["import", "postcodes"], *commands]
    for command in commands:
        subprocess.run(
            [BIN / "quartier", *command], env=env, cwd=ROOT, check=True, capture_output=True
        )
    return var


@pytest.fixture
def var(prepared: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "var"
    shutil.copytree(prepared, copy)
    return copy


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc")
def test_supervisor_restarts_a_killed_web_server_and_stops_both(var: Path):
    port = _free_port()
    env = _env(var, port) | {"WEB_CONCURRENCY": "1", "QUARTIER_THREADS": "2"}
    supervisor = subprocess.Popen(
        [BIN / "supervisord", "-c", "deploy/supervisord.conf"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        assert _wait_until(lambda: _healthy(health), 30), "the web server never answered"
        first = _children(supervisor.pid)
        web = next(pid for pid, cmd in first.items() if "gunicorn" in cmd)
        worker = next(pid for pid, cmd in first.items() if "worker" in cmd)

        os.kill(web, signal.SIGKILL)

        assert _wait_until(
            lambda: any("gunicorn" in c and p != web for p, c in _children(supervisor.pid).items()),
            20,
        ), "the web server was not restarted"
        assert _wait_until(lambda: _healthy(health), 30), "the restarted server does not answer"
        assert worker in _children(supervisor.pid)  # the worker did not go down with it
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=60)
    assert _children(supervisor.pid) == {}
    assert not _healthy(health)


SEED = """
import json
from quartier.accounts.services import api_token_create
from tests.factories import make_customer, make_helper
customer = make_customer(email="load@example.ch")
helper = make_helper(email="loadhelper@example.ch", skills=["tv-set-top-box"], radius_km=20)
print(json.dumps({"customer": api_token_create(user=customer),
                  "helper": api_token_create(user=helper)}))
"""

# What the database holds after the crash: every request and booking, and SQLite's verdict.
INSPECT = """
import json
from django.db import connection
from quartier.bookings.models import Booking
from quartier.jobs.models import JobRequest
with connection.cursor() as cursor:
    cursor.execute("PRAGMA integrity_check")
    integrity = cursor.fetchone()[0]
print(json.dumps({
    "integrity": integrity,
    "requests": {r.pk: r.state for r in JobRequest.objects.all()},
    "bookings": [
        {"id": b.pk, "request": b.request_id, "state": b.state,
         "start": b.starts_at.isoformat(), "end": b.ends_at.isoformat()}
        for b in Booking.objects.all()
    ],
}))
"""


def _django(script: str, env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [BIN / "quartier", "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _call(port: int, token: str, path: str, body: dict) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def _book_one(port: int, tokens: dict[str, str], day: int, acked: dict[str, list]) -> None:  # type: ignore[type-arg]
    from tests.factories import window

    start, end = window(days=day)
    status, posted = _call(
        port,
        tokens["customer"],
        "/requests",
        {
            "skill": "tv-set-top-box",
            "title": "TV box",
            "description": "No picture.",
            "country": "CH",
            "postcode": "8004",
            "street_address": "Badenerstrasse 12",
            "window_start": start.isoformat(),
            "window_end": end.isoformat(),
        },
    )
    if status != 201:
        return
    acked["requests"].append(posted["id"])
    offer_start = start + timedelta(hours=1)
    status, offer = _call(
        port,
        tokens["helper"],
        f"/requests/{posted['id']}/offers",
        {
            "price_minor": 9000,
            "proposed_start": offer_start.isoformat(),
            "proposed_end": (offer_start + timedelta(hours=2)).isoformat(),
        },
    )
    if status != 201:
        return
    status, booking = _call(port, tokens["customer"], f"/offers/{offer['id']}/accept", {})
    if status == 201:
        acked["bookings"].append((booking["id"], posted["id"]))


def test_a_killed_server_loses_no_acknowledged_booking_and_breaks_no_invariant(var: Path):
    port = _free_port()
    env = _env(var, port) | {"WEB_CONCURRENCY": "2", "QUARTIER_THREADS": "4"}
    tokens = _django(SEED, env)
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "quartier.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: one SIGKILL takes all workers
    )
    acked: dict[str, list] = {"requests": [], "bookings": []}  # type: ignore[type-arg]
    try:
        assert _wait_until(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), 30)

        def load(thread: int) -> None:
            for day in range(2 + thread, 60, 4):  # each thread its own days: no overlaps
                try:
                    _book_one(port, tokens, day, acked)
                # The server is gone: refused, reset, or cut off mid-body (IncompleteRead,
                # half a JSON document).
                except (OSError, http.client.HTTPException, ValueError):
                    return

        threads = [threading.Thread(target=load, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        # Bounded: kill once a few bookings are through, while the others are mid-flight.
        _wait_until(lambda: len(acked["bookings"]) >= 6, 60)
        os.killpg(server.pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)

    after = _django(INSPECT, env)
    assert after["integrity"] == "ok"
    requests = {int(k): v for k, v in after["requests"].items()}
    assert len(acked["bookings"]) >= 6
    assert set(acked["requests"]) <= set(requests)  # every acknowledged request is there
    bookings = {b["id"]: b for b in after["bookings"]}
    for booking_id, request_id in acked["bookings"]:
        assert bookings[booking_id]["state"] == "booked"
        assert requests[request_id] == "booked"
    live = [b for b in after["bookings"] if b["state"] in {"booked", "in_progress"}]
    # Booking and request agree; one live booking per request; the helper's never overlap.
    assert all(requests[b["request"]] in {"booked", "in_progress"} for b in live)
    assert len({b["request"] for b in live}) == len(live)
    spans = sorted((b["start"], b["end"]) for b in live)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
