"""Connecting a helper to the provider, and booking an offer paid by card or TWINT.

A helper starts the provider's onboarding from their payout profile; the provider tells us
by webhook when the account may take payments (`account.updated`). The customer picks card
or TWINT at checkout only when the helper's account is ready: the booking is made as for a
transfer (cashless, to the helper's account), plus a `CardChoice`. A card is then saved on
the provider's page (no charge: authorisations expire within days, jobs may be a year
ahead); it is charged when the job is settled (`charging.py`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from quartier.accounts.models import User
from quartier.bookings.models import Booking, PaymentMethod
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.households.access import acts_for
from quartier.payments.models import PayoutProfile

from . import provider
from .config import provider_enabled
from .models import CardChoice, CardKind, ConnectedAccount
from .selectors import offer_provider_kinds


def _enabled() -> None:
    if not provider_enabled():
        raise NotFound("Card payments are not set up here.", code="provider_off")


def connect_onboarding_start(*, actor: User, refresh_url: str, return_url: str) -> str:
    """The provider's onboarding page for the helper's connected account (made once)."""
    _enabled()
    if not actor.is_helper:
        raise Forbidden("Only helpers take payments.", code="not_a_helper")
    account = ConnectedAccount.objects.filter(helper=actor).first()
    if account is None:
        country = PayoutProfile.objects.filter(user=actor).values_list("country", flat=True).first()
        ref = provider.account_create(
            helper_id=actor.pk, country=country or "CH", email=actor.email
        )
        try:
            with transaction.atomic():
                account = ConnectedAccount.objects.create(helper=actor, account_ref=ref)
        except IntegrityError:  # a second click meanwhile: the same account (same key)
            account = ConnectedAccount.objects.get(helper=actor)
    return provider.onboarding_link(
        account_ref=account.account_ref, refresh_url=refresh_url, return_url=return_url
    )


def connected_account_update(*, account_ref: str, charges_enabled: bool) -> bool:
    """The provider says whether the account may take payments; False for an unknown one."""
    changed = ConnectedAccount.objects.filter(account_ref=account_ref).update(
        charges_enabled=charges_enabled
    )
    return bool(changed)


def offer_accept_by_provider(
    *, actor: User, offer_id: int, kind: str, tip_minor: int = 0, **consumer: Any
) -> Booking:
    """Book the offer, paid by card or TWINT through the provider; `consumer` are
    `offer_accept`'s trader and the German consumer's two declarations."""
    _enabled()
    from quartier.bookings.selectors import get_offer_for

    offer = get_offer_for(actor, offer_id)
    if kind not in offer_provider_kinds(offer, tip_minor=tip_minor):
        raise field_error(
            "payment_method",
            "This helper cannot take this payment by card or TWINT; choose another way.",
            code="provider_method_unavailable",
        )
    with transaction.atomic():
        booking = offer_accept(
            actor=actor,
            offer_id=offer_id,
            payment_method=PaymentMethod.TRANSFER,
            tip_minor=tip_minor,
            **consumer,
        )
        CardChoice.objects.create(
            booking=booking,
            kind=kind,
            account=ConnectedAccount.objects.get(helper_id=offer.helper_id),
        )
    return booking


def card_setup_start(*, actor: User, booking_id: int, success_url: str, cancel_url: str) -> str:
    """The provider's page where the customer saves the card for this booking."""
    _enabled()
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer saves a card.", code="wrong_party")
    choice = CardChoice.objects.select_related("account").filter(booking=booking).first()
    if choice is None or choice.kind != CardKind.CARD:
        raise Conflict("This booking is not paid by card.", code="not_by_card")
    if choice.payment_method_ref:
        raise Conflict("Your card is saved already.", code="card_saved")
    if not choice.customer_ref:
        choice.customer_ref = provider.customer_create(
            account_ref=choice.account.account_ref, booking_id=booking.pk, email=actor.email
        )
    choice.setup_url = provider.card_setup_session(
        account_ref=choice.account.account_ref,
        customer_ref=choice.customer_ref,
        booking_id=booking.pk,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    choice.save(update_fields=["customer_ref", "setup_url"])
    return choice.setup_url


def card_saved(*, booking_id: int, account_ref: str, payment_method_ref: str) -> bool:
    """The provider saved the customer's card for the booking (webhook)."""
    return bool(
        CardChoice.objects.filter(
            booking_id=booking_id, account__account_ref=account_ref, kind=CardKind.CARD
        ).update(payment_method_ref=payment_method_ref)
    )
