"""The offers and bookings API: bad prices and times name the field and change nothing;
only the right party may accept, start or see (outside one's scope is 404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from quartier.bookings.models import Offer
from quartier.jobs.models import JobRequest
from tests.api_checks import assert_problem, snapshot
from tests.factories import (
    make_booking,
    make_customer,
    make_helper,
    make_offer,
    make_request,
)

pytestmark = pytest.mark.django_db


def offer_body(request, *, start_hours: float = 1, hours: float = 2, **changes: Any):
    start = request.window_start + timedelta(hours=start_hours)
    return {
        "price_minor": 9000,
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=hours)).isoformat(),
    } | changes


@pytest.mark.parametrize(
    ("timing", "changes", "fields"),
    [
        pytest.param({}, {"price_minor": 0}, {"price_minor"}, id="price-0"),
        pytest.param({}, {"price_minor": -9000}, {"price_minor"}, id="price-negative"),
        pytest.param({}, {"price_minor": 10_000_001}, {"price_minor"}, id="price-huge"),
        pytest.param({}, {"price_minor": "cheap"}, {"price_minor"}, id="price-string"),
        pytest.param({"start_hours": -2}, {}, {"proposed_start"}, id="starts-before-window"),
        pytest.param(
            {"start_hours": 7}, {}, {"proposed_start", "proposed_end"}, id="ends-after-window"
        ),
        pytest.param({"start_hours": 24 * 5}, {}, {"proposed_start"}, id="days-later"),
        pytest.param({"hours": -1}, {}, {"proposed_end"}, id="ends-before-start"),
        pytest.param({}, {"proposed_start": "2031-05-04T09:00:00"}, {"proposed_start"}, id="naive"),
    ],
)
def test_offer_refuses_bad_price_or_time(api_as, customer, helper, timing, changes, fields):
    request = make_request(customer)  # window: in two days, 8 hours long
    client = api_as(helper)
    before = snapshot()
    body = offer_body(request, **timing) | changes
    response = client.post(f"/requests/{request.pk}/offers", body)
    body = assert_problem(response, 422)
    assert fields & set(body["errors"]), body["errors"]
    assert snapshot() == before
    assert JobRequest.objects.get(pk=request.pk).state == "requested"


def test_offer_outside_the_window_says_so(api_as, customer, helper):
    request = make_request(customer)
    response = api_as(helper).post(
        f"/requests/{request.pk}/offers", offer_body(request, start_hours=-2)
    )
    body = assert_problem(response, 422, field="proposed_start")
    assert "window" in body["errors"]["proposed_start"][0]


def test_helper_cannot_accept_an_offer_on_someone_elses_request(api_as, customer, helper):
    request = make_request(customer)
    offer = make_offer(helper, request)
    response = api_as(helper).post(f"/offers/{offer.pk}/accept")
    assert response.status_code == 403
    assert response.data["code"] == "not_your_request"
    offer.refresh_from_db()
    assert offer.status == "pending"
    assert JobRequest.objects.get(pk=request.pk).state == "offered"


def test_helper_outside_radius_cannot_offer(api_as, customer):
    bern = make_helper(email="bern@example.com", postcode="3011", radius_km=10)
    request = make_request(customer)  # Zürich, 95 km away
    response = api_as(bern).post(
        f"/requests/{request.pk}/offers",
        {
            "price_minor": 5000,
            "proposed_start": request.window_start.isoformat(),
            "proposed_end": request.window_end.isoformat(),
        },
    )
    assert response.status_code == 404
    assert not Offer.objects.exists()


def test_customer_cannot_start_the_helpers_booking(api_as, customer, helper):
    booking = make_booking(customer, helper)
    response = api_as(customer).post(f"/bookings/{booking.pk}/start")
    assert response.status_code == 403
    assert response.data["code"] == "wrong_party"


def test_strangers_get_404_for_bookings_and_offers(api_as, customer, helper):
    booking = make_booking(customer, helper)
    stranger = make_customer(email="eve@example.com")
    client = api_as(stranger)
    assert client.get(f"/bookings/{booking.pk}").status_code == 404
    assert client.post(f"/bookings/{booking.pk}/cancel", {}).status_code == 404
    assert client.post(f"/offers/{booking.offer_id}/accept").status_code == 404
    assert client.post(f"/bookings/{booking.pk}/reviews", {"rating": 1}).status_code == 404
    assert not booking.reviews.exists()
