"""The few calls Quartier makes to the payment provider, through its official SDK.

Every charge is a direct charge on the helper's connected account (`stripe_account`), with
Quartier's commission as its application fee; every write carries an idempotency key made
from Quartier's own ids, so a retried worker never charges or refunds twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quartier.errors import Conflict

from .config import sdk


class ProviderError(Conflict):
    """The provider refused or could not be reached (nothing of ours changed)."""

    code = "provider_error"


class ProviderUnreachable(ProviderError):
    """No answer (network, the provider's own error): try again later, same idempotency key."""

    code = "provider_unreachable"


def _call(func: Any, *args: Any, **kwargs: Any) -> Any:
    stripe = sdk()
    try:
        return func(stripe)(*args, **kwargs).to_dict()
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise ProviderUnreachable(f"The payment provider did not answer: {error}") from error
    except stripe.StripeError as error:
        if (error.http_status or 0) >= 500:
            raise ProviderUnreachable(f"The payment provider failed: {error}") from error
        message = getattr(error, "user_message", None) or str(error) or type(error).__name__
        raise ProviderError(f"The payment provider refused: {message}") from error


def account_create(*, helper_id: int, country: str, email: str) -> str:
    account = _call(
        lambda s: s.Account.create,
        type="standard",
        country=country,
        email=email,
        metadata={"helper_id": str(helper_id)},
        idempotency_key=f"quartier-account-{helper_id}",
    )
    return str(account["id"])


def onboarding_link(*, account_ref: str, refresh_url: str, return_url: str) -> str:
    link = _call(
        lambda s: s.AccountLink.create,
        account=account_ref,
        refresh_url=refresh_url,
        return_url=return_url,
        type="account_onboarding",
    )
    return str(link["url"])


def customer_create(*, account_ref: str, booking_id: int, email: str) -> str:
    customer = _call(
        lambda s: s.Customer.create,
        email=email,
        metadata={"booking_id": str(booking_id)},
        stripe_account=account_ref,
        idempotency_key=f"quartier-customer-{booking_id}",
    )
    return str(customer["id"])


def card_setup_session(
    *, account_ref: str, customer_ref: str, booking_id: int, success_url: str, cancel_url: str
) -> str:
    """The provider's page where the customer saves a card for this booking (no charge)."""
    session = _call(
        lambda s: s.checkout.Session.create,
        mode="setup",
        customer=customer_ref,
        payment_method_types=["card"],
        setup_intent_data={"metadata": {"booking_id": str(booking_id)}},
        success_url=success_url,
        cancel_url=cancel_url,
        stripe_account=account_ref,
    )
    return str(session["url"])


@dataclass(frozen=True, slots=True)
class Intent:
    ref: str
    status: str
    pay_url: str
    failure: str


def _intent(found: Any) -> Intent:
    action = found.get("next_action") or {}
    redirect = action.get("redirect_to_url") or {}
    error = found.get("last_payment_error") or {}
    return Intent(
        str(found["id"]),
        str(found["status"]),
        str(redirect.get("url") or ""),
        error.get("message") or "",
    )


def card_charge(
    *,
    account_ref: str,
    customer_ref: str,
    payment_method_ref: str,
    amount_minor: int,
    fee_minor: int,
    currency: str,
    booking_id: int,
) -> Intent:
    """Charge the saved card now, the customer away (off-session), confirmed at once."""
    return _intent(
        _call(
            lambda s: s.PaymentIntent.create,
            amount=amount_minor,
            currency=currency.lower(),
            customer=customer_ref,
            payment_method=payment_method_ref,
            payment_method_types=["card"],
            off_session=True,
            confirm=True,
            application_fee_amount=fee_minor,
            metadata={"booking_id": str(booking_id)},
            stripe_account=account_ref,
            idempotency_key=f"quartier-charge-{booking_id}",
        )
    )


def twint_charge(
    *, account_ref: str, amount_minor: int, fee_minor: int, booking_id: int, return_url: str
) -> Intent:
    """A TWINT payment the customer confirms in their app (no manual capture: it is created
    when the job is settled, and paid then)."""
    return _intent(
        _call(
            lambda s: s.PaymentIntent.create,
            amount=amount_minor,
            currency="chf",
            payment_method_types=["twint"],
            payment_method_data={"type": "twint"},
            confirm=True,
            return_url=return_url,
            application_fee_amount=fee_minor,
            metadata={"booking_id": str(booking_id)},
            stripe_account=account_ref,
            idempotency_key=f"quartier-charge-{booking_id}",
        )
    )


def refund(
    *, account_ref: str, intent_ref: str, amount_minor: int, fee_back_minor: int, key: str
) -> str:
    """Refund the customer from the helper's account, then return the fee part from
    Quartier's; returns the refund's reference."""
    done = _call(
        lambda s: s.Refund.create,
        payment_intent=intent_ref,
        amount=amount_minor,
        refund_application_fee=False,
        stripe_account=account_ref,
        idempotency_key=f"quartier-refund-{key}",
    )
    if fee_back_minor:
        intent = _call(
            lambda s: s.PaymentIntent.retrieve,
            intent_ref,
            expand=["latest_charge"],
            stripe_account=account_ref,
        )
        _call(
            lambda s: s.ApplicationFee.create_refund,
            intent["latest_charge"]["application_fee"],
            amount=fee_back_minor,
            idempotency_key=f"quartier-fee-refund-{key}",
        )
    return str(done["id"])
