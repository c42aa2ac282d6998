"""The booking page's block about a payment by card or TWINT through the provider."""

from __future__ import annotations

from typing import Any

from django import template

from quartier.bookings.models import PaymentMethod
from quartier.cards.models import CardKind
from quartier.cards.selectors import booking_provider_payment, provider_method_of

from .. import labels

register = template.Library()


@register.inclusion_tag("web/bookings/_provider_payment.html")
def provider_payment(booking: Any, is_customer: bool) -> dict[str, Any]:
    return {
        "booking": booking,
        "payment": booking_provider_payment(booking),
        "is_customer": is_customer,
    }


@register.filter
def paid_how(booking: Any) -> str:
    """How the booking is paid, naming card or TWINT where bookings says "transfer"."""
    if booking.payment_method == PaymentMethod.TRANSFER:
        kind = provider_method_of(booking.pk)
        if kind:
            return labels.choice_label(CardKind, kind)
    return labels.choice_label(PaymentMethod, booking.payment_method)
