"""A helper's statement for a month or a year, read from the ledger's entries alone.

Per currency: gross (the settled jobs' prices), refunds, commission and VAT on it (net of
what refunds gave back), tips, fees (none yet: the row is there for later), net (what the
helper keeps: gross - refunds - commission - VAT + tips - fees), paid out (the helper's
part of transactions with subject `payout:<id>`), and open at the period's end (what the
helper owes Quartier; negative: what Quartier owes the helper). Plus one line per booking
that had a transaction in the period. Months are cut at midnight in Zürich (Berlin shares
the clock), by each transaction's `booked_at`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from quartier.accounts.models import User
from quartier.money import Money

from .flows import REFUNDED, SETTLED
from .models import AccountKind, LedgerEntry, OwnerKind

STATEMENT_TIMEZONE = ZoneInfo("Europe/Zurich")
_MEMO_METHOD = re.compile(r"^Booking #\d+, (transfer|cash|partner|card|twint):")


def memo_method(memo: str) -> str:
    """The payment method a settlement's memo names (memos before payload v2: transfer)."""
    found = _MEMO_METHOD.match(memo)
    return found.group(1) if found else "transfer"


@dataclass(slots=True)
class Amounts:
    """The statement's columns in minor units (a booking's line, or a currency's total)."""

    gross: int = 0
    refund: int = 0
    commission: int = 0
    vat: int = 0
    tip: int = 0
    fees: int = 0
    partner_share: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.refund - self.commission - self.vat + self.tip - self.fees


@dataclass(frozen=True, slots=True)
class StatementLine:
    booking_id: int
    booked_at: datetime  # the booking's first transaction in the period
    method: str  # transfer, cash, partner; "" for a line with only a later refund
    currency: str
    amounts: Amounts

    def money(self, column: str) -> Money:
        value = self.amounts.net if column == "net" else getattr(self.amounts, column)
        return Money(value, self.currency)


@dataclass(frozen=True, slots=True)
class StatementTotals:
    currency: str
    jobs: int
    gross: Money
    refunds: Money
    commission: Money
    vat: Money
    tips: Money
    fees: Money
    partner_share: Money  # what partners pay for these jobs (Quartier owes it the helper)
    paid_out: Money
    open: Money

    @property
    def net(self) -> Money:
        return self.gross - self.refunds - self.commission - self.vat + self.tips - self.fees

    @property
    def open_amount(self) -> Money:
        """What is open, without its direction (the sign of `open` says who owes whom)."""
        return Money(abs(self.open.minor), self.currency)


@dataclass(frozen=True, slots=True)
class HelperStatement:
    helper_id: int
    year: int
    month: int | None
    starts_at: datetime
    ends_at: datetime  # exclusive
    totals: dict[str, StatementTotals]
    lines: list[StatementLine] = field(default_factory=list)


def statement_period(year: int, month: int | None) -> tuple[datetime, datetime]:
    if month is None:
        start = datetime(year, 1, 1, tzinfo=STATEMENT_TIMEZONE)
        return start, start.replace(year=year + 1)
    start = datetime(year, month, 1, tzinfo=STATEMENT_TIMEZONE)
    end = start.replace(year=year + 1, month=1) if month == 12 else start.replace(month=month + 1)
    return start, end


_ROW = (
    "transaction__kind",
    "transaction__reverses__kind",
    "transaction__subject",
    "transaction__memo",
    "transaction__booked_at",
    "account__kind",
    "account__owner_kind",
    "account__owner_id",
    "amount_minor",
    "currency",
)


@dataclass(slots=True)
class _Gathered:
    jobs: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    paid_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    totals: dict[str, Amounts] = field(default_factory=lambda: defaultdict(Amounts))
    lines: dict[tuple[int, str], StatementLine] = field(default_factory=dict)


def _column(row: dict[str, Any], mine: bool, kind: str) -> str | None:
    """Which column an entry of a booking's transaction adds to (None: no column)."""
    account = row["account__kind"]
    if account in (AccountKind.COMMISSION, AccountKind.VAT):
        return "commission" if account == AccountKind.COMMISSION else "vat"
    if row["account__owner_kind"] == OwnerKind.PARTNER:
        # A partner's share of a job, as the partner owes it (a refund after a payout takes
        # part of it back from the helper's receivable instead of the payable).
        booking = row["transaction__subject"].startswith("booking:")
        return "partner_share" if booking and account == AccountKind.RECEIVABLE else None
    if not mine:
        return None
    return {
        AccountKind.JOBS_GROSS: "refund" if kind == REFUNDED else "gross",
        AccountKind.TIPS: "tip",
    }.get(account)


def _gather(rows: list[dict[str, Any]], helper_id: int) -> _Gathered:
    got = _Gathered()
    for row in rows:
        currency, amount, subject = (
            row["currency"],
            row["amount_minor"],
            row["transaction__subject"],
        )
        mine = (
            row["account__owner_kind"] == OwnerKind.HELPER and row["account__owner_id"] == helper_id
        )
        kind = row["transaction__reverses__kind"] or row["transaction__kind"]
        if subject.startswith("payout:"):
            if mine and row["account__kind"] in (AccountKind.PAYABLE, AccountKind.RECEIVABLE):
                got.paid_out[currency] += amount
            continue
        column = _column(row, mine, kind)
        if column is None:
            continue
        # Credits to the helper's memo and revenue accounts count positive here; a refund's
        # debit on the helper's gross counts positive as a refund, a partner's debt as its share.
        value = amount if column in ("refund", "partner_share") else -amount
        if column == "gross" and kind == SETTLED:
            got.jobs[currency] += 1 if amount < 0 else -1
        setattr(got.totals[currency], column, getattr(got.totals[currency], column) + value)
        if subject.startswith("booking:"):
            line = _line(got, row, int(subject.split(":")[1]))
            setattr(line.amounts, column, getattr(line.amounts, column) + value)
    return got


def _line(got: _Gathered, row: dict[str, Any], booking_id: int) -> StatementLine:
    key = (booking_id, row["currency"])
    if key not in got.lines:
        got.lines[key] = StatementLine(
            booking_id, row["transaction__booked_at"], "", key[1], Amounts()
        )
    line = got.lines[key]
    if row["transaction__kind"] == SETTLED and not line.method:
        got.lines[key] = line = StatementLine(
            booking_id, line.booked_at, memo_method(row["transaction__memo"]), key[1], line.amounts
        )
    return line


def _open_at(helper_id: int, ends_at: datetime) -> dict[str, tuple[int, int]]:
    """Receivable + payable per currency before `ends_at` (balance, number of entries)."""
    rows = (
        LedgerEntry.objects.filter(
            account__owner_kind=OwnerKind.HELPER,
            account__owner_id=helper_id,
            account__kind__in=[AccountKind.RECEIVABLE, AccountKind.PAYABLE],
            transaction__booked_at__lt=ends_at,
        )
        .order_by()
        .values("currency")
        .annotate(total=Sum("amount_minor"), n=Count("id"))
    )
    return {row["currency"]: (row["total"], row["n"]) for row in rows}


def helper_statement(*, helper: User, year: int, month: int | None = None) -> HelperStatement:
    """The helper's month or (without `month`) year, per currency, from the ledger."""
    starts_at, ends_at = statement_period(year, month)
    own = Q(account__owner_kind=OwnerKind.HELPER, account__owner_id=helper.pk)
    rows = list(
        LedgerEntry.objects.filter(
            transaction_id__in=LedgerEntry.objects.filter(own).values("transaction_id"),
            transaction__booked_at__gte=starts_at,
            transaction__booked_at__lt=ends_at,
        )
        .order_by("transaction__booked_at", "transaction_id", "id")
        .values(*_ROW)
    )
    got = _gather(rows, helper.pk)
    open_at = _open_at(helper.pk, ends_at)
    totals = {}
    for currency in sorted(set(got.totals) | set(got.paid_out) | set(open_at)):
        amounts = got.totals[currency]

        def money(minor: int, currency: str = currency) -> Money:
            return Money(minor, currency)

        totals[currency] = StatementTotals(
            currency=currency,
            jobs=got.jobs[currency],
            gross=money(amounts.gross),
            refunds=money(amounts.refund),
            commission=money(amounts.commission),
            vat=money(amounts.vat),
            tips=money(amounts.tip),
            fees=money(amounts.fees),
            partner_share=money(amounts.partner_share),
            paid_out=money(got.paid_out[currency]),
            open=money(open_at.get(currency, (0, 0))[0]),
        )
    lines = sorted(got.lines.values(), key=lambda line: (line.booked_at, line.booking_id))
    return HelperStatement(helper.pk, year, month, starts_at, ends_at, totals, lines)


CSV_COLUMNS = ("gross", "tip", "partner_share", "refund", "commission", "vat", "net")


def statement_csv(statement: HelperStatement) -> str:
    """One row per booking, then one total row per currency; amounts as plain decimals."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["Date", "Booking", "Payment", "Currency", "Gross", "Tip", "Paid by partner"]
    header += ["Refund", "Commission", "VAT on commission", "Net"]
    writer.writerow([_(title) for title in header])
    for line in statement.lines:
        writer.writerow(
            [
                line.booked_at.astimezone(STATEMENT_TIMEZONE).date().isoformat(),
                line.booking_id,
                line.method,
                line.currency,
                *(str(line.money(column).amount) for column in CSV_COLUMNS),
            ]
        )
    for total in statement.totals.values():
        writer.writerow(
            [
                _("Total"),
                total.jobs,
                "",
                total.currency,
                *(str(m.amount) for m in (total.gross, total.tips, total.partner_share)),
                *(str(m.amount) for m in (total.refunds, total.commission, total.vat, total.net)),
            ]
        )
    return out.getvalue()
