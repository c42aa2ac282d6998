"""The checkout of an offer: the summary (lines, who pays what, the provider, the terms, the
consumer's rights) and the booking that ends it.

Here, above payments, because the provider's kind (private person or business) and whether
they are a trader — and so whether a German consumer may withdraw — are the helper's
declaration in their payout profile."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.bookings.api import booking_out, offer_out
from quartier.bookings.checkout import offer_checkout
from quartier.bookings.schemas import BookingOut, CancellationTermsOut, CheckoutOut, OfferAcceptIn
from quartier.bookings.selectors import get_booking_for, get_offer_for
from quartier.bookings.services import offer_accept
from quartier.bookings.withdrawal import contract_preview
from quartier.bookings.withdrawal_api import rights_out
from quartier.bookings.withdrawal_notices import regime_text
from quartier.web.provider import consumer_notice, provider_kind_of, trader_of

router = Router(tags=["offers & bookings"], auth=api_auth)


@router.get("/offers/{offer_id}/checkout", response=CheckoutOut)
def checkout_summary(request: HttpRequest, offer_id: int) -> CheckoutOut:
    """For the customer, before accepting: the price lines and total, what a partner pays
    and what is left to the customer, whether the provider is a private person or a
    business (in Germany with what that means for consumer rights: the withdrawal notice
    and model form naming a trader, and the two declarations to tick), the cancellation
    terms and the payment methods to choose from."""
    actor = current_user(request)
    helper = get_offer_for(actor, offer_id).helper
    summary = offer_checkout(actor=actor, offer_id=offer_id, trader=trader_of(helper))
    offer = summary.offer
    kind = provider_kind_of(offer.helper)
    market = offer.request.country
    terms = summary.cancellation
    return CheckoutOut(
        offer=offer_out(offer),
        currency=offer.currency,
        price_minor=offer.price_minor,
        partner_share_minor=offer.partner_share_minor,
        customer_share_minor=summary.customer_share_minor,
        provider_kind=kind,  # type: ignore[arg-type]
        market=market,  # type: ignore[arg-type]
        consumer_notice=regime_text(summary.consumer.regime) or consumer_notice(kind, market),
        methods=summary.methods,  # type: ignore[arg-type]
        cancellation=CancellationTermsOut(
            free_hours=terms.free_hours,
            fee_percent=terms.fee_percent,
            fee_minor=terms.fee_minor,
            withdrawal_days=terms.withdrawal_days,
            dispute_days=terms.dispute_days,
            visit_fee_minor=terms.visit_fee_minor,
        ),
        consumer=rights_out(contract_preview(summary.consumer), title=offer.request.title),
    )


@router.post(
    "/offers/{offer_id}/accept",
    response={201: BookingOut},
    operation_id="quartier_bookings_api_accept_offer",
)
def accept_offer(
    request: HttpRequest, offer_id: int, payload: OfferAcceptIn | None = None
) -> Status[BookingOut]:
    """Book the offer (the checkout's last step): how the customer pays their share
    (transfer by default, or cash) and an optional tip. With a German consumer's right of
    withdrawal, `early_start` and `loss_acknowledged` are the two declarations (both
    needed before the helper may check in inside the 14 days; they can follow later). Other
    offers are declined; the customer gets a confirmation e-mail with the contract."""
    actor = current_user(request)
    choice = payload or OfferAcceptIn()
    helper = get_offer_for(actor, offer_id).helper
    booking = offer_accept(
        actor=actor,
        offer_id=offer_id,
        payment_method=choice.payment_method,
        tip_minor=choice.tip_minor,
        trader=trader_of(helper),
        early_start=choice.early_start,
        loss_acknowledged=choice.loss_acknowledged,
    )
    return Status(201, booking_out(get_booking_for(actor, booking.pk)))
