"""The checkout pages: from an offer to a booking through a summary (lines, provider,
cancellation terms) and a choice (transfer or cash, a tip); the booking page keeps the tip
and method open until completion; the helper records cash; helpers price by the hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import Booking, Offer, OfferStatus
from quartier.bookings.offer_terms import OfferTerms
from quartier.bookings.services import offer_create
from quartier.bookings.visit import booking_sign_off
from tests.factories import make_customer, make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db


def lined_offer(helper, job) -> Offer:
    start = job.window_start + timedelta(hours=1)
    return offer_create(
        actor=helper,
        request_id=job.pk,
        proposed_start=start,
        proposed_end=start + timedelta(hours=2),
        terms=OfferTerms(
            lines=[
                {
                    "kind": "labour",
                    "label": "Mount the shelf",
                    "quantity": "1.5",
                    "unit_minor": 6000,
                },
                {"kind": "material", "label": "Wall plugs", "unit_minor": 800},
            ]
        ),
    )


def test_the_book_button_leads_to_a_checkout_that_books_with_the_choice(
    browser_as, customer, helper
):
    job = make_request(customer)
    offer = lined_offer(helper, job)
    client = browser_as(customer)
    request_page = client.get(f"/requests/{job.pk}").content.decode()
    assert f'<form method="get" action="/offers/{offer.pk}/accept">' in request_page

    checkout = client.get(f"/offers/{offer.pk}/accept").content.decode()
    assert "Check and book" in checkout
    assert "Mount the shelf" in checkout
    assert "Wall plugs" in checkout
    assert "CHF\xa098.00" in checkout  # 1.5 x 60.00 + 8.00
    assert "acts as a private person" in checkout
    assert "cancel free of charge until 24 hours before the start" in checkout
    assert "you owe the helper 50 % of your share: CHF\xa049.00" in checkout
    assert 'value="cash"' in checkout
    assert not Booking.objects.exists()  # looking books nothing

    done = client.post(
        f"/offers/{offer.pk}/accept", {"payment_method": "cash", "tip": "5.00"}, follow=True
    )
    booking = Booking.objects.get()
    assert (booking.payment_method, booking.tip_minor) == ("cash", 500)
    page = done.content.decode()
    assert "Booked! The helper now sees your address." in page
    assert "CHF\xa0103.00 · Cash" in page
    assert "incl. a tip of CHF\xa05.00" in page


def test_a_bad_tip_stays_on_the_checkout_and_books_nothing(browser_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    response = browser_as(customer).post(
        f"/offers/{offer.pk}/accept", {"payment_method": "transfer", "tip": "500"}
    )
    assert response.status_code == 422
    assert "The tip can be between 0 and the job" in response.content.decode()
    assert not Booking.objects.exists()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_the_german_checkout_names_a_private_provider_and_the_tax_relief_rule(browser_as):
    berlin = make_helper(
        email="bea@example.com", country="DE", postcode="10115", skills=["furniture-assembly"]
    )
    customer = make_customer(email="kim@example.com")
    job = make_request(customer, skill="furniture-assembly", country="DE", postcode="10117")
    offer = make_offer(berlin, job)
    page = browser_as(customer, "de").get(f"/offers/{offer.pk}/accept").content.decode()
    assert "Prüfen und buchen" in page
    assert "nach eigener Angabe Privatperson" in page
    assert "Widerrufsrecht" in page
    assert "Steuerermäßigung nach § 35a EStG" in page
    assert "Stornierung" in page


def test_the_swiss_checkout_has_no_withdrawal_notice(browser_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    page = browser_as(customer, "de-ch").get(f"/offers/{offer.pk}/accept").content.decode()
    assert "Prüfen und buchen" in page
    assert "Widerrufsrecht" not in page


def test_only_the_customer_reaches_the_checkout(browser_as, customer, helper, stranger):
    offer = make_offer(helper, make_request(customer))
    assert browser_as(stranger).get(f"/offers/{offer.pk}/accept").status_code == 404
    assert browser_as(helper).get(f"/offers/{offer.pk}/accept").status_code == 403


def test_the_customer_tips_later_and_the_helper_records_cash(browser_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    browser_as(customer).post(f"/offers/{offer.pk}/accept", {"payment_method": "transfer"})
    booking = Booking.objects.get()
    client = browser_as(customer)
    assert (
        "Add a tip or change how you pay" in client.get(f"/bookings/{booking.pk}").content.decode()
    )
    client.post(f"/bookings/{booking.pk}/payment", {"payment_method": "transfer", "tip": "4"})
    booking.refresh_from_db()
    assert booking.tip_minor == 400

    helper_page = browser_as(helper).get(f"/bookings/{booking.pk}").content.decode()
    assert "Add a tip" not in helper_page
    play_visit(booking, until="checked_in")
    assert (
        "The customer paid me in cash"
        in browser_as(helper).get(f"/bookings/{booking.pk}").content.decode()
    )
    browser_as(helper).post(f"/bookings/{booking.pk}/complete", {"paid_cash": "on"})
    booking_sign_off(actor=customer, booking_id=booking.pk)
    booking.refresh_from_db()
    assert (booking.state, booking.payment_method, booking.tip_minor) == ("completed", "cash", 400)
    after = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Add a tip or change how you pay" not in after


def test_a_helper_offers_by_the_hour_with_travel(browser_as, helper, customer):
    job = make_request(customer)
    start = timezone.localtime(job.window_start) + timedelta(hours=1)
    response = browser_as(helper).post(
        f"/helper/requests/{job.pk}",
        {
            "pricing": "hourly",
            "hourly_rate": "45",
            "hours": "2.5",
            "travel": "20",
            "vat_rate": "8.1",
            "proposed_start": start.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get()
    assert offer.pricing == "hourly"
    assert offer.price_minor == 11250 + 2000
    lines = [
        (line.kind, line.quantity, line.unit_minor, line.vat_rate) for line in offer.lines.all()
    ]
    assert [(k, str(q.normalize()), u, str(v.normalize())) for k, q, u, v in lines] == [
        ("labour", "2.5", 4500, "8.1"),
        ("travel", "1", 2000, "8.1"),
    ]


def test_an_hourly_offer_without_hours_is_refused_on_the_form(browser_as, helper, customer):
    job = make_request(customer)
    start = timezone.localtime(job.window_start) + timedelta(hours=1)
    response = browser_as(helper).post(
        f"/helper/requests/{job.pk}",
        {
            "pricing": "hourly",
            "hourly_rate": "45",
            "proposed_start": start.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Offer.objects.exists()
