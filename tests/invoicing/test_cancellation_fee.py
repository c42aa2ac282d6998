"""A late cancellation's fee is invoiced in the helper's name like a settled job: the
customer pays it to the helper by transfer against the invoice (with its QR-bill)."""

from __future__ import annotations

import pytest

from quartier.bookings.services import booking_cancel
from quartier.events.outbox import events_deliver
from quartier.invoicing.models import Invoice, InvoiceKind, InvoiceWithheld
from tests.factories import make_booking, make_customer, make_helper
from tests.invoicing.helpers import has, payout_profile, pdf_text

pytestmark = pytest.mark.django_db


def _late_cancellation(*, days: float = 0.3, status: str = "ch_unregistered"):
    helper = make_helper(postcode="8003", full_name="Helper Name")
    customer = make_customer(full_name="Clara Kundin", preferred_language="de")
    if status:
        payout_profile(helper, status)
    booking = make_booking(customer, helper, days=days, street_address="Badenerstrasse 12")
    booking_cancel(actor=customer, booking_id=booking.pk, reason="Plans changed")
    while events_deliver():
        pass
    return booking


def test_the_fee_of_a_late_cancellation_is_invoiced_in_the_helpers_name():
    booking = _late_cancellation()

    invoice = Invoice.objects.get(booking_id=booking.pk)
    assert invoice.kind == InvoiceKind.CUSTOMER_INVOICE
    assert invoice.total_minor == 4500  # half of the 90.00 price
    assert invoice.template == "ch_unregistered"
    text = pdf_text(invoice)
    assert has(text, "Rechnung im Namen und für Rechnung von Anna Muster")
    assert has(text, "Ausfallentschädigung für die späte Stornierung von")
    assert has(text, "Clara Kundin")
    assert has(text, "45.00")
    assert "MWST" not in text  # an unregistered Swiss helper's invoice names no VAT


def test_a_free_cancellation_gets_no_invoice_and_an_incomplete_profile_says_why():
    free = _late_cancellation(days=3)
    assert not Invoice.objects.filter(booking_id=free.pk).exists()

    late = _late_cancellation(status="")
    assert not Invoice.objects.filter(booking_id=late.pk).exists()
    assert InvoiceWithheld.objects.filter(booking_id=late.pk).exists()
