"""The withdrawal on the web, in German: the checkout's notice, model form and two unticked
boxes; the helper's check-in refused with words they understand; the customer's later
declarations; the button "Vertrag widerrufen", its confirmation page and "Widerruf
bestätigen"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from quartier.bookings.models import Booking, ConsumerContract
from tests.bookings.test_withdrawal import berlin_offer, book
from tests.factories import arrive

pytestmark = pytest.mark.django_db

BUTTON = 'id="withdraw">Vertrag widerrufen</a>'


def _boxes(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="(early_start|loss_acknowledged)"[^>]*>', page)


def test_the_german_checkout_shows_the_notice_and_two_unticked_boxes(browser_as):
    offer = berlin_offer()
    page = browser_as(offer.request.customer, "de").get(f"/offers/{offer.pk}/accept")
    html = page.content.decode()
    assert "Widerrufsbelehrung und Muster-Widerrufsformular" in html
    assert "Bernd Beispiel, Invalidenstraße 117, 10115 Berlin" in html
    assert "Hiermit widerrufe(n) ich/wir" in html
    boxes = re.findall(
        r'<input type="checkbox" name="(?:early_start|loss_acknowledged)"[^>]*>', html
    )
    assert len(boxes) == 2
    assert all("checked" not in box for box in boxes)  # never ticked in advance
    assert "Impressum" in html  # Quartier's own identity and contact
    assert "Dein Vertragspartner" in html


def test_the_private_helpers_checkout_says_consumer_rules_do_not_apply(browser_as):
    offer = berlin_offer(trader=False)
    html = browser_as(offer.request.customer, "de").get(f"/offers/{offer.pk}/accept")
    html = html.content.decode()
    assert "bei Privatpersonen gelten die Verbraucherschutzvorschriften nicht" in html
    assert not _boxes(html)
    assert "Muster-Widerrufsformular" not in html


def test_booking_without_boxes_then_consenting_on_the_booking_page(browser_as):
    offer = berlin_offer()
    customer = browser_as(offer.request.customer, "de")
    booked = customer.post(
        f"/offers/{offer.pk}/accept", {"payment_method": "transfer"}, follow=True
    )
    assert booked.status_code == 200
    html = booked.content.decode()
    assert "erst nach der 14-tägigen Widerrufsfrist einchecken" in html
    booking = arrive(Booking.objects.get(offer=offer))

    helper = browser_as(offer.helper, "de")
    refused = helper.post(f"/bookings/{booking.pk}/start", follow=True).content.decode()
    assert "noch nicht verlangt" in refused
    assert Booking.objects.get(pk=booking.pk).state == "booked"

    page = customer.get(f"/bookings/{booking.pk}").content.decode()
    assert len(_boxes(page)) == 2
    one = customer.post(f"/bookings/{booking.pk}/start-consent", {"early_start": "on"}, follow=True)
    assert "Kreuze beide Kästchen an" in one.content.decode()
    assert ConsumerContract.objects.get(booking=booking).early_start_requested_at is None
    customer.post(
        f"/bookings/{booking.pk}/start-consent",
        {"early_start": "on", "loss_acknowledged": "on"},
    )
    helper.post(f"/bookings/{booking.pk}/start")
    assert Booking.objects.get(pk=booking.pk).state == "in_progress"


def test_vertrag_widerrufen_then_widerruf_bestaetigen(
    browser_as, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    offer = berlin_offer(price=12000)
    booking = arrive(book(offer, boxes=True))
    browser_as(offer.helper).post(f"/bookings/{booking.pk}/start")
    customer = browser_as(offer.request.customer, "de")
    page = customer.get(f"/bookings/{booking.pk}").content.decode()
    assert BUTTON in page
    started = Booking.objects.get(pk=booking.pk).started_at
    with time_machine.travel(started + timedelta(minutes=30), tick=False):
        confirm = customer.get(f"/bookings/{booking.pk}/withdrawal").content.decode()
        assert "Widerruf bestätigen" in confirm
        assert "30,00" in confirm  # 30 of 120 minutes of 120.00 EUR, as of now
        assert "90,00" in confirm
        assert Booking.objects.get(pk=booking.pk).state == "in_progress"  # nothing yet
        with django_capture_on_commit_callbacks(execute=True):
            done = customer.post(f"/bookings/{booking.pk}/withdrawal", follow=True)
    html = done.content.decode()
    assert "Dein Widerruf ist am" in html
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"
    contract = ConsumerContract.objects.get(booking=booking)
    assert (contract.compensation_minor, contract.refund_minor) == (3000, 9000)
    assert BUTTON not in html  # the button is gone
    assert any("Widerruf ist eingegangen" in m.subject for m in mail.outbox)


def test_the_helper_sees_no_withdrawal_button(browser_as):
    offer = berlin_offer()
    booking = book(offer)
    page = browser_as(offer.helper, "de").get(f"/bookings/{booking.pk}").content.decode()
    assert BUTTON not in page
    assert browser_as(offer.helper).post(f"/bookings/{booking.pk}/withdrawal").status_code == 302
    assert Booking.objects.get(pk=booking.pk).state == "booked"
