"""A Hypothesis state machine over the ledger: jobs of random prices, currencies and markets
are settled, their events delivered in random batches (some batches rolled back, some events
replayed, some bookings reversed). After every step every transaction and the whole ledger
sum to zero per currency, and every helper's month and year statement equals what the
settled jobs say — computed here independently, with our own half-up rounding.

Runs LEDGER_MACHINE_EXAMPLES x at most LEDGER_MACHINE_STEPS (default 50 x 20) on the test
database; with `-s` it prints how many examples, steps and settled jobs actually ran.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Count, Max
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
from quartier.payments.handlers import on_job_settled
from quartier.payments.models import LedgerEntry, LedgerTransaction
from quartier.payments.selectors import (
    helper_statement,
    ledger_currency_mismatches,
    ledger_imbalances,
    ledger_thin_transactions,
    ledger_totals,
)
from quartier.payments.services import ledger_reverse
from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("LEDGER_MACHINE_EXAMPLES", "50"))
STEPS = int(os.environ.get("LEDGER_MACHINE_STEPS", "20"))

COMMISSION = {
    "default": "0.15",
    "tutoring": "0.1",
    "CH": {"default": "0.155", "tech-support": "0.14"},
    "DE": {"cleaning": "0.12", "home": "0.133"},
}
VAT = {"CH": "8.1"}
# (skill, category) the jobs are drawn from.
SKILLS = [
    ("cleaning", "home"),
    ("gardening", "home"),
    ("computer", "tech-support"),
    ("tutoring", "lessons"),
]
ZURICH = ZoneInfo("Europe/Zurich")
# Settlement moments around month and year ends, in UTC (23:30 UTC on 31 Jan is February in
# Zürich): statements must cut months in local time.
MOMENTS = [
    datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
    datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
]


# A settled job: (helper index, price, currency, market, (skill, category), moment).
JOBS = st.tuples(
    st.integers(min_value=0, max_value=2),
    st.one_of(st.integers(1, 500), st.integers(1, 10_000_000)),
    st.sampled_from(["CHF", "EUR"]),
    st.sampled_from(["CH", "DE"]),
    st.sampled_from(SKILLS),
    st.sampled_from(MOMENTS),
)


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


@dataclass
class Job:
    event_id: int
    helper_id: int
    currency: str
    price: int
    commission: int
    vat: int
    settled_at: datetime
    delivered: bool = False
    reversed: bool = False

    @property
    def local(self) -> datetime:
        return self.settled_at.astimezone(ZURICH)


@dataclass
class Runs:
    examples: int = 0
    steps: int = 0
    comparisons: int = 0
    jobs: int = 0
    rules: Counter[str] = field(default_factory=Counter)


RUNS = Runs()


class LedgerMachine(RuleBasedStateMachine):
    helpers: list[tuple[int, str]] = []  # (user id, country), set by the test

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # every example rolls back at teardown
        self.jobs: list[Job] = []
        self._compared: object = None
        RUNS.examples += 1

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _ran(self, name: str) -> None:
        RUNS.steps += 1
        RUNS.rules[name] += 1

    @rule(job=JOBS)
    def settle(self, job):
        self._ran("settle")
        self._settle(*job)

    @rule(jobs=st.lists(JOBS, min_size=2, max_size=5))
    def settle_several(self, jobs):
        """Several jobs settle before the worker comes by (and more steps settle at all)."""
        self._ran("settle_several")
        for job in jobs:
            self._settle(*job)

    def _settle(self, helper, price, currency, market, skill, moment):
        RUNS.jobs += 1
        helper_id, country = self.helpers[helper]
        event = record_event(
            "job.settled",
            booking_id=len(self.jobs) + 1,
            request_id=0,
            helper_id=helper_id,
            customer_id=0,
            price_minor=price,
            currency=currency,
            settled_at=moment,
            market=market,
            skill=skill[0],
            category=skill[1],
            helper_country=country,
        )
        commission = half_up(price * expected_rate(market, *skill))
        vat = half_up(commission * Fraction(VAT[country]) / 100) if country in VAT else 0
        self.jobs.append(Job(event.pk, helper_id, currency, price, commission, vat, moment))

    def _mark_delivered(self) -> None:
        handled = set(
            HandledEvent.objects.filter(handler="payments.settle").values_list(
                "event_id", flat=True
            )
        )
        for job in self.jobs:
            job.delivered = job.event_id in handled

    @rule(limit=st.integers(min_value=1, max_value=4))
    def deliver(self, limit):
        self._ran("deliver")
        outbox.events_deliver(limit=limit)
        self._mark_delivered()

    @rule()
    def deliver_then_roll_back(self):
        """A worker that books the pending events and then dies before commit."""
        self._ran("deliver_then_roll_back")
        with transaction.atomic():
            outbox.events_deliver()
            transaction.set_rollback(True)
        self._mark_delivered()

    @precondition(lambda self: any(job.delivered for job in self.jobs))
    @rule(data=st.data())
    def replay(self, data):
        """The handler sees a booked event again (as a renamed handler would)."""
        self._ran("replay")
        job = data.draw(st.sampled_from([job for job in self.jobs if job.delivered]))
        on_job_settled(DomainEvent.objects.get(pk=job.event_id))

    @precondition(lambda self: any(job.delivered and not job.reversed for job in self.jobs))
    @rule(data=st.data())
    def reverse(self, data):
        self._ran("reverse")
        job = data.draw(
            st.sampled_from([job for job in self.jobs if job.delivered and not job.reversed])
        )
        original = LedgerTransaction.objects.get(event_key=f"event:{job.event_id}")
        ledger_reverse(
            original=original, event_key=f"reverse:{job.event_id}", booked_at=job.settled_at
        )
        job.reversed = True

    @invariant()
    def every_transaction_and_the_ledger_balance(self):
        assert ledger_imbalances() == []
        assert ledger_currency_mismatches() == []
        assert ledger_thin_transactions() == []
        assert all(row.balance == 0 for row in ledger_totals())
        booked = [job for job in self.jobs if job.delivered]
        assert LedgerTransaction.objects.count() == len(booked) + sum(j.reversed for j in booked)

    @invariant()
    def statements_equal_the_ledger(self):
        # The ledger only grows: when neither its rows nor the jobs changed since the last
        # comparison (a replay, a rolled-back batch), the statements cannot have either.
        seen = (
            LedgerEntry.objects.aggregate(n=Count("id"), last=Max("id")),
            [(job.delivered, job.reversed) for job in self.jobs],
        )
        if seen == self._compared:
            return
        self._compared = seen
        RUNS.comparisons += 1
        counted = [job for job in self.jobs if job.delivered and not job.reversed]
        periods = {(job.local.year, job.local.month) for job in self.jobs}
        periods |= {(year, None) for year, _ in list(periods)}
        for helper_id, _ in self.helpers:
            helper = UserFactory._meta.model(pk=helper_id)
            for year, month in periods:
                statement = helper_statement(helper=helper, year=year, month=month)
                mine = [job for job in counted if job.helper_id == helper_id]
                for currency in ("CHF", "EUR"):
                    self._compare(statement, mine, currency, year, month)

    @staticmethod
    def _compare(statement, jobs, currency, year, month):
        in_currency = [job for job in jobs if job.currency == currency]
        inside = [
            job
            for job in in_currency
            if job.local.year == year and (month is None or job.local.month == month)
        ]
        before_end = [job for job in in_currency if job.settled_at < statement.ends_at]
        totals = statement.totals.get(currency)
        got = (
            (totals.jobs, totals.gross, totals.commission, totals.vat, totals.net, totals.open)
            if totals
            else (
                0,
                Money(0, currency),
                Money(0, currency),
                Money(0, currency),
                Money(0, currency),
                Money(0, currency),
            )
        )
        gross = sum(job.price for job in inside)
        commission = sum(job.commission for job in inside)
        vat = sum(job.vat for job in inside)
        assert got == (
            len(inside),
            Money(gross, currency),
            Money(commission, currency),
            Money(vat, currency),
            Money(gross - commission - vat, currency),
            Money(sum(job.commission + job.vat for job in before_end), currency),
        ), (year, month, currency)


@pytest.mark.django_db
def test_ledger_state_machine(settings_override):
    users = [UserFactory(is_helper=True) for _ in range(3)]
    LedgerMachine.helpers = [(users[0].pk, "CH"), (users[1].pk, "DE"), (users[2].pk, "CH")]
    before = RUNS.examples, RUNS.steps, RUNS.comparisons, RUNS.jobs

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )

    examples, steps = RUNS.examples - before[0], RUNS.steps - before[1]
    print(
        f"\nledger machine: {examples} examples, {steps} steps, "
        f"{RUNS.jobs - before[3]} jobs settled, "
        f"{RUNS.comparisons - before[2]} statement comparisons, rules {dict(RUNS.rules)}"
    )
    assert examples >= EXAMPLES


@pytest.fixture
def settings_override(settings):
    settings.QUARTIER_COMMISSION = COMMISSION
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = VAT
    return settings
