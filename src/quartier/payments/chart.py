"""The chart of accounts: one function per account, returning what the account is.

The codes are the ledger's stable names (see the table in the package docstring); an
account row is opened the first time something is booked on it (`services.account_open`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import AccountKind, OwnerKind

#: Each kind's accounting nature, for trial balances and statements.
NATURE: dict[str, str] = {
    AccountKind.RECEIVABLE: "asset",
    AccountKind.PAYABLE: "liability",
    AccountKind.JOBS_GROSS: "memo",
    AccountKind.JOBS_GROSS_OFFSET: "memo",
    AccountKind.COMMISSION: "revenue",
    AccountKind.VAT: "liability",
    AccountKind.BANK: "asset",
    AccountKind.SETTLEMENT: "asset",
    AccountKind.IN_TRANSIT: "asset",
    AccountKind.TIPS: "memo",
}


@dataclass(frozen=True, slots=True)
class AccountSpec:
    code: str
    kind: str
    currency: str
    owner_kind: str
    owner_id: int | None = None


def _owned(owner: OwnerKind, owner_id: int, kind: str, name: str, currency: str) -> AccountSpec:
    """An account of one helper, customer or partner: `<owner>:<id>:<name>:<currency>`."""
    code = f"{owner.value}:{owner_id}:{name}:{currency}"
    return AccountSpec(code, kind, currency, owner, owner_id)


def helper_receivable(helper_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.HELPER, helper_id, AccountKind.RECEIVABLE, "receivable", currency)


def helper_payable(helper_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.HELPER, helper_id, AccountKind.PAYABLE, "payable", currency)


def helper_jobs_gross(helper_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.HELPER, helper_id, AccountKind.JOBS_GROSS, "jobs-gross", currency)


def helper_tips(helper_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.HELPER, helper_id, AccountKind.TIPS, "tips", currency)


def customer_receivable(customer_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.CUSTOMER, customer_id, AccountKind.RECEIVABLE, "receivable", currency)


def partner_receivable(partner_id: int, currency: str) -> AccountSpec:
    return _owned(OwnerKind.PARTNER, partner_id, AccountKind.RECEIVABLE, "receivable", currency)


def _quartier(name: str, kind: str, currency: str) -> AccountSpec:
    return AccountSpec(f"quartier:{name}:{currency}", kind, currency, OwnerKind.QUARTIER)


def commission_revenue(currency: str) -> AccountSpec:
    return _quartier("commission", AccountKind.COMMISSION, currency)


def vat_payable(country: str, currency: str) -> AccountSpec:
    return _quartier(f"vat:{country}", AccountKind.VAT, currency)


def bank(currency: str) -> AccountSpec:
    return _quartier("bank", AccountKind.BANK, currency)


def settlement(currency: str) -> AccountSpec:
    return _quartier("settlement", AccountKind.SETTLEMENT, currency)


def payouts_in_transit(currency: str) -> AccountSpec:
    return _quartier("payouts-in-transit", AccountKind.IN_TRANSIT, currency)


def jobs_gross_offset(currency: str) -> AccountSpec:
    return AccountSpec(
        f"memo:jobs-gross:{currency}",
        AccountKind.JOBS_GROSS_OFFSET,
        currency,
        OwnerKind.QUARTIER,
    )


def tips_offset(currency: str) -> AccountSpec:
    return AccountSpec(
        f"memo:tips:{currency}", AccountKind.JOBS_GROSS_OFFSET, currency, OwnerKind.QUARTIER
    )
