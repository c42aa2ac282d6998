"""What the HTTP bench's clients ask for (see bench/http.py), from the prepared log-ins."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.http_load import Build, Scenario

#: (country, postcode) where the bench customer posts new requests: the demo's cities.
PLACES = [("CH", "8004"), ("CH", "3011"), ("CH", "4051"), ("DE", "10115"), ("DE", "80331")]


def _get(path: str, headers: dict[str, str]) -> Build:
    return lambda n: ("GET", path, headers, None)


def _rotating(paths: list[str], headers: dict[str, str]) -> Build:
    return lambda n: ("GET", paths[n % len(paths)], headers, None)


def _json_post(path: str, headers: dict[str, str], body: Any) -> Build:
    sending = headers | {"Content-Type": "application/json"}
    return lambda n: ("POST", path, sending, json.dumps(body(n)).encode())


def scenarios(fixtures: dict[str, Any]) -> list[Scenario]:
    customer = {"Cookie": fixtures["customer_cookie"]}
    helper = {"Cookie": fixtures["helper_cookie"]}
    token = {"Authorization": f"Bearer {fixtures['customer_token']}"}
    partner = {"Authorization": f"Bearer {fixtures['partner_key']}"}
    ids: list[int] = fixtures["request_ids"]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=4)
    postcodes: list[str] = fixtures["case_postcodes"]

    def request_body(n: int) -> dict[str, Any]:
        country, postcode = PLACES[n % len(PLACES)]
        begins = start + timedelta(hours=n % 200)
        return {
            "skill": fixtures["skill"],
            "title": f"Bench request {n}",
            "description": "Posted by the HTTP bench.",
            "country": country,
            "postcode": postcode,
            "street_address": "Bahnhofstrasse 1",
            "window_start": begins.isoformat(),
            "window_end": (begins + timedelta(hours=4)).isoformat(),
        }

    def case_body(n: int) -> dict[str, Any]:
        return {
            "program": fixtures["program"],
            "service": fixtures["service"],
            "reference": f"BENCH-{n}",
            "contact_name": "Bench Customer",
            "contact_email": f"case{n % 500}@bench.example",
            "country": "CH",
            "postcode": postcodes[n % len(postcodes)],
            "street_address": "Bahnhofstrasse 1",
            "description": "The Internet-Box light is red.",
        }

    return [
        Scenario("hello", _get("/healthz", {})),
        Scenario("home", _get("/", customer)),
        Scenario("request", _rotating([f"/requests/{i}" for i in ids], customer)),
        Scenario("matches", _rotating([f"/api/v1/requests/{i}/matches" for i in ids], token)),
        Scenario("inbox", _get("/helper/inbox", helper)),
        Scenario(
            "create request",
            _json_post("/api/v1/requests", token, request_body),
            expect=201,
            writes=True,
        ),
        Scenario(
            "case create",
            _json_post("/api/v1/partner/cases", partner, case_body),
            expect=201,
            writes=True,
        ),
        Scenario("case list", _get("/api/v1/partner/cases?limit=50", partner)),
    ]
