"""The whole marketplace loop through the HTTP API, as the README walks it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from quartier.accounts.models import User
from quartier.accounts.self_service import email_verification_token
from quartier.bookings.models import Booking
from quartier.jobs.models import RequestEvent
from tests.factories import arrive, window

pytestmark = pytest.mark.django_db


def register_and_login(anon, api_as, email, roles):
    created = anon.post(
        "/auth/register",
        {
            "email": email,
            "password": "correct horse battery staple",
            "full_name": "Eva Beispiel",
            "roles": roles,
            "phone": "+41 79 555 66 77",
        },
    )
    assert created.status_code == 201, created.data
    # The owner opens the verification link e-mailed at sign-up (needed before booking).
    user = User.objects.get(email=email)
    assert Client().post(f"/email/verify/{email_verification_token(user)}").status_code == 302
    login = anon.post("/auth/login", {"email": email, "password": "correct horse battery staple"})
    assert login.status_code == 200
    client = api_as(None)
    client.headers["Authorization"] = f"Bearer {login.data['token']}"
    return client, login.data["user"]


def test_request_to_closed_booking_through_the_api(anon, api_as):
    customer, _ = register_and_login(anon, api_as, "eva@example.com", ["customer"])
    helper, helper_user = register_and_login(anon, api_as, "tom@example.com", ["helper"])

    # The helper sets up shop in Zürich Wiedikon, 10 km around, TV and WLAN.
    profile = helper.put(
        "/me/helper-profile",
        {
            "country": "CH",
            "postcode": "8003",
            "service_radius_km": 10,
            "hourly_rate_minor": 4500,
            "languages": ["de", "en"],
            "accept_contractor_terms": True,
        },
    )
    assert profile.status_code == 200, profile.data
    assert profile.data["locality"].startswith("Zürich")
    assert profile.data["currency"] == "CHF"
    skills = helper.put("/me/skills", {"skills": [{"skill": "tv-set-top-box", "level": "expert"}]})
    assert [s["skill"] for s in skills.data] == ["tv-set-top-box"]

    # The customer posts a request in Zürich Aussersihl.
    start, end = window(days=3)
    posted = customer.post(
        "/requests",
        {
            "skill": "tv-set-top-box",
            "title": "TV box shows no picture",
            "description": "HDMI?",
            "country": "CH",
            "postcode": "8004",
            "street_address": "Badenerstrasse 12",
            "window_start": start.isoformat(),
            "window_end": end.isoformat(),
            "budget_minor": 12000,
        },
    )
    assert posted.status_code == 201, posted.data
    request_id = posted.data["id"]
    assert posted.data["state"] == "requested"
    assert posted.data["street_address"] == "Badenerstrasse 12"

    matches = customer.get(f"/requests/{request_id}/matches")
    assert [m["helper_id"] for m in matches.data] == [helper_user["id"]]
    assert "km away" in matches.data[0]["explanation"]

    # The helper finds it in the inbox, sees the locality but not the address.
    inbox = helper.get("/inbox/requests")
    assert [r["id"] for r in inbox.data] == [request_id]
    seen = helper.get(f"/requests/{request_id}").data
    assert seen["street_address"] is None
    assert seen["customer_phone"] is None
    assert seen["approx_distance_km"] >= 0.5

    offer = helper.post(
        f"/requests/{request_id}/offers",
        {
            "price_minor": 9000,
            "proposed_start": (start + timedelta(hours=1)).isoformat(),
            "proposed_end": (start + timedelta(hours=3)).isoformat(),
            "message": "Gerne!",
        },
    )
    assert offer.status_code == 201, offer.data
    assert customer.get(f"/requests/{request_id}").data["state"] == "offered"

    booked = customer.post(f"/offers/{offer.data['id']}/accept")
    assert booked.status_code == 201, booked.data
    booking_id = booked.data["id"]
    assert booked.data["state"] == "booked"
    assert booked.data["price_minor"] == 9000

    # Booked: now the helper sees the address and phone.
    seen = helper.get(f"/requests/{request_id}").data
    assert seen["street_address"] == "Badenerstrasse 12"
    assert seen["customer_phone"] == "+41 79 555 66 77"

    arrive(Booking.objects.get(pk=booking_id))  # the day of the visit
    checked_in = helper.post(f"/bookings/{booking_id}/check-in").data
    assert (checked_in["state"], checked_in["visit_state"]) == ("in_progress", "in_progress")
    checked_out = helper.post(f"/bookings/{booking_id}/check-out", {"outcome": "fixed"}).data
    assert checked_out["visit_state"] == "awaiting_sign_off"
    assert customer.post(f"/bookings/{booking_id}/sign-off").data["state"] == "completed"

    review = customer.post(
        f"/bookings/{booking_id}/reviews",
        {
            "rating": 5,
            "text": "Super!",
            "skill_ratings": [{"skill": "tv-set-top-box", "rating": 5}],
        },
    )
    assert review.status_code == 201, review.data
    back = helper.post(f"/bookings/{booking_id}/reviews", {"rating": 4})
    assert back.status_code == 201, back.data
    assert customer.get(f"/bookings/{booking_id}").data["state"] == "closed"

    public = anon.get(f"/helpers/{helper_user['id']}").data
    assert public["rating_count"] == 1
    assert public["skills"][0]["rating_average"] == 5.0
    states = list(
        RequestEvent.objects.filter(request_id=request_id).values_list("to_state", flat=True)
    )
    assert states == ["requested", "offered", "booked", "in_progress", "completed", "closed"]


def test_openapi_schema_and_docs_are_served(anon):
    schema = anon.get("/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/requests/{request_id}/matches" in schema.data["paths"]
    docs = anon.client.get("/api/v1/docs")
    assert docs.status_code == 200
