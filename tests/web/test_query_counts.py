"""Queries per page do not grow with what the page lists.

Each page is loaded for a customer and a helper with a few requests, offers, bookings and
helpers, then with four times as many: the number of queries must be the same (no query
per row), and stay within a small budget. A first load warms per-process caches (content
types, the legal documents' versions), so it is not counted.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quartier.accounts.models import User
from tests.factories import (
    make_booking,
    make_customer,
    make_helper,
    make_offer,
    make_request,
    play_visit,
)

#: Queries per page, whatever it lists: a page that needs more fails, so does one whose
#: count grows with its rows. Every signed-in page pays three: the session, the member and
#: the layout (unread notifications, partner link and legal texts in one query). The
#: customer's request page runs the matcher (the request's pool and its index scans), then
#: one query for all match cards (profiles, ratings, prices, badges, favourites); the
#: helper's view of a request checks that they may see it, their offers, their rate for the
#: skill (with their profile) and the partner's case. Pages that ask whose requests or
#: bookings the member sees read once whom they act for (households.access); the owner of a
#: request does not need to.
BUDGETS = {
    "/": 4,
    "/requests": 5,
    "/requests/{request}": 15,
    "/me": 6,
    "/notifications": 5,
    "/messages": 5,
    "/helper/inbox": 10,
    "/helper/bookings": 6,
    "/helper/earnings": 5,
    "/helper/requests/{request}": 12,
}

CUSTOMER_PAGES = ["/", "/requests", "/requests/{request}", "/me", "/notifications", "/messages"]
HELPER_PAGES = [
    "/helper/inbox",
    "/helper/bookings",
    "/helper/earnings",
    "/helper/requests/{request}",
]


def _world(size: int, tag: str) -> tuple[User, User, int]:
    """A customer with `size` requests and `size` completed bookings, the first request
    with an offer from each of `size` helpers; returns the customer, the first helper and
    the first request's id."""
    customer = make_customer(email=f"customer-{tag}@example.ch")
    helpers = [
        make_helper(email=f"helper-{tag}-{n}@example.ch", postcode="8003", radius_km=20)
        for n in range(size)
    ]
    requests = [make_request(customer, days=2 + n) for n in range(size)]
    for helper in helpers:
        make_offer(helper, requests[0])
    for n, helper in enumerate(helpers):
        play_visit(make_booking(customer, helper, days=30 + n).pk)
    return customer, helpers[0], requests[0].pk


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_no_page_runs_a_query_per_row(browser_as: Callable[..., Client]) -> None:
    counts: dict[str, list[int]] = {}
    for size, tag in ((2, "small"), (8, "large")):
        customer, helper, request_id = _world(size, tag)
        for who, pages in ((customer, CUSTOMER_PAGES), (helper, HELPER_PAGES)):
            client = browser_as(who)
            for page in pages:
                url = page.format(request=request_id)
                counts.setdefault(page, []).append(_queries(client, url))

    growing = {page: n for page, n in counts.items() if n[0] != n[1]}
    assert growing == {}, f"queries grow with the rows listed: {growing}"
    over = {page: (n[1], BUDGETS[page]) for page, n in counts.items() if n[1] > BUDGETS[page]}
    assert over == {}, f"pages over their budget (queries, budget): {over}; all: {counts}"
