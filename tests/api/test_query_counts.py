"""Queries per API call do not grow with what the answer lists (the calls the HTTP bench
drives: bench/http.py). Each is made with a few rows, then with four times as many: the
count must be the same and within the call's budget. A first call warms per-process caches.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quartier.accounts.services import api_token_create
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.partners.partner_client import CASE, partner_setup

#: Queries per call, whatever it lists. The matches: the bearer token, the request, its
#: pool, the engine's index scans, then one query for everything a match card shows
#: (profile, skill ratings and prices, verified badge, favourite). The partner calls: the key,
#: the cases with their notes and bookings, and the key's rate limit, which without Redis
#: counts in the database cache (eight statements with their savepoints, one more on
#: PostgreSQL for its advisory lock; none with Redis).
BUDGETS = {
    "matches": 7,
    "inbox": 5,
    "request": 2,
    "case list": 12,
    "case": 12,
}


def _count(call: Callable[[], int]) -> int:
    assert call() in (200, 201)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert call() == 200
    return len(captured.captured_queries)


def _member_calls(size: int, tag: str) -> dict[str, int]:
    customer = make_customer(email=f"customer-{tag}@example.ch")
    helpers = [
        make_helper(email=f"helper-{tag}-{n}@example.ch", postcode="8003", radius_km=20)
        for n in range(size)
    ]
    requests = [make_request(customer, days=2 + n) for n in range(size)]
    for helper in helpers:
        make_offer(helper, requests[0])
    as_customer = Client(headers={"authorization": f"Bearer {api_token_create(user=customer)}"})
    as_helper = Client(headers={"authorization": f"Bearer {api_token_create(user=helpers[0])}"})
    first = requests[0].pk

    def get(client: Client, path: str) -> Callable[[], int]:
        return lambda: client.get(f"/api/v1{path}").status_code

    return {
        "matches": _count(get(as_customer, f"/requests/{first}/matches")),
        "inbox": _count(get(as_helper, "/inbox/requests")),
        "request": _count(get(as_customer, f"/requests/{first}")),
    }


def _partner_calls(size: int, tag: str) -> dict[str, int]:
    setup = partner_setup(f"partner-{tag}")
    ids = []
    for n in range(size):
        answer = setup.api.post("/cases", CASE | {"reference": f"TT-{n}"})
        assert answer.status_code == 201, answer.data
        ids.append(answer.data["id"])
        setup.api.post(f"/cases/{ids[-1]}/notes", {"text": "Called the customer."})
    client = setup.api.client
    headers = {"Authorization": f"Bearer {setup.raw_key}"}

    def get(path: str) -> Callable[[], int]:
        return lambda: client.get(f"/api/v1/partner{path}", headers=headers).status_code

    counts = {"case list": _count(get("/cases?limit=50")), "case": _count(get(f"/cases/{ids[0]}"))}
    listed = json.loads(client.get("/api/v1/partner/cases", headers=headers).content)
    assert len(listed["items"]) == size
    return counts


@pytest.mark.django_db
def test_no_api_call_runs_a_query_per_row() -> None:
    counts: dict[str, list[int]] = {}
    for size, tag in ((2, "small"), (8, "large")):
        for call, n in (_member_calls(size, tag) | _partner_calls(size, tag)).items():
            counts.setdefault(call, []).append(n)

    growing = {call: n for call, n in counts.items() if n[0] != n[1]}
    assert growing == {}, f"queries grow with the rows listed: {growing}"
    budgets = dict(BUDGETS)
    if connection.vendor == "postgresql":  # the rate limit's advisory lock
        budgets["case list"] += 1
        budgets["case"] += 1
    over = {call: (n[1], budgets[call]) for call, n in counts.items() if n[1] > budgets[call]}
    assert over == {}, f"calls over their budget (queries, budget): {over}; all: {counts}"
