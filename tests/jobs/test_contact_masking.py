"""Before a booking, phone numbers and e-mail addresses are masked where customer and
helper read each other's free text: offer messages and request descriptions (as in chat)."""

from __future__ import annotations

import pytest

from tests.factories import make_booking, make_request

pytestmark = pytest.mark.django_db

HIDDEN = "[…]"  # quartier.jobs.masking.HIDDEN
CONTACT = "Call me on +41 79 123 45 67 or write to anna.m@example.ch, thanks"


def test_an_unbooked_helper_reads_the_description_masked(api_as, customer, helper):
    request = make_request(customer, description=CONTACT)
    seen = api_as(helper).get(f"/requests/{request.pk}").data["description"]
    assert "123 45 67" not in seen
    assert "anna.m@example.ch" not in seen
    assert seen.count(HIDDEN) == 2
    assert seen.startswith("Call me on")
    # The customer's own text is kept whole, for them and (later) the booked helper.
    assert api_as(customer).get(f"/requests/{request.pk}").data["description"] == CONTACT
    request.refresh_from_db()
    assert request.description == CONTACT


def test_the_helpers_request_page_masks_the_description(client, customer, helper):
    request = make_request(customer, description=CONTACT)
    client.force_login(helper)
    page = client.get(f"/helper/requests/{request.pk}").content.decode()
    assert "anna.m@example.ch" not in page
    assert "123 45 67" not in page


def test_the_booked_helper_reads_the_description_whole(api_as, customer, helper):
    booking = make_booking(customer, helper, description=CONTACT)
    assert api_as(helper).get(f"/requests/{booking.request_id}").data["description"] == CONTACT


def test_an_offer_message_reaches_the_customer_masked(api_as, customer, helper):
    request = make_request(customer)
    made = api_as(helper).post(
        f"/requests/{request.pk}/offers",
        {
            "price_minor": 9000,
            "proposed_start": request.window_start.isoformat(),
            "proposed_end": request.window_end.isoformat(),
            "message": "Happy to help. " + CONTACT,
        },
    )
    assert made.status_code == 201, made.data
    (offer,) = api_as(customer).get(f"/requests/{request.pk}/offers").data
    assert offer["message"].startswith("Happy to help.")
    assert "123 45 67" not in offer["message"]
    assert "anna.m@example.ch" not in offer["message"]
