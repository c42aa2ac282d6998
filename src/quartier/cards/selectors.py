"""What the pages need to know about paying by card or TWINT."""

from __future__ import annotations

from dataclasses import dataclass

from quartier.bookings.models import Booking, Offer

from .config import provider_enabled, twint_allowed
from .models import CardChoice, CardKind, ConnectedAccount, ProviderCharge


def provider_method_of(booking_id: int) -> str | None:
    """`card` or `twint` for a booking the customer pays through the provider (the method
    in the `job.settled` payload, see bookings.settlement.METHOD_REFINERS)."""
    kind = CardChoice.objects.filter(booking_id=booking_id).values_list("kind", flat=True).first()
    return str(kind) if kind else None


def ready_account(helper_id: int) -> ConnectedAccount | None:
    """The helper's connected account, if the provider lets it take payments."""
    if not provider_enabled():
        return None
    account: ConnectedAccount | None = ConnectedAccount.objects.filter(
        helper_id=helper_id, charges_enabled=True
    ).first()
    return account


def offer_provider_kinds(offer: Offer, *, tip_minor: int = 0) -> list[str]:
    """What the customer may pay this offer with through the provider: card when the helper
    takes payments there; TWINT also only in CHF and up to CHF 5,000."""
    share = offer.price_minor - offer.partner_share_minor
    if share <= 0 or ready_account(offer.helper_id) is None:
        return []
    kinds = [str(CardKind.CARD)]
    if twint_allowed(offer.currency, share + tip_minor):
        kinds.append(str(CardKind.TWINT))
    return kinds


@dataclass(frozen=True, slots=True)
class BookingPayment:
    """How a booking paid through the provider stands, for its page."""

    kind: str
    card_saved: bool
    setup_url: str
    charge: ProviderCharge | None


def booking_provider_payment(booking: Booking) -> BookingPayment | None:
    choice = CardChoice.objects.filter(booking_id=booking.pk).first()
    if choice is None or booking.payment_method != "transfer":
        return None
    return BookingPayment(
        kind=choice.kind,
        card_saved=bool(choice.payment_method_ref),
        setup_url=choice.setup_url,
        charge=ProviderCharge.objects.filter(booking_id=booking.pk).first(),
    )


def helper_connected_account(helper_id: int) -> ConnectedAccount | None:
    account: ConnectedAccount | None = ConnectedAccount.objects.filter(helper_id=helper_id).first()
    return account
