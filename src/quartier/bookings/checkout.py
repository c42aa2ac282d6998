"""Checkout: between the customer's choice of an offer and the booking.

The customer sees the price lines, who pays what (a partner may pay all or a share), the
cancellation terms, and chooses how to pay their share — bank transfer against the
invoice Quartier issues in the helper's name (the default), or cash — and an optional tip.
The tip is the helper's alone (no commission) and may be changed until the job is
completed; so may the payment method. The helper may record a cash payment on completion.
When the partner pays the whole price the customer pays nothing and has no checkout.
What the consumer rules are (a German consumer's right of withdrawal from a trader, the
urgent-repair exception, a private provider) comes with the summary: see `withdrawal`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, field_error
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act

from .cancellation import CancellationTerms, offer_cancellation_terms
from .changes import Trader
from .models import Booking, Offer, PaymentMethod
from .offer_terms import offer_lines
from .pricing import Line
from .selectors import get_booking_for, get_offer_for
from .states import LIVE, BookingState, VisitOutcome
from .withdrawal import ConsumerTerms, consumer_terms
from .withdrawal_models import Regime

#: Until sign-off (the settlement) the customer may still change the tip and the method.
UNSETTLED = LIVE | {BookingState.AWAITING_SIGN_OFF}

#: What a customer may choose at checkout (the partner's method is never chosen).
CUSTOMER_METHODS = (PaymentMethod.TRANSFER, PaymentMethod.CASH)


@dataclass(frozen=True, slots=True)
class CheckoutChoice:
    method: str
    tip_minor: int


@dataclass(frozen=True, slots=True)
class CheckoutSummary:
    offer: Offer
    lines: list[Line]
    partner_pays_all: bool
    methods: list[str]
    cancellation: CancellationTerms
    consumer: ConsumerTerms

    @property
    def customer_share_minor(self) -> int:
        return self.offer.price_minor - self.offer.partner_share_minor


def _partner_pays_all(offer: Offer | Booking) -> bool:
    return offer.partner_share_minor == offer.price_minor


def _check_tip(tip_minor: int, price_minor: int) -> None:
    if not 0 <= tip_minor <= price_minor:
        raise field_error(
            "tip_minor",
            "The tip can be between 0 and the job's price.",
            code="tip_out_of_range",
        )


def _check_method(payment_method: str) -> None:
    if payment_method not in CUSTOMER_METHODS:
        raise field_error(
            "payment_method",
            "Choose bank transfer or cash.",
            code="unknown_payment_method",
        )


def checkout_choice(
    offer: Offer, *, payment_method: str = PaymentMethod.TRANSFER, tip_minor: int = 0
) -> CheckoutChoice:
    """The customer's choice, checked; 'partner' (and no tip) when the partner pays all."""
    if _partner_pays_all(offer):
        if tip_minor:
            raise field_error(
                "tip_minor",
                "The partner pays this job: there is nothing to pay a tip with.",
                code="tip_not_payable",
            )
        return CheckoutChoice(PaymentMethod.PARTNER, 0)
    _check_method(payment_method)
    _check_tip(tip_minor, offer.price_minor)
    return CheckoutChoice(payment_method, tip_minor)


def offer_checkout(*, actor: User, offer_id: int, trader: Trader | None = None) -> CheckoutSummary:
    """What the customer sees before booking `offer_id`; `trader` is the helper when they
    are a trader by their own declaration (the caller reads it: payments is above us)."""
    offer = get_offer_for(actor, offer_id)
    if not acts_for(actor, offer.request.customer_id):
        raise Forbidden(
            "Only the customer can book offers on this request.", code="not_your_request"
        )
    pays_all = _partner_pays_all(offer)
    consumer = consumer_terms(offer.request, trader)
    return CheckoutSummary(
        offer=offer,
        lines=offer_lines(offer),
        partner_pays_all=pays_all,
        methods=[] if pays_all else [str(m) for m in CUSTOMER_METHODS],
        cancellation=offer_cancellation_terms(offer, consumer.regime == Regime.WITHDRAWAL),
        consumer=consumer,
    )


def booking_payment_update(
    *,
    actor: User,
    booking_id: int,
    payment_method: str | None = None,
    tip_minor: int | None = None,
) -> Booking:
    """The customer changes the tip or the payment method until they sign off."""
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer sets the tip and how to pay.", code="wrong_party")
    if booking.payment_method == PaymentMethod.PARTNER:
        raise Conflict("The partner pays this job: there is nothing to pay.", code="nothing_to_pay")
    changes: dict[str, object] = {}
    if payment_method is not None:
        _check_method(payment_method)
        changes["payment_method"] = payment_method
    if tip_minor and booking.outcome == VisitOutcome.NOT_FIXED:
        raise field_error(
            "tip_minor",
            "The helper could not fix it: only the visit fee is due, no tip.",
            code="tip_not_fixed",
        )
    if tip_minor is not None:
        _check_tip(tip_minor, booking.price_minor)
        changes["tip_minor"] = tip_minor
    if changes:
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, state__in=UNSETTLED).update(**changes) != 1:
                raise Conflict(
                    "The job is over: its tip and payment are settled.", code="payment_settled"
                )
            record_delegate_act(actor, booking.customer_id, "booking.payment", booking)
        booking.refresh_from_db()
    return booking


def cash_recorded(booking: Booking) -> dict[str, object]:
    """The change the helper's "paid in cash" makes on completion."""
    if booking.payment_method == PaymentMethod.PARTNER:
        raise Conflict(
            "The partner pays this job: there is no cash to record.", code="nothing_to_pay"
        )
    return {"payment_method": PaymentMethod.CASH}
