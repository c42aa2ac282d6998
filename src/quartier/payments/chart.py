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
}


@dataclass(frozen=True, slots=True)
class AccountSpec:
    code: str
    kind: str
    currency: str
    owner_kind: str
    owner_id: int | None = None


def helper_receivable(helper_id: int, currency: str) -> AccountSpec:
    return AccountSpec(
        f"helper:{helper_id}:receivable:{currency}",
        AccountKind.RECEIVABLE,
        currency,
        OwnerKind.HELPER,
        helper_id,
    )


def helper_payable(helper_id: int, currency: str) -> AccountSpec:
    return AccountSpec(
        f"helper:{helper_id}:payable:{currency}",
        AccountKind.PAYABLE,
        currency,
        OwnerKind.HELPER,
        helper_id,
    )


def helper_jobs_gross(helper_id: int, currency: str) -> AccountSpec:
    return AccountSpec(
        f"helper:{helper_id}:jobs-gross:{currency}",
        AccountKind.JOBS_GROSS,
        currency,
        OwnerKind.HELPER,
        helper_id,
    )


def customer_receivable(customer_id: int, currency: str) -> AccountSpec:
    return AccountSpec(
        f"customer:{customer_id}:receivable:{currency}",
        AccountKind.RECEIVABLE,
        currency,
        OwnerKind.CUSTOMER,
        customer_id,
    )


def partner_receivable(partner_id: int, currency: str) -> AccountSpec:
    return AccountSpec(
        f"partner:{partner_id}:receivable:{currency}",
        AccountKind.RECEIVABLE,
        currency,
        OwnerKind.PARTNER,
        partner_id,
    )


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
