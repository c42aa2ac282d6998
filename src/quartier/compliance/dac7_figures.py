"""Each seller's DAC7 figures per quarter, read from the ledger through payments' statements.

Per quarter and currency (§ 14 Abs. 2 Nr. 8-10 PStTG, money-law §4): the consideration
paid or credited, net of the fees, commissions and taxes Quartier withheld or charged —
tips included, refunds deducted (the statement's net: gross - refunds - commission - VAT +
tips - fees); the fees, commissions and taxes themselves (commission + VAT on it + fees);
and the number of relevant activities (settled jobs). Quarters are cut at midnight in
Zürich and Berlin (one clock), by when each ledger transaction was booked: a refund counts
in the quarter it was booked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from quartier.accounts.models import User
from quartier.payments.models import AccountKind, LedgerEntry, OwnerKind
from quartier.payments.selectors import helper_statement
from quartier.payments.statements import statement_period

QUARTERS = (1, 2, 3, 4)


@dataclass(slots=True)
class Quarter:
    consideration: int = 0
    fees: int = 0
    activities: int = 0


@dataclass(slots=True)
class SellerYear:
    helper_id: int
    year: int
    currency: str
    quarters: dict[int, Quarter] = field(default_factory=lambda: {q: Quarter() for q in QUARTERS})

    @property
    def consideration(self) -> int:
        return sum(q.consideration for q in self.quarters.values())

    @property
    def fees(self) -> int:
        return sum(q.fees for q in self.quarters.values())

    @property
    def activities(self) -> int:
        return sum(q.activities for q in self.quarters.values())

    @property
    def active(self) -> bool:
        return any(q.activities or q.consideration for q in self.quarters.values())


def seller_year(*, helper: User, year: int) -> dict[str, SellerYear]:
    """The seller's quarters of `year`, per currency (empty: nothing in the ledger)."""
    out: dict[str, SellerYear] = {}
    for month in range(1, 13):
        statement = helper_statement(helper=helper, year=year, month=month)
        for currency, totals in statement.totals.items():
            quarter = out.setdefault(currency, SellerYear(helper.pk, year, currency)).quarters[
                (month - 1) // 3 + 1
            ]
            quarter.consideration += totals.net.minor
            quarter.fees += totals.commission.minor + totals.vat.minor + totals.fees.minor
            quarter.activities += totals.jobs
    return {c: figures for c, figures in out.items() if figures.active}


def sellers_with_ledger_in(year: int) -> list[int]:
    """Helpers with a job's transaction booked in `year` (the candidates for activity)."""
    starts_at, ends_at = statement_period(year, None)
    rows = (
        LedgerEntry.objects.filter(
            Q(account__kind=AccountKind.JOBS_GROSS) | Q(account__kind=AccountKind.TIPS),
            account__owner_kind=OwnerKind.HELPER,
            transaction__booked_at__gte=starts_at,
            transaction__booked_at__lt=ends_at,
        )
        .order_by()
        .values_list("account__owner_id", flat=True)
        .distinct()
    )
    return sorted({int(owner) for owner in rows if owner is not None})
