"""The booking page before the visit: the helper's three steps (contact with the customer's
number and a checklist, confirm, on my way), what the customer sees of them, a new time
proposed and answered, "another helper", and a no-show report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.bookings.plan_change_models import NoShowReport, RescheduleProposal

pytestmark = pytest.mark.django_db


def page(client, booking) -> str:
    return client.get(f"/bookings/{booking.pk}").content.decode()


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_helper_sees_the_number_a_checklist_and_ticks_contact_off(browser_as, booking, helper):
    client = browser_as(helper)
    html = page(client, booking)
    assert 'href="tel:+41 79 111 22 33"' in html
    assert "check the address: Badenerstrasse 12, 8004 Zürich" in html
    assert "Go through their description: Since yesterday." in html
    assert "Done: I contacted the customer" in html
    done = client.post(f"/bookings/{booking.pk}/contacted")
    html = client.get(done["Location"]).content.decode()
    assert "Noted: you contacted the customer." in html
    assert "Done: I contacted the customer" not in html


def test_the_customer_follows_confirmation_and_on_my_way_in_german(
    browser_as, booking, helper, customer
):
    with at(booking.starts_at - timedelta(hours=1)):
        as_helper = browser_as(helper)
        as_helper.post(f"/bookings/{booking.pk}/confirm")
        as_helper.post(f"/bookings/{booking.pk}/on-my-way", {"eta_minutes": "30"})
        arrival = timezone.localtime(timezone.now() + timedelta(minutes=30))
        html = page(browser_as(customer, "de"), booking)
    assert "hat den Besuch bestätigt" in html
    assert f"ist unterwegs. Ankunft etwa um {arrival:%H:%M}" in html


def test_a_new_time_is_proposed_on_the_page_and_accepted_by_the_other_side(
    browser_as, booking, helper, customer
):
    local = timezone.localtime(booking.starts_at + timedelta(days=1))
    proposed = browser_as(customer).post(
        f"/bookings/{booking.pk}/reschedule",
        {"action": "propose", "starts_at": local.strftime("%Y-%m-%dT%H:%M")},
    )
    assert proposed.status_code == 302
    assert RescheduleProposal.objects.get().starts_at == local
    html = page(browser_as(helper), booking)
    assert "Accept the new time" in html
    browser_as(helper).post(f"/bookings/{booking.pk}/reschedule", {"action": "accept"})
    assert Booking.objects.get(pk=booking.pk).starts_at == local


def test_the_customer_asks_for_another_helper_on_the_page(browser_as, booking, customer):
    with at(booking.starts_at - timedelta(hours=11)):
        client = browser_as(customer)
        assert "Ask for another helper" in page(client, booking)
        client.post(f"/bookings/{booking.pk}/another-helper")
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"


def test_a_no_show_is_reported_on_the_page_from_the_start_on(browser_as, booking, customer):
    client = browser_as(customer)
    assert "The helper did not come" not in page(client, booking)
    with at(booking.starts_at + timedelta(minutes=30)):
        assert "The helper did not come" in page(client, booking)
        client.post(f"/bookings/{booking.pk}/no-show", {"note": "Waited an hour."})
        html = page(client, booking)
    assert NoShowReport.objects.get().note == "Waited an hour."
    assert "A no-show was reported." in html


def test_a_partners_customer_signs_on_the_helpers_phone(browser_as, customer, helper):
    from tests.factories import make_booking, play_visit

    booking = make_booking(customer, helper)
    Booking.objects.filter(pk=booking.pk).update(partner_id=7, customer=None)
    play_visit(booking, until="checked_out")
    client = browser_as(helper, "de")
    html = page(client, booking)
    assert "Abnahme durch die Kundschaft auf deinem Handy" in html
    assert 'data-signature-for="signature-data"' in html
    client.post(
        f"/bookings/{booking.pk}/sign-off-on-site",
        {"method": "signature", "signer_name": "Anna Muster", "signature": "M1 1 L20 20 "},
    )
    assert Booking.objects.get(pk=booking.pk).state == "completed"
