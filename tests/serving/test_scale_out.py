"""Scale-out: two application servers and two workers over one PostgreSQL and one Redis.

The README says Quartier runs on several processes at once; this tries it. The test starts
two gunicorn servers (two worker processes each) and two `quartier worker`s (RQ tasks plus
the periodic ticks, every second) on loopback ports, over a database of its own, and checks
what must hold when work is spread over processes that share nothing but the database and
Redis:

- every webhook attempt is made once (a partner's receiver counts each message id);
- no dispatch wave is sent twice, and no helper is invited twice for one case;
- log-in throttling and the partner API's rate limit count across both servers;
- in a 200-way race for one helper's time, spread over both servers, one booking wins.

It runs where both services are configured (DATABASE_URL on PostgreSQL and REDIS_URL): CI's
"scale-out" step. About a minute: the processes are started once for the module.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.serving.test_processes import BIN, ROOT, _free_port, _healthy, _wait_until

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL and Path("/proc").exists()),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): CI's scale-out step",
)

DB_NAME = "quartier_scale_out"
RACERS = 200
CASES = 8
PARTNER_HELPERS = 4
RATE_LIMIT = 40
LOGIN_FAILURES = 5


@dataclass
class Receiver:
    """The partner's webhook receiver: every message id it got, with its attempt headers."""

    url: str = ""
    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Cluster:
    ports: list[int]
    env: dict[str, str]
    receiver: Receiver
    seed: dict[str, Any]


def _database_url(name: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _redis_url() -> str:
    """A Redis database of its own (index 7), so the suite's other runs never meet it."""
    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(path="/7"))


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(_redis_url()).flushdb()


SEED = """
import json
from django.utils import timezone
from quartier.accounts.services import api_token_create
from quartier.partners.integration.keys import api_key_create_unchecked
from quartier.partners.integration.services import endpoint_create
from quartier.partners.states import WebhookEvent
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.partners.factories import make_member, make_partner, make_program, make_qualified

partner = make_partner(slug="swisstel", name="SwissTel")
admin = make_member(partner)
program = make_program(partner, sla_first_offer_minutes=240, sla_completion_hours=72)
for n in range(PARTNER_HELPERS):
    helper = make_helper(email=f"crowd{n}@example.ch", postcode="8003",
                         skills=["internet-wlan"], radius_km=20)
    make_qualified(helper, program)
endpoint_create(actor=admin, partner=partner, url=RECEIVER,
                events=list(WebhookEvent.values))
_, cases_key = api_key_create_unchecked(partner=partner, name="cases")
_, limited_key = api_key_create_unchecked(partner=partner, name="rate limit")

make_customer(email="throttled@example.ch")
racer = make_helper(email="racer@example.ch", postcode="8003",
                    skills=["furniture-assembly"], radius_km=30)
offers = []
for n in range(RACERS):
    customer = make_customer(email=f"racer-customer{n}@example.ch")
    request = make_request(customer, skill="furniture-assembly", days=5)
    offer = make_offer(racer, request)  # every offer: the same two hours
    offers.append([offer.pk, api_token_create(user=customer)])
print(json.dumps({"cases_key": cases_key, "limited_key": limited_key, "offers": offers}))
"""


def _quartier(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [BIN / "quartier", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout


@contextlib.contextmanager
def _receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with state.lock:
                state.ids.append(self.headers["webhook-id"])
                state.types.append(json.loads(body)["type"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _env(var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "QUARTIER_VAR_DIR": str(var),
        "DATABASE_URL": _database_url(DB_NAME),
        "REDIS_URL": _redis_url(),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "QUARTIER_THREADS": "4",
        "QUARTIER_WEBHOOK_ALLOW_LOOPBACK": "1",
        "QUARTIER_TICK_SECONDS": "1",
        # One helper a wave, a wave every three seconds: several waves while the test looks.
        "QUARTIER_DISPATCH_WAVE_SIZE": "1",
        "QUARTIER_DISPATCH_MAX_WAVE_SIZE": "1",
        "QUARTIER_DISPATCH_WAVE_MINUTES": "0.05",
        "QUARTIER_PARTNER_RATE_LIMIT": str(RATE_LIMIT),
        "QUARTIER_LOGIN_MAX_FAILURES_ACCOUNT": str(LOGIN_FAILURES),
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    var = tmp_path_factory.mktemp("scale-out")
    _recreate_database()
    _flush_redis()
    with _receiver() as receiver:
        env = _env(var)
        _quartier(env, "migrate", "--no-input")
        _quartier(env, "import", "postcodes")
        _quartier(env, "collectstatic", "--no-input")
        script = SEED.replace("RECEIVER", repr(receiver.url))
        script = script.replace("PARTNER_HELPERS", str(PARTNER_HELPERS))
        script = script.replace("RACERS", str(RACERS))
        seed = json.loads(_quartier(env, "shell", "-c", script).strip().splitlines()[-1])
        ports = [_free_port(), _free_port()]
        processes = [
            subprocess.Popen(
                [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "quartier.wsgi"],
                env=env | {"QUARTIER_BIND": f"127.0.0.1:{port}"},
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=(var / f"web-{port}.log").open("w"),
            )
            for port in ports
        ] + [
            subprocess.Popen(
                [BIN / "quartier", "worker", "--tick-seconds", "1"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=(var / f"worker-{n}.log").open("w"),
            )
            for n in range(2)
        ]
        try:
            for port in ports:
                healthy = _wait_until(lambda p=port: _healthy(f"http://127.0.0.1:{p}/healthz"), 120)
                assert healthy, (var / f"web-{port}.log").read_text()[-3000:]
            yield Cluster(ports=ports, env=env, receiver=receiver, seed=seed)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def _call(
    port: int, path: str, body: dict[str, Any] | None = None, *, token: str = ""
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


CASE = {
    "program": "home-internet",
    "service": "router-setup",
    "contact_name": "Paula Kunde",
    "contact_phone": "+41 79 555 00 11",
    "country": "CH",
    "postcode": "8004",
    "street_address": "Badenerstrasse 1",
    "description": "The router blinks red.",
}


def _dispatch_facts() -> dict[str, Any]:
    """Read straight from the database (a Django shell per look would take seconds)."""
    import psycopg

    def counts(sql: str) -> list[int]:
        return sorted(row[0] for row in db.execute(sql).fetchall())

    cases = "d.request_id IN (SELECT request_id FROM partners_case)"
    with psycopg.connect(_database_url(DB_NAME)) as db:
        return {
            "waves_per_dispatch": counts(
                "SELECT count(*) FILTER (WHERE e.kind = 'wave') FROM dispatch_dispatch d"
                f" JOIN dispatch_dispatchevent e ON e.dispatch_id = d.id WHERE {cases}"
                " GROUP BY d.id"
            ),
            "same_wave": counts(
                "SELECT count(*) FROM dispatch_dispatchevent e JOIN dispatch_dispatch d"
                f" ON e.dispatch_id = d.id WHERE e.kind = 'wave' AND {cases}"
                " GROUP BY e.dispatch_id, e.wave"
            ),
            "same_helper": counts(
                "SELECT count(*) FROM dispatch_invitation i JOIN dispatch_dispatch d"
                f" ON i.dispatch_id = d.id WHERE {cases} GROUP BY i.dispatch_id, i.helper_id"
            ),
            "same_notice": counts(
                "SELECT count(*) FROM notifications_notification n JOIN accounts_user u"
                " ON n.user_id = u.id WHERE n.kind = 'invitation' AND u.email LIKE 'crowd%%'"
                " GROUP BY n.user_id, n.url"
            ),
            "attempts_per_delivery": counts(
                "SELECT count(*) FROM partners_webhookattempt GROUP BY delivery_id"
            ),
            "undelivered": counts(
                "SELECT count(*) FROM partners_webhookdelivery WHERE status <> 'succeeded'"
            ),
        }


def test_webhooks_once_and_waves_once_across_servers_and_workers(cluster: Cluster) -> None:
    created = []
    for n in range(CASES):
        status, case = _call(
            cluster.ports[n % 2],
            "/partner/cases",
            CASE | {"reference": f"SO-{n}", "contact_email": f"so-{n}@customers.example"},
            token=cluster.seed["cases_key"],
        )
        assert status == 201, case
        created.append(case["id"])

    # A wave every three seconds, from whichever worker's tick or task comes first.
    def two_waves_each() -> bool:
        waves = _dispatch_facts()["waves_per_dispatch"]
        return len(waves) == CASES and min(waves) >= 2

    assert _wait_until(two_waves_each, 120), _dispatch_facts()
    assert _wait_until(lambda: _dispatch_facts()["undelivered"] == [0], 60), _dispatch_facts()
    facts = _dispatch_facts()

    assert set(facts["same_wave"]) == {1}  # no (dispatch, wave) sent twice
    assert set(facts["same_helper"]) == {1}  # no helper invited twice for one case
    assert set(facts["same_notice"]) == {1}  # nor told twice
    assert set(facts["attempts_per_delivery"]) == {1}  # each delivery tried once: it got 200
    repeated = [i for i, count in Counter(cluster.receiver.ids).items() if count > 1]
    assert repeated == []  # the receiver got every message once
    assert cluster.receiver.types.count("case.created") == CASES
    assert cluster.receiver.types.count("case.matched") == CASES


def test_log_in_throttling_counts_failures_on_both_servers(cluster: Cluster) -> None:
    login = "/auth/login"
    wrong = {"email": "throttled@example.ch", "password": "not the password"}
    statuses = [_call(cluster.ports[n % 2], login, wrong)[0] for n in range(LOGIN_FAILURES)]
    assert statuses == [401] * LOGIN_FAILURES

    right = wrong | {"password": "correct horse battery staple"}
    # Locked on both: neither server counted only its own share of the failures.
    assert [_call(port, login, right)[0] for port in cluster.ports] == [429, 429]


def test_the_partner_rate_limit_is_shared_by_both_servers(cluster: Cluster) -> None:
    key = cluster.seed["limited_key"]
    statuses = [
        _call(cluster.ports[n % 2], "/partner/programs", token=key)[0]
        for n in range(RATE_LIMIT + 10)
    ]
    # One window, one count: the first RATE_LIMIT calls pass, whichever server took them.
    # (A minute boundary in the middle would reset the window: then a few more pass.)
    assert statuses.count(200) in range(RATE_LIMIT, RATE_LIMIT + 11)
    if statuses.count(200) == RATE_LIMIT:
        assert statuses == [200] * RATE_LIMIT + [429] * 10


def test_two_hundred_customers_racing_for_one_helpers_time_get_one_booking(
    cluster: Cluster,
) -> None:
    offers = cluster.seed["offers"]
    assert len(offers) == RACERS
    barrier = threading.Barrier(RACERS)
    results: list[int] = []

    def accept(n: int, offer_id: int, token: str) -> None:
        barrier.wait()
        status, _ = _call(cluster.ports[n % 2], f"/offers/{offer_id}/accept", {}, token=token)
        results.append(status)

    threads = [
        threading.Thread(target=accept, args=(n, offer_id, token))
        for n, (offer_id, token) in enumerate(offers)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started

    import psycopg

    with psycopg.connect(_database_url(DB_NAME)) as db:
        (booked,) = db.execute(
            "SELECT count(*) FROM bookings_booking b JOIN accounts_user u ON b.helper_id = u.id"
            " WHERE u.email = 'racer@example.ch' AND b.state = 'booked'"
        ).fetchone() or (0,)
    assert Counter(results) == {201: 1, 409: RACERS - 1}, (Counter(results), elapsed)
    assert booked == 1
    sys.stderr.write(f"\n200-way booking race over two servers: {elapsed:.1f} s\n")
