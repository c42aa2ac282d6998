"""A daughter in Berlin books and approves help for her father in Luzern, in real Chromium,
in German, on a phone: she accepts his invitation, posts a request for him, books an offer,
approves the helper's extra material during the visit and signs off. Everything is his (the
request, the booking, the invoice); he sees on his household page what she did."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.bookings.changes import change_propose
from quartier.bookings.models import Booking
from quartier.bookings.services import offer_create
from quartier.bookings.visit import booking_check_in, booking_check_out
from quartier.households.models import DelegateAct
from quartier.households.services import delegation_invite
from quartier.jobs.models import JobRequest
from tests.factories import arrive, make_customer, make_helper
from tests.web.conftest import PHONE
from tests.web.journeys import WORDS, choose_language, log_in

pytestmark = pytest.mark.e2e

WORDS_DE = WORDS["de"]


def logged_in(page_in, user):
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, user.email, "Anmelden")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def test_a_daughter_books_and_approves_for_her_father(page_in, shoot):
    father = make_customer(email="walter@example.ch", full_name="Walter Keller")
    daughter = make_customer(email="lena@example.de", full_name="Lena Keller")
    helper = make_helper(email="hans@example.ch", full_name="Hans Meier", postcode="6003")
    delegation_invite(actor=father, email=daughter.email)  # he asked her, from his account

    page = logged_in(page_in, daughter)
    page.goto("/me/household")
    page.get_by_text("Walter Keller bittet dich, für sie bzw. ihn zu handeln.").wait_for()
    shoot(page, "de-household-1-invitation")
    page.get_by_role("button", name="Annehmen").click()
    page.get_by_text("Du handelst jetzt für Walter Keller.").wait_for()
    page.get_by_role("link", name="Anfrage für Walter stellen").click()

    assert page.get_by_label("Für wen ist es?").input_value() == str(father.pk)
    page.get_by_label(WORDS_DE["skill"]).select_option("tv-set-top-box")
    page.get_by_label(WORDS_DE["title"]).fill("Fernseher zeigt kein Bild")
    page.get_by_label(WORDS_DE["country"]).select_option("CH")
    page.get_by_label(WORDS_DE["postcode"]).fill("6003")
    page.get_by_label(WORDS_DE["street"]).fill("Pilatusstrasse 5")
    shoot(page, "de-household-2-request-for-father")
    page.get_by_role("button", name=WORDS_DE["post"]).click()
    page.get_by_text("Hans Meier").first.wait_for()
    job = JobRequest.objects.get()
    assert job.customer_id == father.pk

    start = job.window_start + timedelta(hours=1)
    offer_create(
        actor=helper,
        request_id=job.pk,
        price_minor=9000,
        proposed_start=start,
        proposed_end=start + timedelta(hours=2),
    )
    page.reload()
    page.get_by_role("button", name=WORDS_DE["book"]).click()
    page.get_by_role("heading", name=WORDS_DE["checkout"]).wait_for()
    page.get_by_role("button", name=WORDS_DE["book"]).click()
    page.get_by_text(WORDS_DE["booked"]).wait_for()
    shoot(page, "de-household-3-booked")
    booking = Booking.objects.get()
    assert booking.customer_id == father.pk

    arrive(booking)
    booking_check_in(actor=helper, booking_id=booking.pk)
    line = {"kind": "material", "label": "HDMI-Kabel", "unit_minor": 1500}
    change_propose(actor=helper, booking_id=booking.pk, line=line, trader=None)
    page.goto(f"/bookings/{booking.pk}")
    change = page.locator(".changes li").first
    assert "HDMI-Kabel" in change.inner_text()
    shoot(page, "de-household-4-approve-for-father")
    change.get_by_role("button", name="Freigeben").click()
    page.get_by_text("Freigegeben.", exact=False).first.wait_for()

    booking_check_out(actor=helper, booking_id=booking.pk)
    page.reload()
    page.get_by_role("button", name=WORDS_DE["sign off"]).click()
    page.get_by_text(WORDS_DE["signed off"]).first.wait_for()
    shoot(page, "de-household-5-signed-off")

    acts = list(DelegateAct.objects.order_by("at", "id").values_list("action", flat=True))
    assert acts == ["request.post", "booking.book", "change.approve", "booking.sign_off"]
    his = logged_in(page_in, father)
    his.goto("/me/household")
    done = his.locator("#acts").inner_text()
    assert "Lena Keller für Walter Keller" in done
    assert "hat eine Änderung während des Einsatzes freigegeben" in done
    shoot(his, "de-household-6-father-sees-it")
