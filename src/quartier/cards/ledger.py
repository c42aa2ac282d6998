"""The ledger's mirror of what the provider did with a booking's card or TWINT payment.

Quartier never holds the customer's money: a direct charge lands on the helper's connected
account at the provider, and only the application fee (the commission + VAT the helper owes
for the job) lands on Quartier's balance at the provider. So (A charged, F fee, R refunded,
f fee refunded, D disputed; +debit, -credit):

| what the provider did | entries |
| --- | --- |
| charge succeeded | quartier:provider +F, helper receivable -F (the commission is paid), |
|   | memo:provider-held +(A-F), helper provider-held -(A-F) (the helper's, at the provider) |
| refund R, fee part f | quartier:provider -f, helper payable +f (or receivable +f), |
|   | memo:provider-held -(R-f), helper provider-held +(R-f) |
| dispute opened | helper provider-held +D, helper provider-disputed -D (withdrawn) |
| dispute won | the opening's entries, reversed (the money is back) |
| dispute lost | helper provider-disputed +D, memo:provider-held -D (the charge is reversed) |

`quartier:provider` is an asset (kind bank): Quartier's own balance at the provider. The
`provider-held` and `provider-disputed` accounts are memos of the helper's money there; minus
their balance is what the provider shows on the connected account. The refund's commission,
VAT and partner share are booked by payments' `dispute.resolved` flow, as for any refund;
this only moves the fee the provider returned. All have the subject `booking:<id>`.
"""

from __future__ import annotations

from datetime import datetime

from quartier.money import Money
from quartier.payments.balances import account_balance
from quartier.payments.chart import AccountSpec, helper_payable, helper_receivable
from quartier.payments.flows import booking_subject
from quartier.payments.models import AccountKind, LedgerTransaction, OwnerKind
from quartier.payments.services import Line, ledger_post, ledger_reverse

CHARGED = "card.charged"
REFUNDED = "card.refunded"
DISPUTED = "card.disputed"
DISPUTE_LOST = "card.dispute_lost"


def provider_balance(currency: str) -> AccountSpec:
    """Quartier's own balance at the provider: application fees, less fees refunded."""
    return AccountSpec(
        f"quartier:provider:{currency}", AccountKind.BANK, currency, OwnerKind.QUARTIER
    )


def _memo(helper_id: int, name: str, currency: str) -> AccountSpec:
    code = f"helper:{helper_id}:{name}:{currency}"
    return AccountSpec(code, AccountKind.JOBS_GROSS_OFFSET, currency, OwnerKind.HELPER, helper_id)


def helper_held(helper_id: int, currency: str) -> AccountSpec:
    return _memo(helper_id, "provider-held", currency)


def helper_disputed(helper_id: int, currency: str) -> AccountSpec:
    return _memo(helper_id, "provider-disputed", currency)


def held_offset(currency: str) -> AccountSpec:
    return AccountSpec(
        f"memo:provider-held:{currency}",
        AccountKind.JOBS_GROSS_OFFSET,
        currency,
        OwnerKind.QUARTIER,
    )


def held_at_provider(helper_id: int, currency: str) -> int:
    """What the ledger says the helper has at the provider from Quartier's charges."""
    return -account_balance(helper_held(helper_id, currency).code)


def charge_book(
    *,
    intent_ref: str,
    booking_id: int,
    helper_id: int,
    amount: Money,
    fee: Money,
    at: datetime,
) -> LedgerTransaction:
    currency, net = amount.currency, amount - fee
    lines: list[Line] = [
        (provider_balance(currency), fee),
        (helper_receivable(helper_id, currency), -fee),
        (held_offset(currency), net),
        (helper_held(helper_id, currency), -net),
    ]
    return ledger_post(
        event_key=f"provider:charge:{intent_ref}",
        kind=CHARGED,
        booked_at=at,
        subject=booking_subject(booking_id),
        memo=f"Booking #{booking_id}: {amount.amount} {currency} charged through the provider"
        f" ({intent_ref}), fee {fee.amount}",
        lines=lines,
    )


def refund_book(
    *,
    refund_ref: str,
    booking_id: int,
    helper_id: int,
    refund: Money,
    fee_back: Money,
    at: datetime,
) -> LedgerTransaction:
    """The provider returned `refund` to the customer from the helper's account, and the
    fee part `fee_back` from Quartier's. That fee settles what payments' refund flow
    credited the helper (their payable first, then their receivable)."""
    currency = refund.currency
    owed_to_helper = max(-account_balance(helper_payable(helper_id, currency).code), 0)
    to_payable = Money(min(fee_back.minor, owed_to_helper), currency)
    lines: list[Line] = [
        (provider_balance(currency), -fee_back),
        (helper_payable(helper_id, currency), to_payable),
        (helper_receivable(helper_id, currency), fee_back - to_payable),
        (held_offset(currency), fee_back - refund),
        (helper_held(helper_id, currency), refund - fee_back),
    ]
    return ledger_post(
        event_key=f"provider:refund:{refund_ref}",
        kind=REFUNDED,
        booked_at=at,
        subject=booking_subject(booking_id),
        memo=f"Booking #{booking_id}: {refund.amount} {currency} refunded through the provider"
        f" ({refund_ref}), fee {fee_back.amount} back",
        lines=lines,
    )


def dispute_opened_book(
    *, dispute_ref: str, booking_id: int, helper_id: int, amount: Money, at: datetime
) -> LedgerTransaction:
    currency = amount.currency
    return ledger_post(
        event_key=f"provider:dispute:{dispute_ref}",
        kind=DISPUTED,
        booked_at=at,
        subject=booking_subject(booking_id),
        memo=f"Booking #{booking_id}: the provider withdrew {amount.amount} {currency}"
        f" for dispute {dispute_ref}",
        lines=[
            (helper_held(helper_id, currency), amount),
            (helper_disputed(helper_id, currency), -amount),
        ],
    )


def dispute_won_book(*, dispute_ref: str, at: datetime) -> LedgerTransaction | None:
    key = f"provider:dispute:{dispute_ref}"
    opened = LedgerTransaction.objects.filter(event_key=key).first()
    done = LedgerTransaction.objects.filter(event_key=f"{key}:won").first()
    if opened is None or done is not None:
        return done
    return ledger_reverse(
        original=opened,
        event_key=f"{key}:won",
        booked_at=at,
        memo=f"Dispute {dispute_ref} won: the provider returned the money",
    )


def dispute_lost_book(
    *, dispute_ref: str, booking_id: int, helper_id: int, amount: Money, at: datetime
) -> LedgerTransaction:
    currency = amount.currency
    return ledger_post(
        event_key=f"provider:dispute:{dispute_ref}:lost",
        kind=DISPUTE_LOST,
        booked_at=at,
        subject=booking_subject(booking_id),
        memo=f"Booking #{booking_id}: dispute {dispute_ref} lost, the charge of"
        f" {amount.amount} {currency} is reversed",
        lines=[
            (helper_disputed(helper_id, currency), amount),
            (held_offset(currency), -amount),
        ],
    )
