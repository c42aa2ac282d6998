"""Cancellation terms: the one definition checkout shows and a cancellation applies.

Per market (`QUARTIER_CANCELLATION`, a "default" entry and optional per-country ones): a
booking is cancelled free of charge until `free_hours` (24) before its start. Later, a
customer's cancellation costs `fee_percent` (50 %) of the customer's own share of the price
(never the tip; a partner's share is the partner's program's business), rounded half up.
The fee is the helper's, less the commission Quartier takes on any job (the ledger books it
like a small settled job, see payments/cancellation_fees.py), so with the default 15 %
commission the helper keeps 85 % of it.

A German consumer's cancellation within 14 days of booking from a trader (the contract
carries the right of withdrawal: `withdrawal`) is a withdrawal (§ 355 BGB): never a fee.
Not so with a private helper, for an urgent repair the customer asked for, or in
Switzerland: there the usual terms apply. Every customer is a consumer for now — Quartier
has no business customers.

Cancellations by the helper, an operator or a partner withdrawing its case carry no fee.
A helper's cancellation never ends the customer's request: it goes back to dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from quartier.accounts.models import User
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState

from .models import Booking, CancelledBy, Offer, OfferStatus
from .withdrawal_models import ConsumerContract, Regime

#: The German withdrawal period (§ 355 Abs. 2 BGB), from the contract (the booking).
WITHDRAWAL_DAYS = 14
WITHDRAWAL_MARKETS = frozenset({"DE"})


@dataclass(frozen=True, slots=True)
class MarketTerms:
    free_hours: int = 24
    fee_percent: int = 50
    #: What a visit costs when the helper could not fix it (public jobs; 0 = nothing).
    visit_fee_minor: int = 0


def market_terms(market: str) -> MarketTerms:
    table = settings.QUARTIER_CANCELLATION
    entry = {**table.get("default", {}), **table.get(market, {})}
    return MarketTerms(
        free_hours=int(entry.get("free_hours", 24)),
        fee_percent=int(entry.get("fee_percent", 50)),
        visit_fee_minor=int(entry.get("visit_fee_minor", 0)),
    )


def fee_of(share_minor: int, percent: int) -> int:
    """`percent` of `share_minor`, rounded half up to a whole minor unit."""
    return (2 * share_minor * percent + 100) // 200


@dataclass(frozen=True, slots=True)
class CancellationTerms:
    """What the customer is shown at checkout for one offer."""

    free_hours: int
    fee_percent: int
    fee_minor: int  # what a late cancellation of this offer would cost the customer
    withdrawal_days: int  # 14 for a German consumer buying from a trader, else 0
    dispute_days: int = field(default_factory=lambda: int(settings.QUARTIER_DISPUTE_DAYS))
    visit_fee_minor: int = 0  # due instead of the price if the helper cannot fix it (unfixed)


def offer_cancellation_terms(offer: Offer, withdrawal_right: bool = False) -> CancellationTerms:
    """The terms of `offer`; `withdrawal_right` when its contract carries one."""
    market = offer.request.country
    terms = market_terms(market)
    return CancellationTerms(
        free_hours=terms.free_hours,
        fee_percent=terms.fee_percent,
        fee_minor=fee_of(offer.price_minor - offer.partner_share_minor, terms.fee_percent),
        withdrawal_days=WITHDRAWAL_DAYS if withdrawal_right else 0,
        visit_fee_minor=offer.visit_fee_minor,
    )


@dataclass(frozen=True, slots=True)
class Cancellation:
    """What a cancellation means, decided in its transaction and kept on its event."""

    fee_minor: int = 0
    withdrawal: bool = False
    redispatch: bool = False

    def payload(self, booking: Booking, *, reason: str) -> dict[str, Any]:
        """The `booking.cancelled` event's extra keys (with the `reason` `_end` takes)."""
        return {
            "reason": reason,
            "helper_id": booking.helper_id,
            "customer_id": booking.customer_id,
            "currency": booking.currency,
            "fee_minor": self.fee_minor,
            "withdrawal": self.withdrawal,
            "redispatched": self.redispatch,
        }


def is_withdrawal(booking: Booking, now: datetime) -> bool:
    """A consumer's contract with a trader, inside its 14 days and not withdrawn yet."""
    contract = ConsumerContract.objects.filter(booking_id=booking.pk).first()
    return (
        contract is not None
        and contract.regime == Regime.WITHDRAWAL
        and contract.withdrawn_at is None
        and now < contract.concluded_at + timedelta(days=WITHDRAWAL_DAYS)
    )


def cancellation_for(booking: Booking, *, by: CancelledBy, now: datetime) -> Cancellation:
    """Apply the terms to `booking` cancelled by `by` at `now`."""
    if by == CancelledBy.HELPER:
        return Cancellation(redispatch=True)
    if by != CancelledBy.CUSTOMER:
        return Cancellation()
    market = booking.request.country
    if is_withdrawal(booking, now):
        return Cancellation(withdrawal=True)
    terms = market_terms(market)
    if now < booking.starts_at - timedelta(hours=terms.free_hours):
        return Cancellation()
    share = booking.price_minor - booking.partner_share_minor
    return Cancellation(fee_minor=fee_of(share, terms.fee_percent))


def request_after_cancel(
    booking: Booking, *, by: CancelledBy, actor: User | None, note: str
) -> Cancellation:
    """Move the booked request on (inside the cancelling transaction): cancelled, or back
    to requested — and so to dispatch, which reopens on the event — when the helper
    cancelled. Returns what the cancellation means, for its event."""
    terms = cancellation_for(booking, by=by, now=timezone.now())
    if booking.request.is_multi:  # one place of several opens again
        from .multi import place_freed

        return replace(terms, redispatch=place_freed(booking, actor=actor, note=note))
    request_transition(
        request_id=booking.request_id,
        source=frozenset({RequestState.BOOKED}),
        target=RequestState.REQUESTED if terms.redispatch else RequestState.CANCELLED,
        actor=actor,
        note=note,
        **({"booked_helper_id": None} if terms.redispatch else {}),
    )
    if terms.redispatch:  # the helper's offer no longer stands: dispatch counts live ones
        Offer.objects.filter(pk=booking.offer_id).update(status=OfferStatus.WITHDRAWN)
    return terms
