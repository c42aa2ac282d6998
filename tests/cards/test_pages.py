"""The pages: the helper connects at the provider from the payout page; the customer sees
card and TWINT at checkout only when the helper's account takes payments, saves the card
on the provider's page, and reads it all in German too."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.bookings.models import Booking
from quartier.cards.models import CardChoice, ConnectedAccount
from tests.factories import make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


def browser(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_the_payout_page_connects_the_helper_at_the_provider(provider):
    helper = make_helper(email="hans@example.com", postcode="8003")
    client = browser(helper)
    page = client.get("/helper/payout").content.decode()
    assert "Connect with Stripe" in page

    answer = client.post("/helper/payout/provider")

    account = ConnectedAccount.objects.get(helper=helper)
    assert answer.status_code == 302
    assert answer["Location"] == f"{provider.url}/onboarding/{account.account_ref}"
    assert "not finished checking" in client.get("/helper/payout").content.decode()
    german = browser(helper, "de").get("/helper/payout").content.decode()
    assert "Mit Stripe verbinden" in german


def test_without_the_provider_configured_nothing_about_cards_shows(settings):
    settings.STRIPE_API_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    helper = make_helper(email="hans@example.com", postcode="8003")
    assert "Stripe" not in browser(helper).get("/helper/payout").content.decode()
    assert browser(helper).post("/helper/payout/provider").status_code == 404


def test_checkout_offers_card_and_twint_and_a_card_is_saved_at_the_provider(
    provider, deliver, connected_helper
):
    customer = make_customer(email="anna@example.com")
    offer = make_offer(connected_helper, make_request(customer))
    client = browser(customer)
    checkout = client.get(f"/offers/{offer.pk}/accept").content.decode()
    assert 'value="card"' in checkout
    assert 'value="twint"' in checkout

    answer = client.post(f"/offers/{offer.pk}/accept", {"payment_method": "card"})

    booking = Booking.objects.get()
    assert booking.payment_method == "transfer"  # cashless, to the helper's own account
    assert CardChoice.objects.get(booking=booking).kind == "card"
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{provider.url}/pay/")
    page = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Save your card" in page
    assert "CHF\xa090.00 · Card" in page
    deliver(provider.complete_setup(booking.pk))
    german = browser(customer, "de").get(f"/bookings/{booking.pk}").content.decode()
    assert "Deine Karte ist hinterlegt" in german


def test_no_card_option_when_the_helper_is_not_connected(provider):
    helper = make_helper(email="hans@example.com", postcode="8003")
    customer = make_customer(email="anna@example.com")
    offer = make_offer(helper, make_request(customer))
    client = browser(customer)
    assert 'value="card"' not in client.get(f"/offers/{offer.pk}/accept").content.decode()

    answer = client.post(f"/offers/{offer.pk}/accept", {"payment_method": "card"})

    assert answer.status_code == 422
    assert not Booking.objects.exists()


def test_twint_is_not_offered_above_chf_5000(provider, deliver, connected_helper):
    customer = make_customer(email="anna@example.com")
    offer = make_offer(connected_helper, make_request(customer), price=5000_01)
    checkout = browser(customer).get(f"/offers/{offer.pk}/accept").content.decode()
    assert 'value="card"' in checkout
    assert 'value="twint"' not in checkout
