"""The booking page's block about a payment by card or TWINT through the provider."""

from __future__ import annotations

from typing import Any

from django import template

from quartier.cards.selectors import booking_provider_payment

register = template.Library()


@register.inclusion_tag("web/bookings/_provider_payment.html")
def provider_payment(booking: Any, is_customer: bool) -> dict[str, Any]:
    return {
        "booking": booking,
        "payment": booking_provider_payment(booking),
        "is_customer": is_customer,
    }
