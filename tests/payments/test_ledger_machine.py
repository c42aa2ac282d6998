"""A Hypothesis state machine over the ledger's flows: jobs are booked, tipped, cancelled or
settled — by transfer, in cash, paid by a partner, or split between partner and customer —
disputes refund part of them, and the worker books the events in random batches (some
batches rolled back, some events replayed, some settlements reversed). Partners pay into the
settlement account, payout runs pay helpers, runs are executed and days pass on a simulated
clock (`ledger_machine_money.py`): the settlement account never holds a franc past 60 days.

After every step: every transaction and the whole ledger sum to zero per currency; no
helper's account is on the wrong side (the receivable only holds owed commission, the
payable, gross and tips memos only what the helper earned); a cancelled job has no entries;
and the statements of the months and the year a step touched equal the jobs — computed
here independently with our own half-up rounding — and therefore the ledger.

Runs LEDGER_MACHINE_EXAMPLES x at most LEDGER_MACHINE_STEPS (default 200 x 30, the
`ledger-machine` profile) on the test database (SQLite, or PostgreSQL with DATABASE_URL);
with `-s` it prints how many examples, steps, jobs and comparisons actually ran and the
time taken.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from quartier.events import outbox, record_event
from quartier.events.models import DomainEvent, HandledEvent
from quartier.money import Money
from quartier.payments.handlers import on_dispute_resolved, on_job_settled
from quartier.payments.models import LedgerEntry, LedgerTransaction
from quartier.payments.selectors import (
    ledger_currency_mismatches,
    ledger_imbalances,
    ledger_thin_transactions,
    ledger_totals,
)
from quartier.payments.services import ledger_reverse
from quartier.payments.statements import helper_statement
from tests.factories import UserFactory
from tests.partners.factories import make_partner
from tests.payments.ledger_machine_money import PARTNER_INDEXES, MoneyOut
from tests.payments.money_fixtures import ready_helper

settings.register_profile(
    "ledger-machine",
    max_examples=int(os.environ.get("LEDGER_MACHINE_EXAMPLES", "200")),
    stateful_step_count=int(os.environ.get("LEDGER_MACHINE_STEPS", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile("ledger-machine")

COMMISSION = {
    "default": "0.15",
    "tutoring": "0.1",
    "CH": {"default": "0.155", "tech-support": "0.14"},
    "DE": {"cleaning": "0.12", "home": "0.133"},
}
VAT = {"CH": "8.1"}
SKILLS = [
    ("cleaning", "home"),
    ("gardening", "home"),
    ("computer", "tech-support"),
    ("tutoring", "lessons"),
]
ZURICH = ZoneInfo("Europe/Zurich")
# Around month and year ends, in UTC (23:30 UTC on 31 Jan is February in Zürich).
MOMENTS = [
    datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
    datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
]
METHODS = ["transfer", "cash", "partner", "split"]
PARTNERS = PARTNER_INDEXES  # the machine's partners, by index


def half_up(value: Fraction) -> int:
    return int(math.copysign(math.floor(abs(value) + Fraction(1, 2)), value))


def expected_rate(market: str, skill: str, category: str) -> Fraction:
    scoped = COMMISSION.get(market, {})
    assert isinstance(scoped, dict)
    for scope, key in [(scoped, skill), (scoped, category), (scoped, "default")]:
        if key in scope:
            return Fraction(scope[key])
    for key in (skill, category, "default"):
        if key in COMMISSION:
            return Fraction(str(COMMISSION[key]))
    raise AssertionError("no default")


def local_period(moment: datetime) -> tuple[int, int]:
    local = moment.astimezone(ZURICH)
    return local.year, local.month


@dataclass
class Refund:
    event_id: int
    asked: int
    moment: datetime
    booked: bool = False
    # What the refund took, once booked: price, commission, VAT, partner share.
    price: int = 0
    commission: int = 0
    vat: int = 0
    share: int = 0


@dataclass
class Job:
    booking_id: int
    helper: int  # index into the machine's helpers
    price: int
    currency: str
    market: str
    skill: tuple[str, str]
    tip: int = 0
    cancelled: bool = False
    event_id: int | None = None  # of job.settled, once settled
    method: str = ""
    partner_id: int | None = None
    share: int = 0
    moment: datetime = MOMENTS[0]
    commission: int = 0
    vat: int = 0
    delivered: bool = False
    reversed: bool = False
    refunds: list[Refund] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.delivered and not self.reversed


@dataclass
class Runs:
    examples: int = 0
    steps: int = 0
    comparisons: int = 0
    settled: int = 0
    refunds: int = 0
    cleared: int = 0  # transactions of the settlement guard
    rules: Counter[str] = field(default_factory=Counter)


RUNS = Runs()


class LedgerMachine(MoneyOut, RuleBasedStateMachine):
    helpers: list[tuple[int, str]] = []  # (user id, country), set by the test

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # every example rolls back at teardown
        self.jobs: list[Job] = []
        self.touched: set[tuple[int, int, int]] = set()  # (helper, year, month) to compare
        self._dirty = False
        self.booked_directly: set[int] = set()
        self._check_accounts = False
        self.money_out_start()
        RUNS.examples += 1

    def teardown(self) -> None:
        RUNS.cleared += LedgerTransaction.objects.filter(kind="settlement.cleared").count()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _ran(self, name: str) -> None:
        RUNS.steps += 1
        RUNS.rules[name] += 1

    def _jobs(self, ready) -> list[Job]:
        return [job for job in self.jobs if ready(job)]

    # --- the jobs' lives --------------------------------------------------------------------

    @rule(
        helper=st.integers(0, 2),
        price=st.one_of(st.integers(1, 500), st.integers(1, 10_000_000)),
        currency=st.sampled_from(["CHF", "EUR"]),
        market=st.sampled_from(["CH", "DE"]),
        skill=st.sampled_from(SKILLS),
    )
    def book(self, helper, price, currency, market, skill):
        self._ran("book")
        self.jobs.append(Job(len(self.jobs) + 1, helper, price, currency, market, skill))

    @precondition(lambda self: any(j.event_id is None and not j.cancelled for j in self.jobs))
    @rule(data=st.data(), tip=st.integers(1, 5000))
    def tip(self, data, tip):
        self._ran("tip")
        job = data.draw(
            st.sampled_from(self._jobs(lambda j: j.event_id is None and not j.cancelled))
        )
        job.tip += tip

    @precondition(lambda self: any(j.event_id is None and not j.cancelled for j in self.jobs))
    @rule(data=st.data())
    def cancel(self, data):
        self._ran("cancel")
        job = data.draw(
            st.sampled_from(self._jobs(lambda j: j.event_id is None and not j.cancelled))
        )
        job.cancelled = True

    @precondition(lambda self: any(j.event_id is None and not j.cancelled for j in self.jobs))
    @rule(
        data=st.data(),
        method=st.sampled_from(METHODS),
        partner=st.sampled_from(PARTNERS),
        moment=st.sampled_from(MOMENTS),
    )
    def settle(self, data, method, partner, moment):
        self._ran("settle")
        job = data.draw(
            st.sampled_from(self._jobs(lambda j: j.event_id is None and not j.cancelled))
        )
        self._settle(data, job, method, partner, moment)

    @rule(
        jobs=st.lists(
            st.tuples(
                st.integers(0, 2),
                st.one_of(st.integers(1, 500), st.integers(1, 10_000_000)),
                st.sampled_from(["CHF", "EUR"]),
                st.sampled_from(["CH", "DE"]),
                st.sampled_from(SKILLS),
                st.integers(0, 3000),
            ),
            min_size=1,
            max_size=3,
        ),
        data=st.data(),
        method=st.sampled_from(METHODS),
        partner=st.sampled_from(PARTNERS),
        moment=st.sampled_from(MOMENTS),
    )
    def book_and_settle(self, jobs, data, method, partner, moment):
        """Jobs booked, (maybe) tipped and settled before the worker comes by."""
        self._ran("book_and_settle")
        for helper, price, currency, market, skill, tip in jobs:
            job = Job(len(self.jobs) + 1, helper, price, currency, market, skill, tip=tip)
            self.jobs.append(job)
            self._settle(data, job, method, partner, moment)

    def _settle(self, data, job, method, partner, moment):
        if method == "split" and job.price < 2:
            method = "partner"
        if method == "split":
            job.share = data.draw(st.integers(1, job.price - 1))
        else:
            job.share = job.price if method == "partner" else 0
        job.method = "transfer" if method == "split" else method
        job.partner_id = partner if job.share else None
        job.moment = moment
        helper_id, country = self.helpers[job.helper]
        job.commission = half_up(job.price * expected_rate(job.market, *job.skill))
        job.vat = half_up(job.commission * Fraction(VAT[country]) / 100) if country in VAT else 0
        job.event_id = record_event(
            "job.settled",
            booking_id=job.booking_id,
            request_id=0,
            helper_id=helper_id,
            customer_id=0,
            currency=job.currency,
            settled_at=moment,
            price_minor=job.price,
            tip_minor=job.tip,
            method=job.method,
            partner_id=self.partners[job.partner_id] if job.partner_id is not None else None,
            partner_share_minor=job.share,
            lines=[],
            skill_flags=[],
            market=job.market,
            skill=job.skill[0],
            category=job.skill[1],
            helper_country=country,
        ).pk
        RUNS.settled += 1

    @precondition(lambda self: any(j.event_id is not None for j in self.jobs))
    @rule(data=st.data(), moment=st.sampled_from(MOMENTS))
    def dispute_with_refund(self, data, moment):
        """An operator decides a dispute with a refund (some more than is left)."""
        self._ran("dispute_with_refund")
        job = data.draw(st.sampled_from(self._jobs(lambda j: j.event_id is not None)))
        asked = data.draw(st.integers(1, job.price + 10))
        event = record_event(
            "dispute.resolved",
            dispute_id=len(job.refunds) + 1,
            booking_id=job.booking_id,
            request_id=0,
            by_user_id=0,
            resolved_at=moment,
            refund_minor=asked,
        )
        job.refunds.append(Refund(event.pk, asked, moment))
        RUNS.refunds += 1

    # --- the worker -------------------------------------------------------------------------

    def _touch(self, helper: int, moment: datetime) -> None:
        """Compare that month's and year's statements (and the next year's: what is open
        carries over)."""
        year, month = local_period(moment)
        self.touched |= {(helper, year, month), (helper, year, 0)}
        if year < 2026:
            self.touched.add((helper, year + 1, 0))

    def _delivered(self) -> None:
        handled = set(
            HandledEvent.objects.filter(
                handler__in=["payments.settle", "payments.refund"]
            ).values_list("event_id", "handler")
        )
        handled |= {(e, "payments.settle") for e in self.booked_directly}
        handled |= {(e, "payments.refund") for e in self.booked_directly}
        pending = []
        for job in self.jobs:
            if not job.delivered and (job.event_id, "payments.settle") in handled:
                job.delivered = True
                self._touch(job.helper, job.moment)
            pending += [(r.event_id, job, r) for r in job.refunds if not r.booked]
        for event_id, job, refund in sorted(pending, key=lambda p: p[0]):
            if (event_id, "payments.refund") in handled:
                self._refund_booked(job, refund)

    def _refund_booked(self, job: Job, refund: Refund) -> None:
        """The refund's parts, as the ledger should have booked them (in event order)."""
        refund.booked = True
        if not job.counted:
            return  # a reversed settlement gets no refund
        done = sum(r.price for r in job.refunds)
        before = job.price - done
        refund.price = min(refund.asked, before)
        after = before - refund.price

        def cut(part: int) -> int:
            left = [half_up(Fraction(part * rest, job.price)) for rest in (before, after)]
            return left[0] - left[1]

        refund.commission, refund.vat, refund.share = (
            cut(job.commission),
            cut(job.vat),
            cut(job.share),
        )
        if refund.price:
            self._touch(job.helper, refund.moment)

    def _pending(self) -> bool:
        return any(
            (job.event_id is not None and not job.delivered)
            or any(not r.booked for r in job.refunds)
            for job in self.jobs
        )

    @precondition(lambda self: self._pending())
    @rule(limit=st.integers(min_value=1, max_value=4), dies=st.booleans())
    def deliver(self, limit, dies):
        """The worker delivers the oldest pending events through the outbox — and sometimes
        dies before its commit, which must leave neither entries nor handled marks."""
        self._ran("deliver_then_roll_back" if dies else "deliver")
        self._dirty = True
        with transaction.atomic():
            outbox.events_deliver(limit=limit)
            transaction.set_rollback(dies)
        self._delivered()

    @precondition(lambda self: self._pending())
    @rule(limit=st.integers(min_value=1, max_value=6))
    def work(self, limit):
        """The ledger's handlers book the oldest pending events, called directly (the
        outbox's own bookkeeping is the `deliver` rules'; an event booked here and then
        delivered by the outbox as well is booked once)."""
        self._ran("work")
        self._dirty = True
        pending = [
            (job.event_id, on_job_settled)
            for job in self.jobs
            if job.event_id and not job.delivered
        ]
        pending += [
            (r.event_id, on_dispute_resolved)
            for job in self.jobs
            for r in job.refunds
            if not r.booked
        ]
        for event_id, handler in sorted(pending, key=lambda p: p[0])[:limit]:
            with transaction.atomic():
                handler(DomainEvent.objects.get(pk=event_id))
            self.booked_directly.add(event_id)
        self._delivered()

    @precondition(lambda self: any(job.delivered for job in self.jobs))
    @rule(data=st.data())
    def replay(self, data):
        """The handler sees a booked event again (as a renamed handler would)."""
        self._ran("replay")
        self._dirty = True
        job = data.draw(st.sampled_from(self._jobs(lambda j: j.delivered)))
        on_job_settled(DomainEvent.objects.get(pk=job.event_id))

    def _reversible(self, job: Job) -> bool:
        """A settlement no refund refers to yet, of a helper not paid out in its currency (a
        correction after a payout is a refund, which takes the share back)."""
        return job.counted and not job.refunds and not self.paid_out(job.helper, job.currency)

    @precondition(lambda self: any(self._reversible(j) for j in self.jobs))
    @rule(data=st.data())
    def reverse(self, data):
        """An operator's correction of a settlement."""
        self._ran("reverse")
        self._dirty = True
        job = data.draw(st.sampled_from(self._jobs(self._reversible)))
        original = LedgerTransaction.objects.get(event_key=f"event:{job.event_id}")
        ledger_reverse(original=original, event_key=f"reverse:{job.event_id}", booked_at=job.moment)
        job.reversed = True
        self._touch(job.helper, job.moment)

    # --- invariants -------------------------------------------------------------------------

    def _ledger_changed(self) -> bool:
        """Whether a step ran the ledger's code since the last look (the worker, a replay, a
        reversal): a booking, a tip or a recorded event alone cannot have changed it."""
        changed, self._dirty = self._dirty, False
        return changed

    @invariant()
    def every_transaction_and_the_ledger_balance(self):
        if not self._ledger_changed():
            return
        self._check_accounts = True
        assert ledger_imbalances() == []
        assert ledger_currency_mismatches() == []
        assert ledger_thin_transactions() == []
        assert all(row.balance == 0 for row in ledger_totals())
        settled = [job for job in self.jobs if job.delivered]
        refunds = sum(1 for job in settled for r in job.refunds if r.booked and r.price)
        expected = len(settled) + sum(job.reversed for job in settled) + refunds
        assert LedgerTransaction.objects.count() == expected + self.money_out_transactions()
        self.money_out_check()

    @invariant()
    def no_account_is_on_the_wrong_side_and_cancelled_jobs_have_none(self):
        """A helper's receivable only holds owed commission (>= 0), the payable, gross and
        tips memos only what the helper earned (<= 0). (A partner's receivable may go below
        zero — a refund after it paid — and is compared with the model in money_out_check.)"""
        if not self._check_accounts:
            return
        self._check_accounts = False
        balances = (
            LedgerEntry.objects.filter(account__owner_kind="helper")
            .order_by()
            .values("account__code", "account__owner_kind", "account__kind")
            .annotate(balance=Sum("amount_minor"))
        )
        for row in balances:
            kind, balance = row["account__kind"], row["balance"]
            owed_to_quartier = kind == "receivable"  # commission
            assert balance >= 0 if owed_to_quartier else balance <= 0, row
        cancelled = [f"booking:{job.booking_id}" for job in self.jobs if job.cancelled]
        assert not LedgerTransaction.objects.filter(subject__in=cancelled).exists()

    @invariant()
    def statements_equal_the_jobs(self):
        """The months and years that changed since the last step, per helper touched."""
        for helper, year, month in sorted(self.touched):
            user = UserFactory._meta.model(pk=self.helpers[helper][0])
            mine = [job for job in self.jobs if job.helper == helper]
            paid = [payout for payout in self.payouts if payout.helper == helper]
            statement = helper_statement(helper=user, year=year, month=month or None)
            for currency in ("CHF", "EUR"):
                self._compare(statement, mine, paid, currency, year, month or None)
            RUNS.comparisons += 1
        self.touched.clear()

    @staticmethod
    def _compare(statement, jobs, payouts, currency, year, month):
        def inside(moment: datetime) -> bool:
            y, m = local_period(moment)
            return y == year and (month is None or m == month)

        def zero() -> Money:
            return Money(0, currency)

        mine = [job for job in jobs if job.currency == currency and job.counted]
        settled = [job for job in mine if inside(job.moment)]
        refunds = [r for job in mine for r in job.refunds if r.booked and inside(r.moment)]
        before = [job for job in mine if job.moment < statement.ends_at]
        refunds_before = [
            r for job in mine for r in job.refunds if r.booked and r.moment < statement.ends_at
        ]
        payouts = [p for p in payouts if p.currency == currency]
        totals = statement.totals.get(currency)
        got = (
            (
                *(totals.jobs, totals.gross, totals.refunds, totals.commission, totals.vat),
                *(totals.tips, totals.partner_share, totals.net, totals.paid_out, totals.open),
            )
            if totals
            else (0, zero(), zero(), zero(), zero(), zero(), zero(), zero(), zero(), zero())
        )
        gross = sum(job.price for job in settled)
        refunded = sum(r.price for r in refunds)
        commission = sum(job.commission for job in settled) - sum(r.commission for r in refunds)
        vat = sum(job.vat for job in settled) - sum(r.vat for r in refunds)
        tips = sum(job.tip for job in settled)
        share = sum(job.share for job in settled) - sum(r.share for r in refunds)
        owed = sum(job.commission + job.vat - job.share for job in before) - sum(
            r.commission + r.vat - r.share for r in refunds_before
        )
        # A payout settles the payable (+ amount + netted) and the netted commission (-).
        owed += sum(p.amount for p in payouts if p.moment < statement.ends_at)
        paid_out = sum(p.amount for p in payouts if inside(p.moment))
        assert got == (
            len(settled),
            Money(gross, currency),
            Money(refunded, currency),
            Money(commission, currency),
            Money(vat, currency),
            Money(tips, currency),
            Money(share, currency),
            Money(gross - refunded - commission - vat + tips, currency),
            Money(paid_out, currency),
            Money(owed, currency),
        ), (year, month, currency)


@pytest.mark.django_db
def test_ledger_state_machine(settings_override):
    users = [ready_helper("CH"), ready_helper("DE"), ready_helper("CH")]
    LedgerMachine.helpers = [(users[0].pk, "CH"), (users[1].pk, "DE"), (users[2].pk, "CH")]
    LedgerMachine.partners = [make_partner(slug=f"p{i}", name=f"P{i}").pk for i in (1, 2)]
    before = RUNS.examples, RUNS.steps, RUNS.comparisons, RUNS.settled, RUNS.refunds, RUNS.cleared
    started = time.perf_counter()

    run_state_machine_as_test(LedgerMachine, settings=PROFILE)

    examples, steps = RUNS.examples - before[0], RUNS.steps - before[1]
    print(
        f"\nledger machine: {examples} examples, {steps} steps, "
        f"{RUNS.settled - before[3]} jobs settled, {RUNS.refunds - before[4]} refunds, "
        f"{RUNS.comparisons - before[2]} statement comparisons, "
        f"{RUNS.cleared - before[5]} settlement guard clearances in "
        f"{time.perf_counter() - started:.1f} s; rules {dict(RUNS.rules)}"
    )
    assert examples >= PROFILE.max_examples


@pytest.fixture
def settings_override(settings):
    settings.QUARTIER_COMMISSION = COMMISSION
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = VAT
    return settings
