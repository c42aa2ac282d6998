"""Partner statements: per partner and month, what it owes for its share of settled jobs.

Read from the ledger: the partner's receivable, one line per booking transaction
(`booking:<id>`) booked in the month — a job's share, and as lines of their own the refunds
(a dispute's decision) and corrections that lower it; the total is net of them. A EUR
partner's statement names the partner's address (from the account it pays helpers from).
CHF partners pay the total into Quartier's settlement account (recorded with
`settlement.partner_payment_record`). EUR partners pay the helpers directly: the statement
comes with a pain.001 file from the partner's account to each helper; once the partner ran
it, each booking's share is booked as paid directly (partner receivable -, helper payable +).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from quartier.money import Money
from quartier.partners.models import Partner

from .models import AccountKind, LedgerEntry, OwnerKind
from .payout_config import payout_iban
from .payout_models import PartnerAccount
from .references import partner_statement_reference
from .selectors import STATEMENT_TIMEZONE


@dataclass(frozen=True, slots=True)
class StatementLine:
    booking_id: int
    helper_id: int | None
    booked_at: datetime
    amount_minor: int  # negative for a refund or a correction
    kind: str = "job"  # job, refund (after a dispute), correction (a reversed settlement)


@dataclass(frozen=True, slots=True)
class PartnerStatement:
    partner_id: int
    month: date
    currency: str
    lines: list[StatementLine]
    payments_minor: int  # paid in the month (to Quartier, or to helpers directly)
    open_minor: int  # owed at the month's end, all months together
    address: list[str] = field(default_factory=list)  # the partner's (EUR statements)
    # What the partner's transfer names (CHF: paid to Quartier; the bank import matches it).
    reference: str = ""

    @property
    def total_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines)


#: A statement line's kind by the ledger transaction that booked it.
LINE_KINDS = {"job.refunded": "refund", "reversal": "correction"}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=STATEMENT_TIMEZONE)
    end = (
        start.replace(year=start.year + 1, month=1)
        if month.month == 12
        else start.replace(month=month.month + 1)
    )
    return start, end


def _helpers_of(subjects: list[str], currency: str) -> dict[str, int]:
    rows = LedgerEntry.objects.filter(
        transaction__subject__in=subjects,
        currency=currency,
        account__owner_kind=OwnerKind.HELPER,
        account__kind=AccountKind.PAYABLE,
    ).values_list("transaction__subject", "account__owner_id")
    return dict(rows)


def partner_statements(*, partner: Partner, month: date) -> list[PartnerStatement]:
    """The partner's statement of `month`, one per currency it had jobs or money in."""
    start, end = month_bounds(month)
    own = Q(account__owner_kind=OwnerKind.PARTNER, account__owner_id=partner.pk)
    entries = LedgerEntry.objects.filter(own, account__kind=AccountKind.RECEIVABLE)
    in_month = entries.filter(transaction__booked_at__gte=start, transaction__booked_at__lt=end)
    by_subject = (
        in_month.filter(transaction__subject__startswith="booking:")
        .exclude(transaction__kind__startswith="partner.")
        .values(
            "currency",
            "transaction__subject",
            "transaction__booked_at",
            "amount_minor",
            "transaction__kind",
        )
        .order_by("transaction__booked_at", "id")
    )
    lines: dict[str, list[tuple[str, datetime, int, str]]] = defaultdict(list)
    for row in by_subject:
        kind = LINE_KINDS.get(row["transaction__kind"], "job")
        lines[row["currency"]].append(
            (row["transaction__subject"], row["transaction__booked_at"], row["amount_minor"], kind)
        )
    paid = in_month.filter(amount_minor__lt=0, transaction__kind__startswith="partner.")
    paid_by_currency = {
        r["currency"]: -int(r["t"])
        for r in paid.values("currency").annotate(t=Sum("amount_minor")).order_by()
    }
    account = PartnerAccount.objects.filter(partner=partner).first()
    address = account.address_lines() if account is not None else []
    statements = []
    for currency in sorted(set(lines) | set(paid_by_currency)):
        helpers = _helpers_of([line[0] for line in lines[currency]], currency)
        open_at_end = entries.filter(currency=currency, transaction__booked_at__lt=end)
        statements.append(
            PartnerStatement(
                partner_id=partner.pk,
                month=month.replace(day=1),
                currency=currency,
                lines=[
                    StatementLine(
                        int(subject.split(":")[1]), helpers.get(subject), at, amount, kind
                    )
                    for subject, at, amount, kind in lines[currency]
                ],
                payments_minor=paid_by_currency.get(currency, 0),
                open_minor=int(open_at_end.aggregate(t=Sum("amount_minor"))["t"] or 0),
                address=address if currency == "EUR" else [],
                reference=partner_statement_reference(
                    partner_id=partner.pk, month=month, iban=payout_iban(currency)
                )
                if currency == "CHF"
                else "",
            )
        )
    return statements


def partner_statement_csv(statements: list[PartnerStatement]) -> str:
    """One row per line, then per currency its total, payments and what is open."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date"), _("Booking"), _("Helper"), _("Kind"), _("Currency"), _("Amount")])
    for statement in statements:
        for line in statement.lines:
            writer.writerow(
                [
                    line.booked_at.astimezone(STATEMENT_TIMEZONE).date().isoformat(),
                    line.booking_id,
                    line.helper_id or "",
                    line.kind,
                    statement.currency,
                    str(Money(line.amount_minor, statement.currency).amount),
                ]
            )
        for label, minor in (
            (_("Total"), statement.total_minor),
            (_("Paid this month"), statement.payments_minor),
            (_("Open at the month's end"), statement.open_minor),
        ):
            writer.writerow(
                [
                    label,
                    "",
                    "",
                    "",
                    statement.currency,
                    str(Money(minor, statement.currency).amount),
                ]
            )
    return out.getvalue()


ADDRESS_FIELDS = {"street": 70, "house_number": 16, "postcode": 16, "town": 35}


def partner_account_set(
    *, partner: Partner, iban: str, account_holder: str, **address: str
) -> PartnerAccount:
    """The account a EUR partner pays helpers from (checked like a helper's IBAN) and the
    partner's address (street, house_number, postcode, town: all needed)."""
    from .profiles import _Errors, _iban

    errors = _Errors()
    compact = _iban(iban.replace(" ", ""), "DE", errors)
    if not compact and "iban" not in errors.errors:
        errors.add("iban", "iban_missing", "Enter the IBAN.")
    if not account_holder.strip():
        errors.add("account_holder", "holder_missing", "Enter the account holder.")
    cleaned = {name: str(address.get(name) or "").strip() for name in ADDRESS_FIELDS}
    for name, length in ADDRESS_FIELDS.items():
        if not cleaned[name]:
            errors.add(name, "address_missing", "Enter the partner's address.")
        elif len(cleaned[name]) > length:
            errors.add(name, "too_long", f"At most {length} characters.")
    errors.raise_if_any()
    account, _ = PartnerAccount.objects.update_or_create(
        partner=partner,
        defaults={"iban": compact, "account_holder": account_holder.strip()[:70]}
        | cleaned
        | {"country": "DE"},
    )
    return account
