"""Illegal moves are refused with 409 and change nothing."""

from __future__ import annotations

import pytest

from quartier.jobs.models import JobRequest, RequestEvent
from tests.factories import arrive, make_booking, make_offer, make_request

pytestmark = pytest.mark.django_db


def snapshot(request_id):
    job = JobRequest.objects.get(pk=request_id)
    return job.state, RequestEvent.objects.filter(request_id=request_id).count()


def test_cannot_complete_a_booking_that_has_not_started(api_as, customer, helper):
    booking = make_booking(customer, helper)
    before = snapshot(booking.request_id)
    response = api_as(helper).post(f"/bookings/{booking.pk}/complete")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == "illegal_state"
    assert "booked" in response.data["detail"]
    assert snapshot(booking.request_id) == before


def test_cannot_start_twice(api_as, customer, helper):
    booking = arrive(make_booking(customer, helper))
    client = api_as(helper)
    assert client.post(f"/bookings/{booking.pk}/start").status_code == 200
    before = snapshot(booking.request_id)
    assert client.post(f"/bookings/{booking.pk}/start").status_code == 409
    assert snapshot(booking.request_id) == before


def test_cannot_accept_a_second_offer_once_booked(api_as, customer, helper):
    from tests.factories import make_helper

    other = make_helper(email="otto@example.com", postcode="8004")
    request = make_request(customer)
    first = make_offer(helper, request)
    second = make_offer(other, request, hours_in=3)
    client = api_as(customer)
    assert client.post(f"/offers/{first.pk}/accept").status_code == 201
    response = client.post(f"/offers/{second.pk}/accept")
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == "declined"
    assert JobRequest.objects.get(pk=request.pk).booked_helper_id == helper.pk


def test_cannot_offer_on_a_cancelled_request(api_as, customer, helper):
    request = make_request(customer)
    assert (
        api_as(customer).post(f"/requests/{request.pk}/cancel", {"reason": "fixed it"}).status_code
        == 200
    )
    # A cancelled request is no longer visible to helpers at all.
    response = api_as(helper).post(
        f"/requests/{request.pk}/offers",
        {
            "price_minor": 5000,
            "proposed_start": request.window_start.isoformat(),
            "proposed_end": request.window_end.isoformat(),
        },
    )
    assert response.status_code in (404, 409)
    assert not request.offers.exists()


def test_cancelled_booking_cannot_be_started(api_as, customer, helper):
    booking = make_booking(customer, helper)
    assert (
        api_as(customer).post(f"/bookings/{booking.pk}/cancel", {"reason": "ill"}).status_code
        == 200
    )
    response = api_as(helper).post(f"/bookings/{booking.pk}/start")
    assert response.status_code == 409
    assert snapshot(booking.request_id)[0] == "cancelled"
