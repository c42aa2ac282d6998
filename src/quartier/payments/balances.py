"""Balances the payout, settlement and partner-statement modules read from the ledger.

(The ledger's own reads live in `selectors.py`; these are the ones money leaving Quartier
needs, summed from the entries as well.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet, Sum

from . import chart
from .models import AccountKind, LedgerEntry, OwnerKind
from .payout_models import DirectPaymentItem


def account_balance(code: str) -> int:
    """The balance of one account (debit positive), 0 when it was never used."""
    total = LedgerEntry.objects.filter(account__code=code).aggregate(t=Sum("amount_minor"))["t"]
    return int(total or 0)


def helper_balances(
    currency: str, *, booked_before: datetime | None = None
) -> dict[int, dict[str, int]]:
    """Every helper's payable and receivable balance in `currency`: {helper: {kind: sum}};
    with `booked_before`, only of what was booked before then (a payout run's cut-off)."""
    entries = LedgerEntry.objects.filter(
        currency=currency,
        account__owner_kind=OwnerKind.HELPER,
        account__kind__in=[AccountKind.PAYABLE, AccountKind.RECEIVABLE],
    )
    if booked_before is not None:
        entries = entries.filter(transaction__booked_at__lt=booked_before)
    rows = (
        entries.order_by()
        .values("account__owner_id", "account__kind")
        .annotate(total=Sum("amount_minor"))
    )
    balances: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        balances[row["account__owner_id"]][row["account__kind"]] = int(row["total"])
    return balances


def partner_open_subjects(currency: str) -> QuerySet[LedgerEntry]:
    """Subjects (`booking:<id>`) whose partner share in `currency` is still owed (a subquery)."""
    subjects: QuerySet[LedgerEntry] = (
        LedgerEntry.objects.filter(
            currency=currency,
            account__owner_kind=OwnerKind.PARTNER,
            account__kind=AccountKind.RECEIVABLE,
            transaction__subject__startswith="booking:",
        )
        .order_by()
        .values("transaction__subject")
        .annotate(total=Sum("amount_minor"))
        .filter(total__gt=0)
        .values("transaction__subject")
    )
    return subjects


def helper_payable_by_subject(
    currency: str,
    *,
    subjects: Iterable[str] | QuerySet[LedgerEntry],
    except_subjects: frozenset[str] = frozenset(),
) -> dict[int, int]:
    """What Quartier owes each helper on the given subjects (positive = owed), summing only
    subjects where it owes something (a subject where the helper owes is not netted)."""
    rows = (
        LedgerEntry.objects.filter(
            currency=currency,
            account__owner_kind=OwnerKind.HELPER,
            account__kind=AccountKind.PAYABLE,
            transaction__subject__in=subjects,
        )
        .order_by()
        .values("account__owner_id", "transaction__subject")
        .annotate(total=Sum("amount_minor"))
        .filter(total__lt=0)
    )
    owed: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["transaction__subject"] not in except_subjects:
            owed[row["account__owner_id"]] -= int(row["total"])
    return owed


def settlement_balance(currency: str) -> int:
    return account_balance(chart.settlement(currency).code)


def paid_direct_subjects() -> set[str]:
    """`booking:<id>` of every booking whose share a partner has paid the helper directly."""
    paid = DirectPaymentItem.objects.filter(file__paid_at__isnull=False)
    return {f"booking:{b}" for b in paid.values_list("booking_id", flat=True)}
