"""A weekly cleaning series in real Chromium, German, on phones: the customer repeats a
booking with their helper, the helper agrees, and the dates appear, each booked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.series.models import Occurrence
from tests.factories import make_booking, make_customer, make_helper
from tests.web.conftest import PHONE
from tests.web.journeys import choose_language, log_in

pytestmark = pytest.mark.e2e


def logged_in(page_in, user):
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, user.email, "Anmelden")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def test_a_customer_sets_up_a_weekly_cleaning_and_the_helper_agrees(page_in, shoot, db):
    customer = make_customer(email="anna@example.com", full_name="Anna Muster")
    helper = make_helper(
        email="lena@example.com", full_name="Lena Putz", skills=["cleaning"], postcode="8003"
    )
    booking = make_booking(customer, helper, skill="cleaning", title="Wohnung putzen", days=2)
    first = (timezone.localtime() + timedelta(days=7)).replace(hour=9, minute=0)

    anna = logged_in(page_in, customer)
    anna.goto(f"/bookings/{booking.pk}")
    anna.get_by_role("link", name="Regelmäßig wiederholen").click()
    anna.get_by_label("Wie oft").select_option("weekly")
    anna.get_by_label("Erster Termin").fill(first.strftime("%Y-%m-%dT%H:%M"))
    anna.get_by_label("Dauer in Minuten").fill("180")
    shoot(anna, "de-series-1-customer-repeats")
    anna.get_by_role("button", name="Serie vorschlagen").click()
    anna.get_by_text("Wartet auf die Zustimmung der anderen Seite.", exact=False).wait_for()
    series_url = anna.url

    lena = logged_in(page_in, helper)
    lena.goto(series_url)
    lena.get_by_text("Du wirst gebeten, dieser Serie zuzustimmen.", exact=False).wait_for()
    shoot(lena, "de-series-2-helper-is-asked")
    lena.get_by_role("button", name="Serie zustimmen").click()
    lena.get_by_text("Zugestimmt: Die nächsten Termine sind gebucht.").wait_for()

    anna.reload()
    dates = anna.locator("#occurrences > li")
    dates.first.wait_for()
    booked = Occurrence.objects.filter(state="booked").count()
    assert booked >= 7
    assert dates.count() == booked
    assert anna.locator("#occurrences .badge", has_text="Gebucht").count() == booked
    assert anna.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(anna, "de-series-3-dates-booked")
