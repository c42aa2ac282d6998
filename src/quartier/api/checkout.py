"""The checkout of an offer: the summary (lines, who pays what, the provider, the terms, the
consumer's rights) and the booking that ends it.

Here, above payments, because the provider's kind (private person or business) and whether
they are a trader — and so whether a German consumer may withdraw — are the helper's
declaration in their payout profile."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User
from quartier.bookings.api import booking_out, offer_out
from quartier.bookings.checkout import offer_checkout
from quartier.bookings.models import Offer
from quartier.bookings.schemas import BookingOut, CancellationTermsOut, CheckoutOut, OfferAcceptIn
from quartier.bookings.selectors import get_booking_for, get_offer_for
from quartier.bookings.services import offer_accept
from quartier.bookings.withdrawal import contract_preview
from quartier.bookings.withdrawal_api import rights_out
from quartier.bookings.withdrawal_notices import regime_text
from quartier.cards.config import provider_enabled
from quartier.cards.selectors import offer_provider_kinds
from quartier.cards.services import card_setup_start, offer_accept_by_provider
from quartier.errors import Conflict, Forbidden, QuartierError, field_error
from quartier.households.access import acts_for
from quartier.web.provider import consumer_notice, provider_kind_of, trader_of

router = Router(tags=["offers & bookings"], auth=api_auth)

_RETURN_URL = Field(
    default=None,
    max_length=500,
    description="card: where the provider's page sends the customer back (an https address "
    "or the app's own link); default: the booking's page on the site.",
)


class CheckoutAcceptIn(OfferAcceptIn):
    payment_method: Literal["transfer", "cash", "card", "twint"] = "transfer"  # type: ignore[assignment]
    return_url: str | None = _RETURN_URL


class AcceptedOut(BookingOut):
    card_setup_url: str | None = Field(
        default=None,
        description="card: the provider's page where the customer saves the card (it is "
        "charged only when the job is settled); also later from POST /bookings/{id}/card-setup.",
    )


class CardSetupIn(Schema):
    return_url: str | None = _RETURN_URL


class CardSetupOut(Schema):
    url: str


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
        methods=_methods(summary.methods, offer),  # type: ignore[arg-type]
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


def _methods(methods: list[str], offer: Offer) -> list[str]:
    """Transfer and cash, and card / TWINT where the helper takes payments through the
    provider (none when a partner pays everything)."""
    return [*methods, *offer_provider_kinds(offer)] if methods and provider_enabled() else methods


@router.post(
    "/offers/{offer_id}/accept",
    response={201: AcceptedOut},
    operation_id="quartier_bookings_api_accept_offer",
)
def accept_offer(
    request: HttpRequest, offer_id: int, payload: CheckoutAcceptIn | None = None
) -> Status[AcceptedOut]:
    """Book the offer (the checkout's last step): how the customer pays their share
    (transfer by default, cash, or — where the checkout lists them — card or TWINT through
    the payment provider) and an optional tip. By card, the answer's `card_setup_url` is the
    provider's page where the customer saves the card. With a German consumer's right of
    withdrawal, `early_start` and `loss_acknowledged` are the two declarations (both
    needed before the helper may check in inside the 14 days; they can follow later). Other
    offers are declined; the customer gets a confirmation e-mail with the contract."""
    actor = current_user(request)
    choice = payload or CheckoutAcceptIn()
    helper = get_offer_for(actor, offer_id).helper
    trader = trader_of(helper)
    if choice.payment_method in ("card", "twint"):
        if not provider_enabled():
            raise field_error(
                "payment_method",
                "Card and TWINT payments are not available here; choose another way.",
                code="provider_method_unavailable",
            )
        booking = offer_accept_by_provider(
            actor=actor,
            offer_id=offer_id,
            kind=choice.payment_method,
            tip_minor=choice.tip_minor,
            trader=trader,
            early_start=choice.early_start,
            loss_acknowledged=choice.loss_acknowledged,
        )
    else:
        booking = offer_accept(
            actor=actor,
            offer_id=offer_id,
            payment_method=choice.payment_method,
            tip_minor=choice.tip_minor,
            trader=trader,
            early_start=choice.early_start,
            loss_acknowledged=choice.loss_acknowledged,
        )
    setup_url = None
    if choice.payment_method == "card":
        try:  # booked either way: the app can ask for the page again (card-setup)
            setup_url = _card_setup(request, actor, booking.pk, choice.return_url)
        except QuartierError:
            setup_url = None
    out = booking_out(get_booking_for(actor, booking.pk))
    return Status(201, AcceptedOut(**out.dict(), card_setup_url=setup_url))


@router.post("/bookings/{booking_id}/card-setup", response=CardSetupOut)
def card_setup(
    request: HttpRequest, booking_id: int, payload: CardSetupIn | None = None
) -> CardSetupOut:
    """For the customer of a booking paid by card: the provider's page where they save the
    card (409 `not_by_card`, `card_saved`; `provider_off` where card payments are not set up)."""
    actor = current_user(request)
    booking = get_booking_for(actor, booking_id)  # 404 for anyone who is no party
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer saves a card.", code="wrong_party")
    if not provider_enabled():
        raise Conflict("Card payments are not set up here.", code="provider_off")
    return CardSetupOut(
        url=_card_setup(request, actor, booking_id, (payload or CardSetupIn()).return_url)
    )


def _card_setup(request: HttpRequest, actor: User, booking_id: int, return_url: str | None) -> str:
    back = return_url or request.build_absolute_uri(f"/bookings/{booking_id}")
    if "://" not in back:  # https, or the app's own scheme
        raise field_error("return_url", "Give an absolute address.", code="return_url_invalid")
    return card_setup_start(actor=actor, booking_id=booking_id, success_url=back, cancel_url=back)
