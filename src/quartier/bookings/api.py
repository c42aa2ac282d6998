"""Offers and bookings API: make, list, accept, change and withdraw offers; move bookings along."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user

from .billing import visit_bill
from .checkout import booking_payment_update
from .models import Booking, Offer
from .offer_changes import offer_change
from .offer_terms import OfferTerms, offer_lines
from .schemas import (
    BilledUnitsOut,
    BookingCancelIn,
    BookingCompleteIn,
    BookingOut,
    BookingPaymentIn,
    CheckInIn,
    CheckOutIn,
    OfferIn,
    OfferOut,
    PriceLineOut,
)
from .selectors import (
    booking_list_for,
    get_booking_for,
    offer_list_for_request,
    offer_outside_window,
)
from .services import (
    booking_cancel,
    booking_complete,
    booking_start,
    offer_create,
    offer_withdraw,
)
from .visit import booking_check_in, booking_check_out, booking_sign_off
from .withdrawal_api import booking_rights

router = Router(tags=["offers & bookings"], auth=api_auth)


def lines_out(offer: Offer) -> list[PriceLineOut]:
    return [PriceLineOut.model_validate(line.as_payload()) for line in offer_lines(offer)]


def offer_out(offer: Offer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        request_id=offer.request_id,
        helper_id=offer.helper_id,
        helper_name=offer.helper.full_name,
        price_minor=offer.price_minor,
        currency=offer.currency,
        proposed_start=offer.proposed_start,
        proposed_end=offer.proposed_end,
        message=offer.message,
        status=offer.status,
        created_at=offer.created_at,
        pricing=offer.pricing,
        lines=lines_out(offer),
        partner_share_minor=offer.partner_share_minor,
        replaces_id=offer.replaces_id,
        outside_window=offer_outside_window(offer),
        visit=offer.visit,
    )


def billed_units(booking: Booking) -> BilledUnitsOut | None:
    bill = visit_bill(booking)
    if bill is None:
        return None
    return BilledUnitsOut(
        units=bill.units,
        unit_minutes=bill.unit_minutes,
        minutes=bill.minutes,
        labour_minor=bill.labour_minor,
        price_minor=bill.price_minor,
    )


def booking_out(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        request_id=booking.request_id,
        offer_id=booking.offer_id,
        state=booking.request.state,
        helper_id=booking.helper_id,
        helper_name=booking.helper.full_name,
        customer_id=booking.customer_id,
        customer_name=booking.request.contact.full_name,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        price_minor=booking.price_minor,
        currency=booking.currency,
        visit_state=booking.state,
        started_at=booking.started_at,
        checked_out_at=booking.checked_out_at,
        minutes_worked=booking.minutes_worked,
        billed_units=billed_units(booking),
        completed_at=booking.completed_at,
        cancelled_at=booking.cancelled_at,
        outcome=booking.outcome,  # type: ignore[arg-type]  # checked in the db
        visit_fee_minor=booking.visit_fee_minor,
        slot=booking.slot,
        lines=lines_out(booking.offer),
        tip_minor=booking.tip_minor,
        payment_method=booking.payment_method,  # type: ignore[arg-type]  # checked in the db
        partner_id=booking.partner_id,
        partner_share_minor=booking.partner_share_minor,
        customer_pays_minor=booking.customer_pays_minor,
        consumer=booking_rights(booking),
    )


def _terms(payload: OfferIn) -> OfferTerms:
    return OfferTerms(
        pricing=payload.pricing,
        lines=None if payload.lines is None else [line.dict() for line in payload.lines],
        hourly_rate_minor=payload.hourly_rate_minor,
        estimated_hours=payload.estimated_hours,
        vat_rate=payload.vat_rate,
    )


@router.post("/requests/{request_id}/offers", response={201: OfferOut})
def make_offer(request: HttpRequest, request_id: int, payload: OfferIn) -> Status[OfferOut]:
    """For helpers who can serve the request: a time inside its window and a price — a
    total, price lines (labour, travel, consumables, material with their VAT rates), or
    hourly pricing (rate x estimated hours is the labour line). The total is always the
    sum of the lines; a bare price is one labour line. One open offer per helper: after
    withdrawing one (or when it was not chosen and the job came back), make a new one."""
    offer = offer_create(
        actor=current_user(request),
        request_id=request_id,
        price_minor=payload.price_minor,
        proposed_start=payload.proposed_start,
        proposed_end=payload.proposed_end,
        message=payload.message,
        terms=_terms(payload),
    )
    return Status(201, offer_out(offer))


@router.post("/offers/{offer_id}/change", response={201: OfferOut})
def change_offer(request: HttpRequest, offer_id: int, payload: OfferIn) -> Status[OfferOut]:
    """Change your open offer (price, time, message): it is withdrawn and the new one,
    which `replaces_id` links to it, is sent to the customer, in one step."""
    offer = offer_change(
        actor=current_user(request),
        offer_id=offer_id,
        price_minor=payload.price_minor,
        proposed_start=payload.proposed_start,
        proposed_end=payload.proposed_end,
        message=payload.message,
        terms=_terms(payload),
    )
    return Status(201, offer_out(offer))


@router.get("/requests/{request_id}/offers", response=list[OfferOut])
def list_offers(request: HttpRequest, request_id: int) -> list[OfferOut]:
    """The customer sees every offer; a helper sees their own."""
    actor = current_user(request)
    return [offer_out(o) for o in offer_list_for_request(actor=actor, request_id=request_id)]


@router.post("/offers/{offer_id}/withdraw", response=OfferOut)
def withdraw_offer(request: HttpRequest, offer_id: int) -> OfferOut:
    return offer_out(offer_withdraw(actor=current_user(request), offer_id=offer_id))


@router.get("/bookings", response=list[BookingOut])
def list_bookings(request: HttpRequest) -> list[BookingOut]:
    """Your bookings, as customer and as helper."""
    return [booking_out(b) for b in booking_list_for(actor=current_user(request))[:200]]


@router.get("/bookings/{booking_id}", response=BookingOut)
def get_booking(request: HttpRequest, booking_id: int) -> BookingOut:
    return booking_out(get_booking_for(current_user(request), booking_id))


@router.post(
    "/bookings/{booking_id}/check-in",
    response=BookingOut,
    operation_id="quartier_bookings_api_check_in",
)
def check_in(request: HttpRequest, booking_id: int, payload: CheckInIn | None = None) -> BookingOut:
    """For the booked helper, on arrival: at the earliest 30 minutes before the start (409
    `too_early`); an operator may check in earlier with a `reason`, which is audited."""
    reason = payload.reason if payload else ""
    actor = current_user(request)
    return booking_out(booking_check_in(actor=actor, booking_id=booking_id, reason=reason))


@router.post(
    "/bookings/{booking_id}/check-out",
    response=BookingOut,
    operation_id="quartier_bookings_api_check_out",
)
def check_out(
    request: HttpRequest, booking_id: int, payload: CheckOutIn | None = None
) -> BookingOut:
    """For the booked helper, leaving: records the time worked (an hourly job's labour line
    becomes the units worked) and asks the customer to sign off. `not_fixed` ("couldn't fix
    it") sends a public job back to dispatch (a new booking to come) and escalates a partner's
    case; only the booking's `visit_fee_minor` is then due, at sign-off (none: it closes)."""
    body = payload or CheckOutIn()
    booking = booking_check_out(
        actor=current_user(request),
        booking_id=booking_id,
        outcome=body.outcome,
        note=body.note,
        paid_cash=body.paid_cash,
    )
    return booking_out(booking)


@router.post(
    "/bookings/{booking_id}/sign-off",
    response=BookingOut,
    operation_id="quartier_bookings_api_sign_off",
)
def sign_off(request: HttpRequest, booking_id: int) -> BookingOut:
    """For the customer, once the helper checked out: confirms the work. The job is settled
    (invoice, payment) and reviews open. Without it (or a dispute) within 48 hours the
    booking is signed off automatically."""
    return booking_out(booking_sign_off(actor=current_user(request), booking_id=booking_id))


@router.post("/bookings/{booking_id}/start", response=BookingOut)
def start(request: HttpRequest, booking_id: int) -> BookingOut:
    """Alias of check-in, with the same guards."""
    return booking_out(booking_start(actor=current_user(request), booking_id=booking_id))


@router.post("/bookings/{booking_id}/complete", response=BookingOut)
def complete(
    request: HttpRequest, booking_id: int, payload: BookingCompleteIn | None = None
) -> BookingOut:
    """Alias of check-out with outcome fixed (`paid_cash` if the customer paid in cash)."""
    paid_cash = payload.paid_cash if payload else False
    actor = current_user(request)
    return booking_out(booking_complete(actor=actor, booking_id=booking_id, paid_cash=paid_cash))


@router.patch("/bookings/{booking_id}/payment", response=BookingOut)
def change_payment(request: HttpRequest, booking_id: int, payload: BookingPaymentIn) -> BookingOut:
    """For the customer, until the job is completed: the tip (all of it the helper's) and
    how they pay (transfer or cash). Not for a job the partner pays in full."""
    booking = booking_payment_update(
        actor=current_user(request),
        booking_id=booking_id,
        payment_method=payload.payment_method,
        tip_minor=payload.tip_minor,
    )
    return booking_out(get_booking_for(current_user(request), booking.pk))


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def cancel(request: HttpRequest, booking_id: int, payload: BookingCancelIn) -> BookingOut:
    """Either party, before the work starts. The customer cancelling later than the market's
    free period owes the fee the checkout showed (none for a German consumer within 14 days
    of booking); the helper cancelling sends the request back to dispatch."""
    actor = current_user(request)
    return booking_out(booking_cancel(actor=actor, booking_id=booking_id, reason=payload.reason))
