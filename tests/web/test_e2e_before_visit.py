"""Before the visit in real Chromium, German, on phones: a customer follows their helper
from the confirmation to "on my way" — not confirmed yet, confirmed, then on the way with
the arrival time (no live tracking)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import Booking
from tests.factories import make_booking
from tests.web.conftest import PHONE
from tests.web.journeys import choose_language, log_in

pytestmark = pytest.mark.e2e


def logged_in(page_in, user):
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, user.email, "Anmelden")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def test_a_customer_follows_the_helper_from_confirmation_to_on_my_way(
    page_in, shoot, customer, helper
):
    booking = make_booking(customer, helper)
    # Booked two days ago for three hours from now: confirmation and "on my way" are open.
    start = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2), created_at=start - timedelta(days=2)
    )
    helper.full_name = "Hans Meier"
    helper.save(update_fields=["full_name"])
    url = f"/bookings/{booking.pk}"
    name = "Hans"

    customer_page = logged_in(page_in, customer)
    customer_page.goto(url)
    customer_page.locator(".before-visit .muted").get_by_text("Noch nicht bestätigt.").wait_for()
    # Not confirmed 12 hours ahead: the customer may ask for another helper.
    customer_page.get_by_role("button", name="Andere helfende Person anfragen").wait_for()
    shoot(customer_page, "de-before-visit-1-customer-waits")

    helper_page = logged_in(page_in, helper)
    helper_page.goto(url)
    helper_page.get_by_text("1. Kundschaft anrufen oder anschreiben").wait_for()
    helper_page.get_by_role("button", name="Bestätigen: Ich komme").click()
    helper_page.get_by_text("Bestätigt. Die Kundschaft wird informiert.").wait_for()

    customer_page.reload()
    customer_page.get_by_text(f"{name} hat den Besuch bestätigt.").wait_for()
    assert customer_page.get_by_role("button", name="Andere helfende Person anfragen").count() == 0
    shoot(customer_page, "de-before-visit-2-confirmed")

    helper_page.get_by_label("Ich bin da in").select_option("30")
    shoot(helper_page, "de-before-visit-3-helper-leaves")
    helper_page.get_by_role("button", name="Ich bin unterwegs").click()
    helper_page.get_by_text("Gute Fahrt!", exact=False).wait_for()
    arrival = timezone.localtime(timezone.now() + timedelta(minutes=30))

    customer_page.reload()
    status = customer_page.locator(".on-my-way")
    status.wait_for()
    text = status.inner_text()
    assert f"{name} ist unterwegs. Ankunft etwa um" in text
    shown = text.rsplit("um ", 1)[1].rstrip(".")
    hours, minutes = (int(part) for part in shown.split(":"))
    shown_at = arrival.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    assert abs(shown_at - arrival) <= timedelta(minutes=1)
    assert customer_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(customer_page, "de-before-visit-4-on-the-way")
