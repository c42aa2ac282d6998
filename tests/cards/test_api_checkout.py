"""An app books by card or TWINT through the API, as the site does: the checkout lists what
the helper takes through the provider, booking by card answers with the provider's page to
save the card (charged only at settlement), and a customer who left it can ask again."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Booking
from quartier.cards.models import CardChoice, ChargeState, ProviderCharge
from quartier.events import outbox
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db


def test_an_app_books_by_card_and_the_card_is_charged_at_settlement(
    provider, deliver, connected_helper
):
    anna = make_customer(email="anna@example.com")
    offer = make_offer(connected_helper, make_request(anna))
    api = Api(anna)
    assert api.get(f"/offers/{offer.pk}/checkout").data["methods"] == [
        "transfer",
        "cash",
        "card",
        "twint",
    ]
    body = {"payment_method": "card", "return_url": "quartier-app://bookings/done"}
    booked = api.post(f"/offers/{offer.pk}/accept", body)
    assert booked.status_code == 201, booked.data
    assert booked.data["card_setup_url"].startswith(provider.url)
    booking = Booking.objects.get(pk=booked.data["id"])
    assert CardChoice.objects.get(booking=booking).kind == "card"
    # The customer left the provider's page: the app asks for it again.
    again = api.post(f"/bookings/{booking.pk}/card-setup", {})
    assert again.status_code == 200, again.data
    assert again.data["url"].startswith(provider.url)
    assert deliver(provider.complete_setup(booking.pk)).status_code == 200
    assert_problem(api.post(f"/bookings/{booking.pk}/card-setup", {}), 409, code="card_saved")

    play_visit(booking.pk)
    outbox.events_deliver()
    assert ProviderCharge.objects.get(booking=booking).state == ChargeState.SUCCEEDED


def test_twint_through_the_api_and_refusals(provider, deliver, connected_helper):
    anna = make_customer(email="anna@example.com")
    api = Api(anna)
    twint = make_offer(connected_helper, make_request(anna))
    booked = api.post(f"/offers/{twint.pk}/accept", {"payment_method": "twint"})
    assert booked.status_code == 201, booked.data
    assert booked.data["card_setup_url"] is None  # TWINT is paid when the job is settled
    assert CardChoice.objects.get(booking_id=booked.data["id"]).kind == "twint"
    not_card = api.post(f"/bookings/{booked.data['id']}/card-setup", {})
    assert_problem(not_card, 409, code="not_by_card")

    # A helper without a provider account takes no card: a field error, nothing booked.
    plain = make_helper(email="mia@example.com", postcode="8003")
    offer = make_offer(plain, make_request(anna, title="Second TV"))
    assert api.get(f"/offers/{offer.pk}/checkout").data["methods"] == ["transfer", "cash"]
    refused = api.post(f"/offers/{offer.pk}/accept", {"payment_method": "card"})
    assert_problem(refused, 422, code="provider_method_unavailable")
    assert not Booking.objects.filter(request=offer.request).exists()


def test_without_the_provider_the_checkout_offers_no_card():
    anna = make_customer(email="anna@example.com")
    offer = make_offer(make_helper(email="hans@example.com"), make_request(anna))
    api = Api(anna)
    assert api.get(f"/offers/{offer.pk}/checkout").data["methods"] == ["transfer", "cash"]
    refused = api.post(f"/offers/{offer.pk}/accept", {"payment_method": "card"})
    assert_problem(refused, 422, code="provider_method_unavailable")
    assert not Booking.objects.exists()
