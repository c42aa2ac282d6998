"""The visit in real Chromium, German, on phones: the helper checks in at a Berlin customer's
home and proposes extra work; the customer approves it on the spot (the helper is a trader,
so with the withdrawal notice and both boxes); the helper checks out and the customer signs
off. Only then is the job settled, with the approved change on it."""

from __future__ import annotations

import pytest

from quartier.events.models import DomainEvent
from tests.factories import arrive
from tests.invoicing.helpers import job, payout_profile
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


def test_a_change_approved_on_the_spot_through_check_out_and_sign_off(page_in, shoot):
    booking = arrive(job("DE"))  # Clara Kundin in Berlin booked "Helper Name", due now
    payout_profile(booking.helper, "de_small")  # a Kleinunternehmer: a trader
    url = f"/bookings/{booking.pk}"

    helper = logged_in(page_in, booking.helper)
    helper.goto(url)
    helper.get_by_role("button", name=WORDS_DE["start"]).click()
    helper.get_by_text("Eingecheckt. Viel Erfolg!").wait_for()
    helper.get_by_text("Änderung vorschlagen").click()
    helper.get_by_label("Wofür").select_option("labour")
    helper.get_by_label("Was genau").fill("Wandhalterung montieren")
    helper.get_by_label("Preis pro Einheit, inkl. MwSt.").fill("49")
    shoot(helper, "de-visit-1-helper-proposes")
    helper.get_by_role("button", name="Kunden fragen").click()
    helper.get_by_text("Vorgeschlagen. Der Kunde wird um Freigabe gebeten.").wait_for()

    customer = logged_in(page_in, booking.customer)
    customer.goto(url)
    change = customer.locator(".changes li").first
    assert "Bernd Beispiel" in change.inner_text()  # the trader, named
    early = change.get_by_label("Ich verlange ausdrücklich", exact=False)
    loss = change.get_by_label("Mir ist bekannt", exact=False)
    assert not early.is_checked()
    assert not loss.is_checked()
    early.check()
    loss.check()
    shoot(customer, "de-visit-2-customer-approves")
    change.get_by_role("button", name="Freigeben").click()
    customer.get_by_text("Freigegeben. Eine Bestätigung kommt per E-Mail.").wait_for()
    assert "139,00" in customer.locator("main").inner_text()  # 90 + 49 EUR

    helper.reload()
    helper.get_by_role("button", name=WORDS_DE["done"]).click()
    helper.get_by_text(WORDS_DE["marked done"]).first.wait_for()

    customer.reload()
    customer.get_by_role("button", name=WORDS_DE["sign off"]).click()
    customer.get_by_text(WORDS_DE["signed off"]).first.wait_for()
    shoot(customer, "de-visit-3-signed-off")

    settled = DomainEvent.objects.get(kind="job.settled").payload
    assert settled["price_minor"] == 13900
    assert [line["label"] for line in settled["lines"]][-1] == "Wandhalterung montieren"
