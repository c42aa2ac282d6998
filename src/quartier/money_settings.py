"""Money settings, from environment variables (imported by settings.py): Quartier's
commission and the VAT on it, the commission pause, card / TWINT through the provider."""

from __future__ import annotations

import json
import os

from quartier.serving_settings import env_bool as _env_bool

# Money (see quartier/payments/commission.py): Quartier's commission as decimal fractions of
# the job price per market (CH, DE) and skill or category slug, e.g.
# QUARTIER_COMMISSION='{"default": "0.15", "DE": {"cleaning": "0.12"}}'; VAT on commission
# (percent per helper country) is booked only when Quartier is VAT-registered.
QUARTIER_COMMISSION: dict[str, object] = json.loads(
    os.environ.get("QUARTIER_COMMISSION", '{"default": "0.15"}'), parse_float=str
)
QUARTIER_VAT_REGISTERED = _env_bool("QUARTIER_VAT_REGISTERED", False)
# Open commission (minor units per currency) over which a helper takes no new bookings
# until they pay; payouts are never held. Unset: no pause. E.g. '{"CHF": 50000}'.
QUARTIER_COMMISSION_PAUSE_MINOR: dict[str, int] = json.loads(
    os.environ.get("QUARTIER_COMMISSION_PAUSE_MINOR", "{}")
)
QUARTIER_COMMISSION_VAT: dict[str, object] = json.loads(
    os.environ.get("QUARTIER_COMMISSION_VAT", '{"CH": "8.1"}'), parse_float=str
)

# Card / TWINT through Stripe Connect (quartier.cards): off unless both are set. Several
# webhook secrets (the platform's endpoint and the connected accounts') may be given
# comma-separated. STRIPE_API_BASE points the SDK elsewhere (the tests' local stand-in).
STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
