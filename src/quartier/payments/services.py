"""Writes to the ledger: only appending balanced transactions (and reversing them).

Every posting is validated before anything is written — at least two non-zero lines, each in
its account's currency, summing to zero per currency — and checked again from the database
inside the same transaction, so a transaction that does not balance is never committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum

from quartier.errors import Conflict
from quartier.money import Money

from .chart import AccountSpec
from .models import LedgerAccount, LedgerEntry, LedgerTransaction

Line = tuple[AccountSpec, Money]


class LedgerError(Conflict):
    """The ledger refused a write."""

    code = "ledger_refused"


class Unbalanced(LedgerError):
    """A posting whose lines do not sum to zero per currency (or are otherwise malformed)."""

    code = "ledger_unbalanced"


def account_open(spec: AccountSpec) -> LedgerAccount:
    """The account for `spec`, opened on first use (safe against a concurrent opener)."""
    account, _ = LedgerAccount.objects.get_or_create(
        code=spec.code,
        defaults={
            "kind": spec.kind,
            "currency": spec.currency,
            "owner_kind": spec.owner_kind,
            "owner_id": spec.owner_id,
        },
    )
    if (account.kind, account.currency) != (spec.kind, spec.currency):
        raise LedgerError(f"Account {spec.code} exists as {account.kind} in {account.currency}.")
    return account


def _accounts_open(specs: Sequence[AccountSpec]) -> dict[str, LedgerAccount]:
    """The accounts of a posting in one read; those missing are opened one by one."""
    found = {a.code: a for a in LedgerAccount.objects.filter(code__in={s.code for s in specs})}
    for spec in specs:
        account = found.get(spec.code)
        if account is None:
            found[spec.code] = account_open(spec)
        elif (account.kind, account.currency) != (spec.kind, spec.currency):
            raise LedgerError(
                f"Account {spec.code} exists as {account.kind} in {account.currency}."
            )
    return found


def _validate(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise Unbalanced("A transaction needs at least two entries.")
    sums: dict[str, int] = defaultdict(int)
    for spec, money in lines:
        if money.currency != spec.currency:
            raise Unbalanced(f"{money.currency} cannot be booked on {spec.code}.")
        if money.minor == 0:
            raise Unbalanced(f"A zero entry on {spec.code}.")
        sums[money.currency] += money.minor
    off = {currency: total for currency, total in sums.items() if total}
    if off:
        raise Unbalanced(f"The entries do not sum to zero: {off}.")


def _sums_in_database(booked: LedgerTransaction) -> dict[str, int]:
    rows = booked.entries.values("currency").annotate(total=Sum("amount_minor"))
    return {row["currency"]: row["total"] for row in rows if row["total"]}


def ledger_post(
    *,
    event_key: str,
    kind: str,
    booked_at: datetime,
    lines: Iterable[Line],
    memo: str = "",
    subject: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Book one balanced transaction under a unique business key.

    Lines of zero are left out (a VAT of 0.00 is no entry). Idempotent: a key that is already
    booked returns that transaction and writes nothing. Raises `Unbalanced` — having written
    nothing — when the lines do not balance per currency.
    """
    kept = [(spec, money) for spec, money in lines if money.minor != 0]
    _validate(kept)
    with transaction.atomic():
        existing = LedgerTransaction.objects.filter(event_key=event_key).first()
        if existing is not None:
            return existing  # type: ignore[no-any-return]
        try:
            with transaction.atomic():
                booked = LedgerTransaction.objects.create(
                    event_key=event_key,
                    kind=kind,
                    memo=memo[:300],
                    subject=subject,
                    booked_at=booked_at,
                    reverses=reverses,
                )
        except IntegrityError:  # booked by a concurrent worker meanwhile
            return LedgerTransaction.objects.get(event_key=event_key)
        accounts = _accounts_open([spec for spec, _ in kept])
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                transaction=booked,
                account=accounts[spec.code],
                amount_minor=money.minor,
                currency=money.currency,
            )
            for spec, money in kept
        )
        off = _sums_in_database(booked)
        if off:  # rolls the whole transaction back
            raise Unbalanced(f"Transaction {event_key} does not balance in the database: {off}.")
    return booked


def ledger_reverse(
    *, original: LedgerTransaction, event_key: str, booked_at: datetime, memo: str = ""
) -> LedgerTransaction:
    """The correction of a booked transaction: its entries negated, referring to it. A
    transaction is reversed at most once (the database holds that too)."""
    if LedgerTransaction.objects.filter(reverses=original).exists():
        raise LedgerError(f"Transaction {original.event_key} is already reversed.", code="reversed")
    lines: list[Line] = [
        (_spec_of(entry.account), Money(-entry.amount_minor, entry.currency))
        for entry in original.entries.select_related("account")
    ]
    return ledger_post(
        event_key=event_key,
        kind="reversal",
        booked_at=booked_at,
        lines=lines,
        memo=memo or f"Reverses {original.event_key}",
        subject=original.subject,
        reverses=original,
    )


def _spec_of(account: LedgerAccount) -> AccountSpec:
    return AccountSpec(
        account.code, account.kind, account.currency, account.owner_kind, account.owner_id
    )
