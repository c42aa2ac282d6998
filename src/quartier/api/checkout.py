"""The checkout summary of an offer: lines, who pays what, the provider, the terms.

Here, above payments, because the provider's kind (private person or business) is the
helper's declaration in their payout profile."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from quartier.accounts.auth import api_auth, current_user
from quartier.bookings.api import offer_out
from quartier.bookings.checkout import offer_checkout
from quartier.bookings.schemas import CancellationTermsOut, CheckoutOut
from quartier.web.provider import consumer_notice, provider_kind_of

router = Router(tags=["offers & bookings"], auth=api_auth)


@router.get("/offers/{offer_id}/checkout", response=CheckoutOut)
def checkout_summary(request: HttpRequest, offer_id: int) -> CheckoutOut:
    """For the customer, before accepting: the price lines and total, what a partner pays
    and what is left to the customer, whether the provider is a private person or a
    business (in Germany with what that means for consumer rights), the cancellation
    terms and the payment methods to choose from."""
    summary = offer_checkout(actor=current_user(request), offer_id=offer_id)
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
        consumer_notice=consumer_notice(kind, market),
        methods=summary.methods,  # type: ignore[arg-type]
        cancellation=CancellationTermsOut(
            free_hours=terms.free_hours,
            fee_percent=terms.fee_percent,
            fee_minor=terms.fee_minor,
            withdrawal_days=terms.withdrawal_days,
            dispute_days=terms.dispute_days,
            visit_fee_minor=terms.visit_fee_minor,
        ),
    )
