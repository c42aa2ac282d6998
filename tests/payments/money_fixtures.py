"""Ledger states the payout tests start from, booked as the ledger books settled jobs.

Partner-paid shares are booked here the way the ledger's plan says (`payments.__init__`):
partner receivable +P, helper payable -(P-C), commission -C, subject `booking:<id>`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.mandate import MANDATE_VERSION
from quartier.payments.models import PayoutProfile
from quartier.payments.services import ledger_post
from tests.factories import UserFactory

CH_PROFILE = {
    "provider_kind": "private",
    "legal_name": "Anna Muster",
    "street": "Dorfstrasse",
    "house_number": "5a",
    "postcode": "3000",
    "town": "Bern",
    "country": "CH",
    "iban": "CH56 0483 5012 3456 7800 9",
    "account_holder": "Anna Muster",
    "vat_status": "ch_unregistered",
    "mandate_accepted": True,
}
DE_PROFILE = {
    **CH_PROFILE,
    "legal_name": "Max Beispiel",
    "account_holder": "Max Beispiel",
    "street": "Hauptstraße",
    "house_number": "12",
    "postcode": "10115",
    "town": "Berlin",
    "country": "DE",
    "iban": "DE89 3704 0044 0532 0130 00",
    "vat_status": "de_private",
}


def helper(**fields: Any) -> User:
    user: User = UserFactory(is_helper=True, is_customer=False, **fields)
    return user


def ready_helper(country: str = "CH", **fields: Any) -> User:
    """A helper whose payout profile is complete (written directly: fast for many)."""
    user = helper(**fields)
    data = dict((CH_PROFILE if country == "CH" else DE_PROFILE).items())
    data.pop("mandate_accepted")
    data["iban"] = data["iban"].replace(" ", "")
    PayoutProfile.objects.create(
        user=user, mandate_signed_at=timezone.now(), mandate_version=MANDATE_VERSION, **data
    )
    return user


def partner_share(
    *,
    partner_id: int,
    helper_id: int,
    booking_id: int,
    price: int,
    commission: int,
    currency: str = "CHF",
    at: datetime | None = None,
) -> None:
    """A partner-paid job: the partner owes `price`, Quartier owes the helper the rest."""
    ledger_post(
        event_key=f"test-settled:{booking_id}",
        kind="job.settled",
        booked_at=at or timezone.now(),
        subject=f"booking:{booking_id}",
        lines=[
            (chart.partner_receivable(partner_id, currency), Money(price, currency)),
            (chart.helper_payable(helper_id, currency), Money(commission - price, currency)),
            (chart.commission_revenue(currency), Money(-commission, currency)),
        ],
    )


def commission_owed(*, helper_id: int, booking_id: int, amount: int, currency: str = "CHF") -> None:
    """A job the customer paid the helper directly: the helper owes Quartier commission."""
    ledger_post(
        event_key=f"test-commission:{booking_id}",
        kind="job.settled",
        booked_at=timezone.now(),
        subject=f"booking:{booking_id}",
        lines=[
            (chart.helper_receivable(helper_id, currency), Money(amount, currency)),
            (chart.commission_revenue(currency), Money(-amount, currency)),
        ],
    )


def balance(code: str) -> int:
    from quartier.payments.balances import account_balance

    return account_balance(code)
