"""A counter-offer in real Chromium, German, on phones: the customer counters a helper's
price, the helper accepts on their phone, the customer sees the offer at her price to book."""

from __future__ import annotations

import pytest

from quartier.bookings.counter_models import Counter
from quartier.bookings.models import Offer, OfferStatus
from tests.factories import make_customer, make_helper, make_offer
from tests.web.conftest import PHONE
from tests.web.journeys import MARKETS, choose_language, log_in, post_request

pytestmark = pytest.mark.e2e


def logged_in(page_in, user):
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, user.email, "Anmelden")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def fits_the_phone(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_customer_counters_and_the_helper_accepts(page_in, shoot):
    market = MARKETS["de"]
    helper = make_helper(
        email="hanna@example.com",
        full_name="Hanna Hilfreich",
        country=market.country,
        postcode=market.helper_postcode,
    )
    customer = make_customer(email="eva@example.com", full_name="Eva Beispiel")
    job = post_request(customer, market, "TV-Box zeigt kein Bild")
    make_offer(helper, job, price=12000)

    customer_page = logged_in(page_in, customer)
    customer_page.goto(f"/requests/{job.pk}")
    customer_page.get_by_role("link", name="Gegenangebot machen").click()
    customer_page.get_by_label("Dein Preis für den ganzen Auftrag").fill("95")
    assert fits_the_phone(customer_page)
    shoot(customer_page, "de-counter-1-form")
    customer_page.get_by_role("button", name="Gegenangebot senden").click()
    customer_page.get_by_text("Dein Gegenangebot ist an Hanna geschickt.").wait_for()
    customer_page.get_by_text("Wartet auf die Antwort").wait_for()
    assert Counter.objects.get().price_minor == 9500

    helper_page = logged_in(page_in, helper)
    helper_page.goto(f"/helper/requests/{job.pk}")
    helper_page.get_by_text("Das Gegenangebot der Kundschaft").wait_for()
    assert fits_the_phone(helper_page)
    shoot(helper_page, "de-counter-2-helper")
    helper_page.get_by_role("button", name="Gegenangebot annehmen").click()
    helper_page.get_by_text("Du hast das Gegenangebot angenommen").wait_for()

    customer_page.reload()
    customer_page.get_by_text("Deine Bedingungen: Dein Gegenangebot wurde angenommen").wait_for()
    customer_page.get_by_role("button", name="Hanna buchen").wait_for()
    shoot(customer_page, "de-counter-3-agreed")
    agreed = Offer.objects.get(request=job, status=OfferStatus.PENDING)
    assert agreed.price_minor == 9500
