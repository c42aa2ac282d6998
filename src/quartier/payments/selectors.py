"""Reads of the ledger: its balance check and helpers' statements, all from the entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum

from quartier.accounts.models import User
from quartier.money import Money

from .models import AccountKind, LedgerEntry, LedgerTransaction, OwnerKind

#: Statements cut months at midnight here (Zürich and Berlin share their clock).
STATEMENT_TIMEZONE = ZoneInfo("Europe/Zurich")


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
class StatementTotals:
    """A helper's month or year in one currency. `open` is what the helper owes Quartier on
    the statement's last day (negative: what Quartier owes the helper)."""

    currency: str
    jobs: int
    gross: Money
    commission: Money
    vat: Money
    open: Money

    @property
    def net(self) -> Money:
        return self.gross - self.commission - self.vat


@dataclass(frozen=True, slots=True)
class HelperStatement:
    helper_id: int
    year: int
    month: int | None
    starts_at: datetime
    ends_at: datetime  # exclusive
    totals: dict[str, StatementTotals]


def statement_period(year: int, month: int | None) -> tuple[datetime, datetime]:
    if month is None:
        start = datetime(year, 1, 1, tzinfo=STATEMENT_TIMEZONE)
        return start, start.replace(year=year + 1)
    start = datetime(year, month, 1, tzinfo=STATEMENT_TIMEZONE)
    end = start.replace(year=year + 1, month=1) if month == 12 else start.replace(month=month + 1)
    return start, end


def helper_statement(*, helper: User, year: int, month: int | None = None) -> HelperStatement:
    """Gross (settled jobs), commission, VAT on commission, net and open, per currency, for a
    month or (without `month`) a year — summed from the ledger's entries."""
    starts_at, ends_at = statement_period(year, month)
    own = Q(account__owner_kind=OwnerKind.HELPER, account__owner_id=helper.pk)
    helper_transactions = LedgerEntry.objects.filter(own).values("transaction_id")
    in_period = Q(transaction__booked_at__gte=starts_at, transaction__booked_at__lt=ends_at)
    rows = (
        LedgerEntry.objects.filter(transaction_id__in=helper_transactions)
        .filter(
            (own & Q(account__kind=AccountKind.JOBS_GROSS) & in_period)
            | (Q(account__kind__in=[AccountKind.COMMISSION, AccountKind.VAT]) & in_period)
            | (own & Q(account__kind__in=[AccountKind.RECEIVABLE, AccountKind.PAYABLE]))
        )
        .filter(transaction__booked_at__lt=ends_at)
        .order_by()
        .values("currency", "account__kind")
        .annotate(
            total=Sum("amount_minor"),
            settled=Count("id", filter=Q(amount_minor__lt=0)),
            reversed=Count("id", filter=Q(amount_minor__gt=0)),
        )
    )
    by_currency: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows:
        kind_of = by_currency.setdefault(row["currency"], {})
        kind_of[row["account__kind"]] = (row["total"], row["settled"] - row["reversed"])
    totals = {
        currency: StatementTotals(
            currency=currency,
            jobs=kind_of.get(AccountKind.JOBS_GROSS, (0, 0))[1],
            gross=Money(-_total(kind_of, AccountKind.JOBS_GROSS), currency),
            commission=Money(-_total(kind_of, AccountKind.COMMISSION), currency),
            vat=Money(-_total(kind_of, AccountKind.VAT), currency),
            open=Money(
                _total(kind_of, AccountKind.RECEIVABLE) + _total(kind_of, AccountKind.PAYABLE),
                currency,
            ),
        )
        for currency, kind_of in sorted(by_currency.items())
    }
    return HelperStatement(helper.pk, year, month, starts_at, ends_at, totals)


def _total(kind_of: dict[str, tuple[int, int]], kind: str) -> int:
    return kind_of.get(kind, (0, 0))[0]
