"""Settled jobs, payout profiles and PDF text for the invoicing tests."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.invoicing.models import Invoice
from quartier.invoicing.selectors import invoice_pdf
from quartier.payments.mandate import MANDATE_VERSION
from quartier.payments.models import PayoutProfile
from tests.factories import make_booking, make_customer, make_helper

CH_IBAN = "CH9300762011623852957"
CH_QR_IBAN = "CH4431999123000889012"
DE_IBAN = "DE89370400440532013000"

PROFILES: dict[str, dict[str, Any]] = {
    "CH": {
        "legal_name": "Anna Muster",
        "street": "Langstrasse",
        "house_number": "10",
        "postcode": "8004",
        "town": "Zürich",
        "country": "CH",
        "iban": CH_IBAN,
        "account_holder": "Anna Muster",
    },
    "DE": {
        "legal_name": "Bernd Beispiel",
        "street": "Invalidenstraße",
        "house_number": "117",
        "postcode": "10115",
        "town": "Berlin",
        "country": "DE",
        "iban": DE_IBAN,
        "account_holder": "Bernd Beispiel",
    },
}


def payout_profile(helper: User, vat_status: str, **fields: Any) -> PayoutProfile:
    values = PROFILES[vat_status[:2].upper()] | {
        "vat_status": vat_status,
        "mandate_signed_at": timezone.now(),
        "mandate_version": MANDATE_VERSION,
    }
    if vat_status == "ch_registered":
        values["uid"] = "CHE-116.281.710"
    if vat_status in ("de_regular", "de_small"):
        values["tax_number"] = "21/815/08150"
    return PayoutProfile.objects.create(user=helper, **(values | fields))


def job(market: str = "CH", *, language: str = "de") -> Booking:
    """A booked job in Zurich (CH) or Berlin (DE), customer Clara Kundin."""
    country, postcode = ("CH", "8003") if market == "CH" else ("DE", "10115")
    helper = make_helper(country=country, postcode=postcode, full_name="Helper Name")
    customer = make_customer(full_name="Clara Kundin", preferred_language=language)
    return make_booking(
        customer,
        helper,
        country=country,
        postcode="8004" if market == "CH" else "10117",
        street_address="Badenerstrasse 12" if market == "CH" else "Friedrichstraße 43",
    )


def payload(booking: Booking, **v2: Any) -> dict[str, Any]:
    """A `job.settled` payload v2 for the booking (one labour line unless `lines` given)."""
    currency = "CHF" if booking.request.country == "CH" else "EUR"
    price = v2.pop("price_minor", 12000)
    base: dict[str, Any] = {
        "booking_id": booking.pk,
        "request_id": booking.request_id,
        "helper_id": booking.helper_id,
        "customer_id": booking.customer_id,
        "currency": currency,
        "settled_at": "2026-11-20T15:00:00+01:00",
        "price_minor": price,
        "tip_minor": 0,
        "method": "transfer",
        "partner_id": None,
        "partner_share_minor": 0,
        "skill_flags": [],
        "market": booking.request.country,
        "skill": "tv-set-top-box",
        "category": "tech",
        "helper_country": booking.request.country,
        "lines": [
            {
                "kind": "labour",
                "label": "TV-Box einrichten",
                "quantity": "2",
                "unit_minor": price // 2,
                "vat_rate": "0",
                "total_minor": price,
            }
        ],
    }
    return base | v2


def pdf_text(invoice: Invoice) -> str:
    reader = PdfReader(io.BytesIO(invoice_pdf(invoice)))
    return "\n".join(page.extract_text() for page in reader.pages)


def has(text: str, phrase: str) -> bool:
    """The phrase is in the text, whatever the line breaks and spacing around them."""
    return " ".join(phrase.split()) in " ".join(text.split())
