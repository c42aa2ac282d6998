"""Choosing a helper in real Chromium, German, on phones: the customer marks a matched
helper as a favourite and invites her; the helper, told she was chosen, accepts at her own
price; the customer books her offer."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Booking
from quartier.dispatch.models import Invitation
from quartier.favourites.models import Favourite
from tests.factories import make_customer, make_helper
from tests.web.conftest import PHONE
from tests.web.journeys import MARKETS, WORDS, choose_language, log_in, post_request

pytestmark = pytest.mark.e2e


def logged_in(page_in, user):
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, user.email, "Anmelden")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def test_a_customer_invites_a_chosen_helper_who_accepts_and_is_booked(page_in, shoot):
    market, words = MARKETS["de"], WORDS["de"]
    helper = make_helper(
        email="hanna@example.com",
        full_name="Hanna Hilfreich",
        country=market.country,
        postcode=market.helper_postcode,
    )
    customer = make_customer(email="eva@example.com", full_name="Eva Beispiel")
    job = post_request(customer, market, "TV-Box zeigt kein Bild")

    customer_page = logged_in(page_in, customer)
    customer_page.goto(f"/requests/{job.pk}")
    match = customer_page.locator(".match").filter(has_text="Hanna Hilfreich")
    match.get_by_role("button", name="Zu Favoriten hinzufügen").click()
    customer_page.get_by_text("Zu deinen Favoriten hinzugefügt.").wait_for()
    match.get_by_text("♥ Favorit").wait_for()
    match.get_by_role("button", name="Hanna Hilfreich einladen").click()
    customer_page.get_by_text("Hanna ist eingeladen und antwortet dir hier.").wait_for()
    customer_page.get_by_text("Eingeladen: wartet auf Antwort").wait_for()
    shoot(customer_page, "de-choose-1-invited")
    assert Favourite.objects.filter(customer=customer, helper=helper).exists()

    helper_page = logged_in(page_in, helper)
    helper_page.goto("/helper/inbox")
    card = helper_page.locator(".invitation").filter(has_text="TV-Box zeigt kein Bild")
    card.get_by_text("Die Kundschaft hat dich ausgewählt").wait_for()
    shoot(helper_page, "de-choose-2-helper-invited")
    card.get_by_role("button", name="Annehmen zu 45,00\u00a0€ pro Stunde").click()
    helper_page.get_by_text(words["offer sent"]).wait_for()
    assert Invitation.objects.get(helper=helper).status == "accepted"

    customer_page.reload()
    customer_page.get_by_text("Hat mit einem Angebot geantwortet").wait_for()
    customer_page.get_by_role("button", name=words["book"]).first.click()
    customer_page.get_by_role("heading", name=words["checkout"]).wait_for()
    assert market.ninety in customer_page.locator("main").inner_text().replace("\xa0", " ")
    customer_page.get_by_role("button", name=words["book"]).click()
    customer_page.get_by_text(words["booked"]).wait_for()
    shoot(customer_page, "de-choose-3-booked")
    booking = Booking.objects.get(request=job)
    assert (booking.helper_id, booking.price_minor) == (helper.pk, 9000)
