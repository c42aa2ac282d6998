"""Reads of the ledger, all from the entries: its balance check, the trial balance, the
settlement account's age, what is held for open disputes, and a subject's transactions.
Helpers' statements are in `statements.py` (`helper_statement` is re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from quartier.bookings.selectors import booking_ids_in_open_dispute

from . import chart
from .flows import booking_subject
from .models import LedgerEntry, LedgerTransaction
from .statements import STATEMENT_TIMEZONE, helper_statement

__all__ = ["STATEMENT_TIMEZONE", "helper_statement"]


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    currency: str
    debits: int
    credits: int  # negative or zero

    @property
    def balance(self) -> int:
        return self.debits + self.credits


@dataclass(frozen=True, slots=True)
class Imbalance:
    transaction_id: int
    event_key: str
    currency: str
    total: int


def ledger_totals() -> list[CurrencyTotals]:
    """Debits, credits and the balance per currency over the whole ledger."""
    rows = (
        LedgerEntry.objects.order_by()
        .values("currency")
        .annotate(
            debits=Sum("amount_minor", filter=Q(amount_minor__gt=0), default=0),
            credits=Sum("amount_minor", filter=Q(amount_minor__lt=0), default=0),
        )
        .order_by("currency")
    )
    return [CurrencyTotals(row["currency"], row["debits"], row["credits"]) for row in rows]


def ledger_imbalances(*, limit: int = 100) -> list[Imbalance]:
    """Transactions whose entries do not sum to zero in some currency."""
    rows = (
        LedgerEntry.objects.order_by()
        .values("transaction_id", "transaction__event_key", "currency")
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
        .order_by("transaction_id", "currency")[:limit]
    )
    return [
        Imbalance(r["transaction_id"], r["transaction__event_key"], r["currency"], r["total"])
        for r in rows
    ]


def ledger_currency_mismatches(*, limit: int = 100) -> list[int]:
    """Entries booked in another currency than their account's (ids)."""
    return list(
        LedgerEntry.objects.exclude(currency=F("account__currency"))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def ledger_transaction_count() -> int:
    return LedgerTransaction.objects.count()


def ledger_thin_transactions(*, limit: int = 100) -> list[int]:
    """Transactions with fewer than two entries (ids): rows went missing."""
    return list(
        LedgerTransaction.objects.annotate(lines=Count("entries"))
        .filter(lines__lt=2)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


@dataclass(frozen=True, slots=True)
class AccountBalance:
    code: str
    kind: str
    nature: str  # asset, liability, revenue, memo (`chart.NATURE`)
    currency: str
    balance: int  # debit positive, credit negative


def trial_balance() -> dict[str, list[AccountBalance]]:
    """Every account's balance, per currency (each currency's balances sum to zero)."""
    rows = (
        LedgerEntry.objects.order_by()
        .values("account__code", "account__kind", "account__currency")
        .annotate(balance=Sum("amount_minor"))
        .order_by("account__currency", "account__code")
    )
    balances: dict[str, list[AccountBalance]] = {}
    for row in rows:
        kind, currency = row["account__kind"], row["account__currency"]
        balances.setdefault(currency, []).append(
            AccountBalance(row["account__code"], kind, chart.NATURE[kind], currency, row["balance"])
        )
    return balances


@dataclass(frozen=True, slots=True)
class SettlementAge:
    """Partners' money on the settlement account, first in first out: how much is there,
    since when the oldest part of it has waited, and how many days that is."""

    currency: str
    held_minor: int
    oldest_at: datetime | None
    days: int


def settlement_age(currency: str, *, now: datetime | None = None) -> SettlementAge:
    """Every credit (a payout file executed, a correction) pays out the oldest money first;
    what is left of the oldest debit not paid out in full dates the account."""
    now = now or timezone.now()
    rows = list(
        LedgerEntry.objects.filter(account__code=chart.settlement(currency).code, currency=currency)
        .order_by("transaction__booked_at", "id")
        .values_list("amount_minor", "transaction__booked_at")
    )
    paid = -sum(amount for amount, _ in rows if amount < 0)
    held = sum(amount for amount, _ in rows)
    for amount, booked_at in rows:
        if amount <= 0:
            continue
        if paid < amount:
            return SettlementAge(currency, held, booked_at, max(0, (now - booked_at).days))
        paid -= amount
    return SettlementAge(currency, held, None, 0)


def held_minor(helper_id: int, currency: str) -> int:
    """What Quartier owes the helper on jobs with an open dispute (partner shares net of
    refunds): a payout run must keep it back until the dispute is decided."""
    subjects = [booking_subject(b) for b in booking_ids_in_open_dispute(helper_id=helper_id)]
    if not subjects:
        return 0
    owed = LedgerEntry.objects.filter(
        account__code=chart.helper_payable(helper_id, currency).code,
        transaction__subject__in=subjects,
    ).aggregate(total=Sum("amount_minor", default=0))["total"]
    return max(0, -int(owed))


def transactions_for_subject(subject: str) -> QuerySet[LedgerTransaction]:
    """A booking's or payout's transactions (`booking:42`, `payout:7`), oldest first, with
    their entries and accounts."""
    return (
        LedgerTransaction.objects.filter(subject=subject)
        .order_by("booked_at", "id")
        .prefetch_related("entries__account")
    )


def ledger_subjects(*, prefix: str = "", limit: int = 200) -> list[tuple[str, int]]:
    """Subjects with their number of transactions, most recently booked first."""
    rows = (
        LedgerTransaction.objects.exclude(subject="")
        .filter(subject__startswith=prefix)
        .order_by()
        .values("subject")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by("-last")[:limit]
    )
    return [(row["subject"], row["n"]) for row in rows]
