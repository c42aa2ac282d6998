"""A partner's integration with Quartier, end to end, in one file.

    python examples/partner_client.py --base-url http://127.0.0.1:8000 --api-key qpk_...

What it does, as a partner's system would:
1. lists the partner's programs and picks a service;
2. starts a webhook receiver on a local port and registers it for every case event;
3. creates a case with an `Idempotency-Key`, then sends the very same request again (as a
   retry after a lost response would) and checks that the same case comes back;
4. waits for the signed `case.created` webhook and verifies its signature with the
   Standard Webhooks library (any language's Standard Webhooks library does the same);
5. reads the case and the weekly report.

Only the standard library and `standardwebhooks` are needed. Get an API key on the
partner's settings page (/partner/<slug>/settings/) or with `quartier partner_key <slug>`.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
import uuid
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

CASE_EVENTS = [
    "case.created",
    "case.matched",
    "case.booked",
    "case.started",
    "case.completed",
    "case.escalated",
    "case.cancelled",
    "case.rated",
]


class QuartierPartnerApi:
    """A tiny client for /api/v1/partner/: JSON in and out, problem+json raised as errors."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self.base = base_url.rstrip("/") + "/api/v1/partner"
        self.api_key = api_key

    def call(
        self, method: str, path: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> tuple[int, dict[str, str], Any]:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urlopen(request, timeout=30) as response:
                payload = response.read()
                return response.status, dict(response.headers), json.loads(payload or b"null")
        except HTTPError as error:
            problem = json.loads(error.read() or b"null")
            raise SystemExit(f"{method} {path} failed with {error.code}: {problem}") from None


class WebhookReceiver:
    """Receives webhooks on 127.0.0.1 and verifies each signature before trusting it."""

    def __init__(self) -> None:
        self.verified: queue.Queue[dict[str, Any]] = queue.Queue()
        self.rejected = 0
        self.secret: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    assert receiver.secret, "registered before any delivery"
                    event = Webhook(receiver.secret).verify(body, dict(self.headers))
                except (WebhookVerificationError, AssertionError):
                    receiver.rejected += 1
                    self.send_response(400)
                else:
                    receiver.verified.put(event)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/quartier-webhooks"

    def wait_for(self, event_type: str, case_id: int, timeout: float) -> dict[str, Any]:
        deadline = datetime.now() + timedelta(seconds=timeout)
        while (left := (deadline - datetime.now()).total_seconds()) > 0:
            try:
                event = self.verified.get(timeout=left)
            except queue.Empty:
                break
            if event["type"] == event_type and event["data"].get("case_id") == case_id:
                return event
        raise SystemExit(f"no verified {event_type} webhook for case {case_id} in {timeout:.0f} s")


def run(base_url: str, api_key: str, *, postcode: str, webhook_timeout: float) -> int:
    api = QuartierPartnerApi(base_url, api_key)

    _, _, programs = api.call("GET", "/programs")
    program, service = next(
        (p, s)
        for p in programs
        for s in p["services"]
        if any(r["country"] == "CH" for r in p["regions"])
    )
    print(f"program {program['slug']}, service {service['code']} ({service['name']})")

    receiver = WebhookReceiver()
    _, _, endpoint = api.call(
        "POST",
        "/webhooks",
        {"url": receiver.url, "events": CASE_EVENTS, "description": "example client"},
        idempotency_key=str(uuid.uuid4()),
    )
    receiver.secret = endpoint["secret"]
    print(f"webhook endpoint {endpoint['id']} -> {receiver.url}")

    case_body = {
        "program": program["slug"],
        "service": service["code"],
        "reference": f"EX-{uuid.uuid4().hex[:8].upper()}",
        "contact_name": "Erika Beispiel",
        "contact_email": "erika.beispiel@example.com",
        "country": "CH",
        "postcode": postcode,
        "street_address": "Bahnhofstrasse 1",
        "description": "The new router is installed but the WLAN drops every few minutes.",
        "products": [
            {
                "kind": "router",
                "model": "Internet-Box 4",
                "diagnostics": {"wan": "up", "wlan_2_4ghz": "drops every few minutes"},
            }
        ],
    }
    key = str(uuid.uuid4())
    status, _, case = api.call("POST", "/cases", case_body, idempotency_key=key)
    print(f"created case {case['id']} ({status}), reference {case['reference']}")
    status, headers, replay = api.call("POST", "/cases", case_body, idempotency_key=key)
    replayed = headers.get("Idempotent-Replayed", "false")
    if replay["id"] != case["id"]:
        raise SystemExit("the retry with the same Idempotency-Key created a second case")
    print(f"retry with the same key: case {replay['id']} again ({status}, replayed={replayed})")

    event = receiver.wait_for("case.created", case["id"], webhook_timeout)
    print(f"verified webhook {event['type']} for case {event['data']['case_id']}")

    _, _, current = api.call("GET", f"/cases/{case['id']}")
    print(f"case {current['id']} is {current['state']}, SLA {current['sla_status']}")

    _, _, report = api.call("GET", "/reports?period=week")
    for row in report["rows"][:3]:  # the newest first
        print(
            f"report {row['period']} {row['region']} {row['program']}: {row['cases']} cases, "
            f"resolution {row['resolution_rate']}, escalation {row['escalation_rate']}, "
            f"visits avoided {row['visits_avoided']}"
        )
    print(f"webhooks rejected for a bad signature: {receiver.rejected}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--postcode", default="8004", help="a Swiss postcode in the program")
    parser.add_argument("--webhook-timeout", type=float, default=60)
    args = parser.parse_args(argv)
    return run(
        args.base_url, args.api_key, postcode=args.postcode, webhook_timeout=args.webhook_timeout
    )


if __name__ == "__main__":
    sys.exit(main())
