"""The provider's webhooks: verified with the official SDK, each event id handled once.

An event whose signature does not verify is refused (400) before anything is read from it.
A verified event is stored (`ProviderEvent`, its id unique) in the transaction that acts on
it, so a replay — or the same event delivered twice at once — changes nothing; an event that
fails half-way leaves no row, and the provider's retry handles it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction

from quartier.bookings.models import Booking
from quartier.money import Money

from . import ledger
from .charging import intent_failed, intent_succeeded
from .config import sdk, webhook_secrets
from .models import DisputeState, ProviderCharge, ProviderDispute, ProviderEvent
from .services import card_saved, connected_account_update


class BadSignature(Exception):
    """The payload is not the provider's (or is too old, or is not JSON)."""


def webhook_verify(payload: bytes, signature: str) -> Any:
    """The event, if one of the configured secrets signed it (the SDK's check)."""
    stripe = sdk()
    for secret in webhook_secrets():
        try:
            return stripe.Webhook.construct_event(payload, signature, secret).to_dict()
        except (stripe.SignatureVerificationError, ValueError):
            continue
    raise BadSignature("The signature does not verify.")


def webhook_receive(payload: bytes, signature: str) -> bool:
    """Verify and handle one delivery; False when the event id was handled before."""
    event = webhook_verify(payload, signature)
    try:
        with transaction.atomic():
            ProviderEvent.objects.create(
                event_id=event["id"], type=event["type"], account_ref=event.get("account") or ""
            )
            handler = HANDLERS.get(event["type"])
            if handler is not None:
                handler(event["data"]["object"], event.get("account") or "", _when(event))
    except IntegrityError:
        if ProviderEvent.objects.filter(event_id=event["id"]).exists():
            return False  # a replay: handled once already
        raise
    return True


def _when(event: Any) -> datetime:
    return datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC)


def _account(obj: Any, account: str, at: datetime) -> None:
    connected_account_update(
        account_ref=obj["id"], charges_enabled=bool(obj.get("charges_enabled"))
    )


def _setup(obj: Any, account: str, at: datetime) -> None:
    booking_id = (obj.get("metadata") or {}).get("booking_id")
    if booking_id and obj.get("payment_method"):
        card_saved(
            booking_id=int(booking_id),
            account_ref=account,
            payment_method_ref=str(obj["payment_method"]),
        )


def _succeeded(obj: Any, account: str, at: datetime) -> None:
    intent_succeeded(intent_ref=str(obj["id"]), at=at)


def _failed(obj: Any, account: str, at: datetime) -> None:
    error = obj.get("last_payment_error") or {}
    intent_failed(intent_ref=str(obj["id"]), message=error.get("message") or "failed")


def _dispute(obj: Any, account: str, at: datetime) -> None:
    """A chargeback: the provider withdraws the money when it opens, returns it when won;
    lost, the charge is reversed in the ledger."""
    charge = ProviderCharge.objects.filter(intent_ref=obj.get("payment_intent")).first()
    if charge is None:
        return
    helper_id = Booking.objects.values_list("helper_id", flat=True).get(pk=charge.booking_id)
    amount = Money(int(obj["amount"]), charge.currency)
    dispute, _ = ProviderDispute.objects.get_or_create(
        dispute_ref=obj["id"],
        defaults={"charge": charge, "amount_minor": amount.minor, "state": DisputeState.OPEN},
    )
    ref = dispute.dispute_ref
    booking_id = charge.booking_id
    ledger.dispute_opened_book(
        dispute_ref=ref, booking_id=booking_id, helper_id=helper_id, amount=amount, at=at
    )
    status = obj.get("status")
    if dispute.state == DisputeState.OPEN and status in ("won", "lost"):
        ProviderDispute.objects.filter(pk=dispute.pk).update(state=status)
        if status == "won":
            ledger.dispute_won_book(dispute_ref=ref, at=at)
        else:
            ledger.dispute_lost_book(
                dispute_ref=ref, booking_id=booking_id, helper_id=helper_id, amount=amount, at=at
            )


HANDLERS: dict[str, Callable[[Any, str, datetime], None]] = {
    "account.updated": _account,
    "setup_intent.succeeded": _setup,
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _failed,
    "charge.dispute.created": _dispute,
    "charge.dispute.closed": _dispute,
}
