"""Charging a booking through the provider when its job is settled, and refunding it.

Cards are charged off-session with the card saved at checkout; TWINT (no manual capture on
the provider) is created at settlement and paid by the customer in the TWINT app, its
success reported by webhook. The application fee is the commission + VAT the helper owes on
the job (never more than the charge). Refunds follow an operator's dispute decision: the
customer's money comes back from the helper's account, the fee part from Quartier's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.money import Money
from quartier.payments.commission import job_charge
from quartier.payments.facts import settled_job
from quartier.payments.flows import part_left

from . import ledger, provider
from .config import twint_allowed
from .models import CardChoice, CardKind, ChargeState, ProviderCharge


def _fee(payload: dict[str, Any], amount_minor: int) -> int:
    job = settled_job(payload)
    facts = job.facts
    charge = job_charge(
        job.price,
        market=facts.market,
        skill=facts.skill,
        category=facts.category,
        helper_country=facts.helper_country,
    )
    return min(charge.total.minor, amount_minor)


def settlement_charge(payload: dict[str, Any]) -> ProviderCharge | None:
    """Charge the settled job through the provider (a `job.settled` payload); None when the
    booking is not paid that way or is charged already."""
    if payload.get("method") not in (CardKind.CARD, CardKind.TWINT):
        return None
    booking_id = int(payload["booking_id"])
    choice = CardChoice.objects.select_related("account").filter(booking_id=booking_id).first()
    if choice is None or ProviderCharge.objects.filter(booking_id=booking_id).exists():
        return None
    price = int(payload["price_minor"])
    amount = (
        price - int(payload.get("partner_share_minor") or 0) + int(payload.get("tip_minor") or 0)
    )
    charge = ProviderCharge(
        booking_id=booking_id,
        kind=choice.kind,
        account_ref=choice.account.account_ref,
        currency=str(payload["currency"]),
        price_minor=price,
        amount_minor=amount,
        fee_minor=_fee(payload, amount),
        state=ChargeState.FAILED,
    )
    try:
        intent = _create(choice, charge)
    except provider.ProviderUnreachable:
        raise  # the event is handled again later; the idempotency key keeps it one charge
    except provider.ProviderError as error:
        charge.failure = str(error)[:300]
        charge.save()
        return charge
    charge.intent_ref, charge.pay_url, charge.failure = intent.ref, intent.pay_url, intent.failure
    charge.state = {"succeeded": ChargeState.SUCCEEDED, "requires_action": ChargeState.PENDING}.get(
        intent.status, ChargeState.FAILED
    )
    charge.save()
    if charge.state == ChargeState.SUCCEEDED:
        _book_charge(charge, timezone.now())
    return charge


def _create(choice: CardChoice, charge: ProviderCharge) -> provider.Intent:
    if choice.kind == CardKind.TWINT:
        if not twint_allowed(charge.currency, charge.amount_minor):
            raise provider.ProviderError("TWINT takes CHF only, up to CHF 5,000.")
        return provider.twint_charge(
            account_ref=charge.account_ref,
            amount_minor=charge.amount_minor,
            fee_minor=charge.fee_minor,
            booking_id=charge.booking_id,
            return_url=f"{settings.QUARTIER_SITE_URL}/bookings/{charge.booking_id}",
        )
    if not choice.payment_method_ref:
        raise provider.ProviderError("No card was saved for this booking.")
    return provider.card_charge(
        account_ref=charge.account_ref,
        customer_ref=choice.customer_ref,
        payment_method_ref=choice.payment_method_ref,
        amount_minor=charge.amount_minor,
        fee_minor=charge.fee_minor,
        currency=charge.currency,
        booking_id=charge.booking_id,
    )


def _book_charge(charge: ProviderCharge, at: datetime) -> None:
    helper_id = Booking.objects.values_list("helper_id", flat=True).get(pk=charge.booking_id)
    ledger.charge_book(
        intent_ref=str(charge.intent_ref),
        booking_id=charge.booking_id,
        helper_id=helper_id,
        amount=Money(charge.amount_minor, charge.currency),
        fee=Money(charge.fee_minor, charge.currency),
        at=at,
    )


def intent_succeeded(*, intent_ref: str, at: datetime) -> bool:
    """The provider says the payment went through (TWINT paid; a card charge, again)."""
    charge = ProviderCharge.objects.filter(intent_ref=intent_ref).first()
    if charge is None:
        return False
    ProviderCharge.objects.filter(pk=charge.pk).update(state=ChargeState.SUCCEEDED, pay_url="")
    _book_charge(charge, at)
    return True


def intent_failed(*, intent_ref: str, message: str) -> bool:
    return bool(
        ProviderCharge.objects.filter(intent_ref=intent_ref)
        .exclude(state=ChargeState.SUCCEEDED)
        .update(state=ChargeState.FAILED, failure=message[:300])
    )


def refund_after_dispute(*, booking_id: int, refund_minor: int, key: str) -> str | None:
    """Refund part of a charged job's price through the provider (an operator's decision),
    with the fee in proportion (rounded as the ledger's refund rounds it)."""
    charge = ProviderCharge.objects.filter(
        booking_id=booking_id, state=ChargeState.SUCCEEDED
    ).first()
    if charge is None or refund_minor <= 0:
        return None
    refund = min(refund_minor, charge.amount_minor - charge.refunded_minor)
    before = charge.price_minor - min(charge.refunded_minor, charge.price_minor)
    after = max(before - refund, 0)
    fee_back = part_left(charge.fee_minor, charge.price_minor, before) - part_left(
        charge.fee_minor, charge.price_minor, after
    )
    fee_back = min(fee_back, charge.fee_minor - charge.fee_refunded_minor)
    if refund <= 0:
        return None
    ref = provider.refund(
        account_ref=charge.account_ref,
        intent_ref=str(charge.intent_ref),
        amount_minor=refund,
        fee_back_minor=fee_back,
        key=key,
    )
    ProviderCharge.objects.filter(pk=charge.pk).update(
        refunded_minor=F("refunded_minor") + refund,
        fee_refunded_minor=F("fee_refunded_minor") + fee_back,
    )
    ledger.refund_book(
        refund_ref=ref,
        booking_id=booking_id,
        helper_id=Booking.objects.values_list("helper_id", flat=True).get(pk=booking_id),
        refund=Money(refund, charge.currency),
        fee_back=Money(fee_back, charge.currency),
        at=timezone.now(),
    )
    return ref
