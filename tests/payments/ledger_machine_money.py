"""The ledger machine's money out: partners pay their statements into the settlement account,
payout runs pay helpers (`quartier.payments.payouts`, the code `quartier payouts run` uses),
an operator marks runs executed, and days pass on a simulated clock — the worker's hourly
settlement tick (alerts and the hard 60-day guard) runs at least every five days of it.

What each run pays every helper is computed here from the machine's own jobs (payable less
owed commission, EUR shares held while their partner still owes them) and compared with the
run's items; the settlement account is checked at every tick: nothing in it older than 60
days, never below zero; payouts in transit are the runs not executed yet; each partner's
receivable is its shares less refunds less what it paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from quartier.errors import Conflict
from quartier.payments import chart
from quartier.payments.balances import account_balance
from quartier.payments.models import LedgerTransaction
from quartier.payments.payouts import payout_run_executed, payouts_run
from quartier.payments.settlement import (
    partner_payment_record,
    settlement_overdue,
    settlement_tick,
)

#: The machine's clock starts after every settlement moment the jobs use.
START = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
PARTNER_INDEXES = [0, 1]


@dataclass
class Payout:
    helper: int  # index into the machine's helpers
    currency: str
    amount: int
    moment: datetime


@dataclass
class Run:
    pk: int
    currency: str
    total: int
    executed: bool = False


class MoneyOut:
    """Rules and checks mixed into the ledger machine (which owns jobs, helpers, partners)."""

    partners: list[int] = []  # partner ids, set by the test

    def money_out_start(self) -> None:
        self.clock = START
        self.partner_paid = [0, 0]  # CHF each partner paid into the settlement account
        self.payouts: list[Payout] = []
        self.runs: list[Run] = []
        self.money_transactions = 0  # payments, runs, executions

    # --- the model ------------------------------------------------------------------------

    def _share_left(self, job) -> int:
        return job.share - sum(r.share for r in job.refunds if r.booked)

    def _partner_owed(self, partner: int, currency: str = "CHF") -> int:
        shares = sum(
            self._share_left(job)
            for job in self.jobs
            if job.counted and job.partner_id == partner and job.currency == currency
        )
        return shares - (self.partner_paid[partner] if currency == "CHF" else 0)

    def _dues(self, currency: str) -> dict[int, int]:
        """{helper: amount} a run in `currency` pays now: what Quartier owes the helper in
        all (shares less commission owed, refunds and earlier payouts), less EUR shares
        their partner still has to pay the helper directly."""
        dues = {}
        for helper in range(len(self.helpers)):
            jobs = [j for j in self.jobs if j.helper == helper and j.counted]
            jobs = [j for j in jobs if j.currency == currency]
            owed = sum(
                self._share_left(j)
                - j.commission
                - j.vat
                + sum(r.commission + r.vat for r in j.refunds if r.booked)
                for j in jobs
            )
            owed -= sum(
                p.amount for p in self.payouts if (p.helper, p.currency) == (helper, currency)
            )
            held = (
                sum(max(self._share_left(j), 0) for j in jobs if j.partner_id is not None)
                if currency == "EUR"  # EUR partners pay helpers directly
                else 0
            )
            if owed - held > 0:
                dues[helper] = owed - held
        return dues

    def paid_out(self, helper: int, currency: str) -> bool:
        return any((p.helper, p.currency) == (helper, currency) for p in self.payouts)

    # --- rules ----------------------------------------------------------------------------

    def _owing(self) -> list[int]:
        return [p for p in PARTNER_INDEXES if self._partner_owed(p) > 0]

    @precondition(lambda self: bool(self._owing()))
    @rule(data=st.data())
    def partner_pays_part(self, data):
        """A CHF partner pays part of what it owes into the settlement account today."""
        partner = data.draw(st.sampled_from(self._owing()))
        self._partner_pays(partner, data.draw(st.integers(1, self._partner_owed(partner))))

    @precondition(lambda self: bool(self._owing()))
    @rule(data=st.data())
    def partner_pays_statement(self, data):
        """A CHF partner pays all it owes."""
        partner = data.draw(st.sampled_from(self._owing()))
        self._partner_pays(partner, self._partner_owed(partner))

    def _partner_pays(self, partner: int, amount: int) -> None:
        self._ran("partner_pays")
        self._dirty = True
        with time_machine.travel(self.clock, tick=False):
            partner_payment_record(
                actor=None,
                partner_id=self.partners[partner],
                amount_minor=amount,
                received_on=self.clock.date(),
                reference=f"CAMT-{len(self.runs)}-{self.money_transactions}",
            )
        self.partner_paid[partner] += amount
        self.money_transactions += 1

    @precondition(lambda self: any(job.counted and job.share for job in self.jobs))
    @rule(currency=st.sampled_from(["CHF", "CHF", "EUR"]))
    def payout_run(self, currency):
        """`quartier payouts run`: each helper gets what the machine says they are owed."""
        self._ran("payout_run")
        self._dirty = True
        expected = self._dues(currency)
        result = payouts_run(currency=currency, now=self.clock)
        if not expected:
            assert result.run is None
            return
        assert result.run is not None
        paid = dict(result.run.items.values_list("helper_id", "amount_minor"))
        assert paid == {self.helpers[h][0]: amount for h, amount in expected.items()}
        assert result.run.total_minor == sum(expected.values())
        for helper, amount in expected.items():
            self.payouts.append(Payout(helper, currency, amount, self.clock))
            self._touch(helper, self.clock)
        self.runs.append(Run(result.run.pk, currency, result.run.total_minor))
        self.money_transactions += 1
        assert payouts_run(currency=currency, now=self.clock).run is None  # nothing twice

    @precondition(lambda self: any(not run.executed for run in self.runs))
    @rule(data=st.data())
    def file_executed(self, data):
        """An operator marks a run's file executed by the bank (once only)."""
        self._ran("file_executed")
        self._dirty = True
        run = data.draw(st.sampled_from([run for run in self.runs if not run.executed]))
        payout_run_executed(run_id=run.pk, actor=None, now=self.clock)
        run.executed = True
        self.money_transactions += 1
        with pytest.raises(Conflict):
            payout_run_executed(run_id=run.pk, actor=None, now=self.clock)

    @precondition(lambda self: any(self.partner_paid))  # before, time changes nothing
    @rule(days=st.one_of(st.integers(1, 20), st.integers(50, 70)))
    def days_pass(self, days):
        """Days pass (often past the guard's 55); the worker's settlement tick runs at least
        every five of them, and after each tick no franc in the settlement account is older
        than 60 days."""
        self._ran("days_pass")
        while days > 0:
            hop = min(days, 5)
            days -= hop
            self.clock += timedelta(days=hop)
            settlement_tick(now=self.clock)
            assert settlement_overdue(days=60, now=self.clock) == []
        self._dirty = True

    # --- checks ---------------------------------------------------------------------------

    def money_out_transactions(self) -> int:
        cleared = LedgerTransaction.objects.filter(kind="settlement.cleared").count()
        return self.money_transactions + cleared

    def money_out_check(self) -> None:
        """Run with the ledger's checks, whenever a step changed the ledger."""
        assert account_balance(chart.settlement("CHF").code) >= 0
        assert settlement_overdue(days=60, now=self.clock) == []
        for currency in ("CHF", "EUR"):
            in_transit = sum(
                r.total for r in self.runs if r.currency == currency and not r.executed
            )
            assert account_balance(chart.payouts_in_transit(currency).code) == -in_transit
            for partner in PARTNER_INDEXES:
                code = chart.partner_receivable(self.partners[partner], currency).code
                assert account_balance(code) == self._partner_owed(partner, currency)
