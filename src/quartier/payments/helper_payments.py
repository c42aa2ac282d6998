"""A helper paid what they owe Quartier (the commission on jobs the customer paid them
directly) by bank transfer on Quartier's commission invoice: bank +X, helper receivable -X.

Recorded by an operator from the bank statement, once per bank reference; never more than
the helper owes. What a helper owes is otherwise set off against partner shares at payout.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from quartier.errors import Conflict, InvalidInput
from quartier.money import CURRENCIES, Money

from . import chart
from .balances import account_balance
from .models import LedgerTransaction
from .services import ledger_post


def helper_payment_record(
    *, helper_id: int, currency: str, amount_minor: int, received_on: date, reference: str
) -> LedgerTransaction:
    reference = reference.strip()
    if currency not in CURRENCIES:
        raise InvalidInput(f"Unknown currency {currency!r}.", code="unknown_currency")
    if amount_minor <= 0 or not reference:
        raise InvalidInput("A payment needs a positive amount and the bank's reference.")
    owed = account_balance(chart.helper_receivable(helper_id, currency).code)
    key = f"helper-payment:{helper_id}:{reference}"
    if LedgerTransaction.objects.filter(event_key=key).exists():
        raise Conflict(f"Payment {reference} is recorded already.", code="payment_recorded")
    if amount_minor > owed:
        raise Conflict(
            f"Helper #{helper_id} owes {Money(owed, currency)}, less than this payment.",
            code="payment_exceeds_owed",
        )
    booked_at = timezone.make_aware(datetime.combine(received_on, time(12)))
    return ledger_post(
        event_key=key,
        kind="helper.paid",
        booked_at=booked_at,
        memo=f"Helper #{helper_id} paid commission, reference {reference}",
        subject=f"helper:{helper_id}",
        lines=[
            (chart.bank(currency), Money(amount_minor, currency)),
            (chart.helper_receivable(helper_id, currency), Money(-amount_minor, currency)),
        ],
    )
