"""Why a helper is shown, and why not, in the reader's language: the customer's matches, the
helper's invitation card and the API (the caller's Accept-Language, else the member's own)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.accounts.models import HelperProfile
from quartier.bookings.services import offer_create
from quartier.dispatch.services import dispatch_tick
from quartier.matching.services import match_index_refresh
from tests.dispatch.conftest import make_crowd, start_dispatch
from tests.factories import make_customer, make_helper, make_request

pytestmark = pytest.mark.django_db


def test_api_matches_speak_the_members_language_unless_the_client_names_one(api_as, helper):
    customer = make_customer(email="greta@example.com")
    customer.preferred_language = "de"
    customer.save()
    request = make_request(customer)

    (german,) = api_as(customer, language=None).get(f"/requests/{request.pk}/matches").data
    (english,) = api_as(customer, language="en").get(f"/requests/{request.pk}/matches").data

    assert "km entfernt · neu in TV & Set-Top-Box" in german["explanation"]
    assert "km away · new in TV & set-top box" in english["explanation"]


def test_the_invitation_card_is_worded_for_the_helper_who_reads_it(api_as, browser_as):
    anna = make_customer(email="anna@example.com")
    helpers = make_crowd(3)
    request = make_request(anna, title="Set-top box has no signal")
    start_dispatch(request)
    dispatch_tick()  # the wave runs in the worker, with no reader's language
    invited = next(h for h in helpers if h.dispatch_invitations.exists())

    page = browser_as(invited, language="de").get("/helper/inbox").content.decode()
    (card,) = api_as(invited, language="en").get("/invitations").data

    assert "km entfernt" in page
    assert "km away" not in page
    assert "km away" in card["explanation"]


def test_why_not_in_german(api_as, customer):
    far = make_helper(email="far@example.com", postcode="8400", radius_km=50)  # Winterthur
    far.preferred_language = "de"
    far.save()
    request = make_request(customer, postcode="8004")
    # Having offered, the helper still sees the request after narrowing the radius.
    offer_create(
        actor=far,
        request_id=request.pk,
        price_minor=5000,
        proposed_start=request.window_start,
        proposed_end=request.window_start + timedelta(hours=1),
    )
    HelperProfile.objects.filter(user=far).update(service_radius_km=5)
    match_index_refresh(helper_id=far.pk)

    reasons = api_as(far, language=None).get(f"/requests/{request.pk}/why-not").data

    outside = next(r for r in reasons if r["code"] == "outside_radius")
    assert "außerhalb deines Radius von 5 km" in outside["message"], outside
