"""Booking an offer: whether its helper can be booked right now (checked again when the
customer books: an offer may predate a hold or a lapsed vetting check), and its row."""

from __future__ import annotations

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile
from quartier.errors import Conflict
from quartier.events import record_event
from quartier.vetting.selectors import helper_vetted_for

from .checkout import CheckoutChoice
from .models import Booking, Offer


def helper_takes_bookings_check(offer: Offer) -> None:
    """Refuse while the helper is on a tax-data hold or another hold (e.g. commission over
    the limit), or no longer vetted for the skill (a required check expired or was added)."""
    if HelperProfile.objects.filter(
        user_id=offer.helper_id, tax_data_hold_since__isnull=False
    ).exists():
        raise Conflict("This helper takes no new bookings at the moment.", code="helper_on_hold")
    if hold_of(offer.helper_id) is not None:
        raise Conflict("This helper takes no new bookings at the moment.", code="helper_on_hold")
    if not helper_vetted_for(helper_id=offer.helper_id, skill_id=offer.request.skill_id):
        raise Conflict(
            "This helper's checks for this kind of work are not valid at the moment.",
            code="helper_not_vetted",
        )


def booking_row(offer: Offer, payment: CheckoutChoice) -> Booking:
    """The booking of `offer` on its terms, with the customer's choice at checkout, and its
    `booking.created` event (read by compliance, partners and the ledger)."""
    booking = Booking.objects.create(
        request=offer.request,
        offer=offer,
        helper_id=offer.helper_id,
        customer_id=offer.request.customer_id,
        starts_at=offer.proposed_start,
        ends_at=offer.proposed_end,
        price_minor=offer.price_minor,
        currency=offer.currency,
        payment_method=payment.method,
        tip_minor=payment.tip_minor,
        partner_id=offer.partner_id,
        partner_share_minor=offer.partner_share_minor,
        visit_fee_minor=offer.visit_fee_minor,
        slot=offer.slot,
    )
    record_event(
        "booking.created",
        booking_id=booking.pk,
        request_id=booking.request_id,
        helper_id=booking.helper_id,
        customer_id=booking.customer_id,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        price_minor=booking.price_minor,
        currency=booking.currency,
        payment_method=booking.payment_method,
        tip_minor=booking.tip_minor,
        **({"slot": booking.slot} if booking.request.is_multi else {}),
    )
    return booking
