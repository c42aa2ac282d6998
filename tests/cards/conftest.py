"""The provider's local stand-in (tests/cards/stand_in.py), and a helper it lets take
payments. Nothing here reaches the real provider."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import stripe
from django.test import Client
from django.utils import timezone

from quartier.accounts.models import User
from quartier.cards.services import connect_onboarding_start
from quartier.payments.mandate import MANDATE_VERSION
from quartier.payments.models import PayoutProfile
from tests.cards.stand_in import ProviderStandIn
from tests.factories import make_helper
from tests.payments.money_fixtures import CH_PROFILE

SECRET = "whsec_standin_secret"


@pytest.fixture
def provider(settings: Any) -> Iterator[ProviderStandIn]:
    stand_in = ProviderStandIn(SECRET).start()
    settings.STRIPE_API_KEY = "sk_test_standin"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = stand_in.url
    saved = stripe.api_base
    yield stand_in
    stand_in.stop()
    stripe.api_base = saved


Deliver = Callable[[dict[str, Any]], Any]


@pytest.fixture
def deliver() -> Deliver:
    """Post a signed event to the app's webhook endpoint, as the provider does."""
    client = Client()

    def post(signed: dict[str, Any]) -> Any:
        return client.post(
            "/webhooks/stripe/",
            data=signed["payload"],
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signed["signature"],
        )

    return post


@pytest.fixture
def connected_helper(db: None, provider: ProviderStandIn, deliver: Deliver) -> User:
    """A helper who finished the provider's onboarding: their account takes payments."""
    helper = make_helper(email="hans@example.com", postcode="8003")
    profile = {k: v for k, v in CH_PROFILE.items() if k != "mandate_accepted"}
    PayoutProfile.objects.create(
        user=helper,
        mandate_signed_at=timezone.now(),
        mandate_version=MANDATE_VERSION,
        **profile | {"iban": profile["iban"].replace(" ", "")},
    )
    url = connect_onboarding_start(
        actor=helper, refresh_url="http://testserver/r", return_url="http://testserver/b"
    )
    account = url.rsplit("/", 1)[1]
    assert deliver(provider.enable_charges(account)).status_code == 200
    return helper
