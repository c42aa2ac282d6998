"""`make run`'s process tree: supervisord keeps gunicorn and the worker alive.

One slow test (about 20 s): it migrates a fresh SQLite database, starts supervisord with
the repository's configuration, kills the web server with SIGKILL and waits for it to come
back, then stops everything with SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc")
def test_supervisor_restarts_a_killed_web_server_and_stops_both(tmp_path: Path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "QUARTIER_VAR_DIR": str(tmp_path),
        "QUARTIER_BIND": f"127.0.0.1:{port}",
        "DEBUG": "0",
        "WEB_CONCURRENCY": "1",
        "QUARTIER_THREADS": "2",
    }
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [BIN / "quartier", *command], env=env, cwd=ROOT, check=True, capture_output=True
        )
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
