"""Who may see and do what: outside one's scope is 404, a wrong party 403."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Offer
from quartier.jobs.models import JobRequest
from tests.factories import make_booking, make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


def test_helper_cannot_accept_an_offer_on_someone_elses_request(api_as, customer, helper):
    request = make_request(customer)
    offer = make_offer(helper, request)
    response = api_as(helper).post(f"/offers/{offer.pk}/accept")
    assert response.status_code == 403
    assert response.data["code"] == "not_your_request"
    offer.refresh_from_db()
    assert offer.status == "pending"
    assert JobRequest.objects.get(pk=request.pk).state == "offered"


def test_stranger_cannot_see_a_request_or_its_address(api_as, customer):
    request = make_request(customer)
    stranger = make_customer(email="mallory@example.com")
    far_helper = make_helper(email="far@example.com", postcode="10115", country="DE")
    for actor in (stranger, far_helper):
        response = api_as(actor).get(f"/requests/{request.pk}")
        assert response.status_code == 404
        assert "Badenerstrasse" not in response.content.decode()


def test_helper_sees_locality_but_not_address_until_booked(api_as, customer, helper):
    request = make_request(customer)
    before = api_as(helper).get(f"/requests/{request.pk}").data
    assert before["street_address"] is None
    assert before["customer_phone"] is None
    assert before["customer_name"] == "Anna"
    assert before["locality"]
    make_booking(customer, helper)  # a different request; this one stays unbooked
    assert api_as(helper).get(f"/requests/{request.pk}").data["street_address"] is None


def test_only_the_booked_helper_sees_the_address(api_as, customer, helper):
    rival = make_helper(email="rival@example.com", postcode="8004")
    request = make_request(customer)
    offer = make_offer(helper, request)
    make_offer(rival, request, hours_in=3)
    api_as(customer).post(f"/offers/{offer.pk}/accept")
    assert (
        api_as(helper).get(f"/requests/{request.pk}").data["street_address"] == "Badenerstrasse 12"
    )
    # The rival made an offer, so may still see the request, but never the address.
    rival_view = api_as(rival).get(f"/requests/{request.pk}")
    assert rival_view.status_code == 200
    assert rival_view.data["street_address"] is None


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


def test_matches_are_for_the_requests_customer_only(api_as, customer, helper):
    request = make_request(customer)
    assert api_as(helper).get(f"/requests/{request.pk}/matches").status_code == 403
    assert api_as(customer).get(f"/requests/{request.pk}/matches").status_code == 200


def test_unauthenticated_calls_get_401_problem(anon, customer):
    request = make_request(customer)
    response = anon.get(f"/requests/{request.pk}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == "not_authenticated"


def test_bad_token_is_401(api_as):
    client = api_as(None)
    client.headers["Authorization"] = "Bearer qt_not-a-real-token"
    assert client.get("/me").status_code == 401


def test_each_party_reviews_once(api_as, customer, helper):
    booking = make_booking(customer, helper)
    api_as(helper).post(f"/bookings/{booking.pk}/start")
    api_as(helper).post(f"/bookings/{booking.pk}/complete")
    client = api_as(customer)
    assert client.post(f"/bookings/{booking.pk}/reviews", {"rating": 5}).status_code == 201
    again = client.post(f"/bookings/{booking.pk}/reviews", {"rating": 1})
    assert again.status_code == 409
    assert again.data["code"] == "already_reviewed"
    assert list(booking.reviews.values_list("rating", flat=True)) == [5]
