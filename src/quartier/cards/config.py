"""Whether the payment provider is configured, and the SDK pointed at it.

Off by default: without `STRIPE_API_KEY` and `STRIPE_WEBHOOK_SECRET` nobody sees a card or
TWINT option and the webhook answers 404. `STRIPE_API_BASE` points the SDK at another host
(the tests' local stand-in); unset, the SDK's own default is used.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings

#: TWINT on the provider: CHF only, at most CHF 5,000 per payment.
TWINT_CURRENCY = "CHF"
TWINT_LIMIT_MINOR = 5_000_00


def provider_enabled() -> bool:
    return bool(settings.STRIPE_API_KEY and settings.STRIPE_WEBHOOK_SECRET)


def webhook_secrets() -> list[str]:
    return [s.strip() for s in settings.STRIPE_WEBHOOK_SECRET.split(",") if s.strip()]


def sdk() -> Any:
    """The SDK module, configured from the settings on every use (they may change in tests)."""
    stripe.api_key = settings.STRIPE_API_KEY
    if settings.STRIPE_API_BASE:
        stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 2
    return stripe


def twint_allowed(currency: str, amount_minor: int) -> bool:
    return currency == TWINT_CURRENCY and 0 < amount_minor <= TWINT_LIMIT_MINOR
